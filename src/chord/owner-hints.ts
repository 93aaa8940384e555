import { estimateRingSize, pooledRingSize, successorSample, type RingSample } from '../ring/size-estimate.js'
import type { Clock } from '../node/clock.js'
import type { Liveness } from '../node/liveness.js'
import type { NodeState } from '../node/state.js'
import type { NeighbourState, RouteReply } from '../protocol/messages.js'
import type { ChordTransport } from '../protocol/ports.js'
import type { RingId } from '../ring/ids.js'
import type { NodeRef } from '../ring/node-ref.js'

export interface OwnerHintsComponents {
  /** Its owner cache (state.owners) is what this fills and reads. */
  readonly state: NodeState
  readonly liveness: Liveness
  readonly transport: ChordTransport
  readonly clock: Clock
}

export interface OwnerHintsInit {
  /** Rings up to this size, as a node estimates it, are small. @default RING.meshPeers */
  readonly meshPeers: number
  /** Other members' successor lists pooled into the size estimate, and for how long one counts (ms). @default RING.sizeSamples */
  readonly sizeSamples: { readonly count: number, readonly maxAgeMs: number }
}

/** How far past meshPeers the size estimate of a ring found small may stray before the ring counts as large. */
const SMALL_RING_SLACK = 1.5

/**
 * A node's use of the owner cache (ring/owner-cache.ts): what it learns
 * from routes' replies and members' states, the owner it hints to routing
 * for a key, and on a small ring (RING.meshPeers) a connection to every
 * member and the point where fix-fingers walks on to learn the rest.
 */
export class OwnerHints {
  private readonly components: OwnerHintsComponents
  private readonly init: OwnerHintsInit
  /** The successor lists of the members heard from last, by peer, oldest first, with when each was heard. */
  private readonly samples = new Map<string, { sample: RingSample, at: number }>()
  /** The last verdict of isSmallRing. */
  private small = false

  constructor (components: OwnerHintsComponents, init: OwnerHintsInit) {
    this.components = components
    this.init = init
  }

  /**
   * The owner the cache names for `key`, if it is another peer, not
   * suspected, and reachable on an open stream. On a small ring one that is
   * not is dialled for the next request.
   */
  hint (key: RingId): NodeRef | undefined {
    const { state, liveness, transport, clock } = this.components
    const owner = state.owners.ownerOf(key, clock.now())
    if (owner === undefined || owner.peer === state.self.peer || liveness.isSuspect(owner.peer)) return undefined
    return transport.reachable?.(owner, this.isSmallRing()) === true ? owner : undefined
  }

  /**
   * Whether the ring is small: the arcs this node knows are at most
   * meshPeers, and so is the ring's size, exact once those arcs go all the
   * way round, else estimated. A larger ring estimated small stops walking
   * once it knows more arcs. A ring found small stays so until its estimate
   * passes SMALL_RING_SLACK × meshPeers: the estimate of a ring of 100 at
   * rest ranged from 55 to 268, and each time it crossed the bound the node
   * closed its mesh (service.ts) and dialled it again on its next walk.
   */
  isSmallRing (): boolean {
    const { owners, self } = this.components.state
    const { meshPeers } = this.init
    if (owners.size > meshPeers) this.small = false
    else this.small = this.ringSizeEstimate() <= (this.small ? SMALL_RING_SLACK * meshPeers : meshPeers) || owners.complete(self, this.components.clock.now())
    return this.small
  }

  /**
   * How many members the ring has: exact when the successor list comes back
   * round, else this node's list pooled with the lists of the members it
   * heard from lately (ring/size-estimate.ts). Lists heard longer ago may
   * be a younger ring's: one that grew from 50 to 200 members in a minute
   * kept peers taking it for small, and dialling every member, minutes on.
   */
  ringSizeEstimate (): number {
    const { space, self, successors, successorsWrap } = this.components.state
    if (successorsWrap) return estimateRingSize(space, self, successors, true)
    const since = this.components.clock.now() - this.init.sizeSamples.maxAgeMs
    const pool: RingSample[] = []
    const mine = successorSample(space, self, successors)
    if (mine !== undefined) pool.push(mine)
    for (const { sample, at } of this.samples.values()) if (at >= since) pool.push(sample)
    return pooledRingSize(space, pool) ?? estimateRingSize(space, self, successors, false)
  }

  /** A route's reply states the arc its owner held. */
  routed (reply: RouteReply): void {
    this.components.state.owners.learn(reply.ownerPredecessor?.id, reply.owner, this.components.clock.now())
  }

  /**
   * A member's state names its neighbours: their arcs feed the owner cache.
   * On a small ring each of them also gets a connection and data stream now,
   * at maintenance time, so that lookups find them open.
   */
  heard (node: NodeRef, view: NeighbourState): void {
    const { state, liveness, transport, clock } = this.components
    state.owners.learnNeighbours(node, view.predecessor, view.successors, clock.now())
    this.sample(node, view.successors)
    if (transport.reachable === undefined || !this.isSmallRing()) return
    for (const member of [node, ...view.successors]) {
      if (member.peer !== state.self.peer && !liveness.isSuspect(member.peer)) transport.reachable(member, true)
    }
  }

  /** Keeps a heard member's successor list for the size estimate: the latest per member, of the last sizeSamples.count members. */
  private sample (node: NodeRef, successors: readonly NodeRef[]): void {
    if (node.peer === this.components.state.self.peer) return
    const sample = successorSample(this.components.state.space, node, successors)
    this.samples.delete(node.peer)
    if (sample === undefined) return
    this.samples.set(node.peer, { sample, at: this.components.clock.now() })
    if (this.samples.size > this.init.sizeSamples.count) this.samples.delete(this.samples.keys().next().value as string)
  }

  /** On a small ring, where this node's knowledge of the arcs stops (its own neighbours' arcs learned first). */
  frontier (): NodeRef | undefined {
    if (!this.isSmallRing()) return undefined
    const { owners, self, predecessor, successors } = this.components.state
    const now = this.components.clock.now()
    owners.learnNeighbours(self, predecessor, successors, now)
    return owners.frontier(self, now)
  }
}
