import { checkLimits, checkTtl, type Limits } from '../limits.js'
import { compareVersions } from '../protocol/record.js'
import { ConcurrencyLimit } from './concurrency-limit.js'
import type { HybridClock } from './hlc.js'
import type { ClientOp, DataOp, RouteReply } from '../protocol/messages.js'
import type { NodeRef } from '../ring/node-ref.js'

/** The ring as a client's request entering it sees it. */
export interface EntryRing {
  readonly self: NodeRef
  /** Routes an operation to the owner of its key, which runs it. */
  send (op: DataOp): Promise<RouteReply>
}

export interface EntryComponents {
  readonly ring: EntryRing
  /** This peer's hybrid logical clock: a write's version comes from it. */
  readonly clock: HybridClock
}

export interface EntryInit {
  /** Largest key and value, longest TTL. @default DATA.limits */
  readonly limits: Limits
  /** A version this far ahead of this peer's clock is not taken as the newest (ms). @default 60 s */
  readonly maxClockOffsetMs: number
  /** Client requests this peer sends into the ring at once; more wait here for their turn. @default DATA.maxEntryOps */
  readonly maxEntryOps: number
}

/**
 * Where a client's request enters the ring: its limits are checked, a
 * write gets its version here, once (every copy of the routed request
 * carries it), and at most `maxEntryOps` requests travel at once. A burst
 * from one client then queues where it entered instead of flooding the
 * owners and replicas, whose replies would slow past their timeouts.
 */
export class Entry {
  private readonly components: EntryComponents
  private readonly init: EntryInit
  private readonly slots: ConcurrencyLimit

  constructor (components: EntryComponents, init: EntryInit) {
    this.components = components
    this.init = init
    this.slots = new ConcurrencyLimit(init.maxEntryOps)
  }

  /** Checks a key (and value) against the limits; throws BadRequestError naming the limit. */
  checkLimits (key: Uint8Array, value?: Uint8Array): void {
    checkLimits(this.init.limits, key, value)
  }

  /** A write's version, fixed here, where the client's request enters the ring. */
  stamp (op: ClientOp): DataOp {
    if (op.kind === 'get') return op
    return { ...op, version: { timestamp: this.components.clock.now(), writer: this.components.ring.self.peer } }
  }

  /**
   * A routed write from a peer this peer does not know as a ring member
   * (README: Security): it may carry any version, so one ahead of this
   * peer's clock is stamped again here, as a client's write entering here
   * would be. A member's write stamped ahead only by clock skew gets a lower
   * version than it had, never a higher one, so a late copy still cannot
   * overwrite writes acknowledged after it.
   */
  admitFromStranger (op: DataOp): DataOp {
    if (op.kind === 'get' || this.components.clock.aheadMs(op.version) <= 0) return op
    return this.stamp(op)
  }

  /**
   * Runs a client's request that entered the ring at this peer: a write gets
   * its version here, once, and every copy of the routed request carries
   * it. A copy that arrives late or twice (a hop retried after a timeout, a
   * frame held in a send buffer) is then an old write: it can only replace
   * versions older than itself, never a write that entered after it,
   * whichever peer executes it and whenever. Versions from one entry peer
   * grow with its clock; across peers they follow their clocks (NTP) and the
   * owner: a write that reaches an owner holding a newer version (the other
   * entry peer's clock was ahead) is stamped again, above that version, and
   * sent once more, so a put is acknowledged only once it is the newest.
   */
  async enter (op: ClientOp): Promise<RouteReply> {
    this.checkLimits(op.key, op.kind === 'put' ? op.value : undefined)
    if (op.kind === 'put') checkTtl(this.init.limits, op.ttlMs)
    return this.slots.run(async () => this.stampAndRoute(op))
  }

  private async stampAndRoute (op: ClientOp): Promise<RouteReply> {
    const { ring, clock } = this.components
    // Stamped when its turn comes: a version never waits in the queue.
    const first = this.stamp(op)
    const reply = await ring.send(first)
    const held = reply.record?.version
    if (held === undefined || clock.aheadMs(held) > this.init.maxClockOffsetMs) return reply
    clock.observe(held)
    if (first.kind === 'get' || compareVersions(held, first.version) <= 0) return reply
    return ring.send(this.stamp(op))
  }
}
