import { randomBytes } from 'node:crypto'
import { checkPredecessor } from '../maintenance/check-predecessor.js'
import { fixFingers } from '../maintenance/fix-fingers.js'
import { join } from '../maintenance/join.js'
import { reachNewSuccessors } from '../maintenance/reach-successors.js'
import { rectify } from '../maintenance/rectify.js'
import { PeriodicTask, type TaskOutcome } from '../maintenance/scheduler.js'
import { stabilize } from '../maintenance/stabilize.js'
import type { Clock } from '../node/clock.js'
import { Liveness } from '../node/liveness.js'
import { type PassiveListOptions } from '../node/passive-list.js'
import { routeHop, type RouterContext } from '../node/router.js'
import { NodeState } from '../node/state.js'
import { OwnerCache } from '../ring/owner-cache.js'
import { RING } from '../defaults.js'
import { BadRequestError, NotReadyError } from '../errors.js'
import { ringIdOfKey } from '../ring/hash.js'
import { SHA256_SPACE, type IdSpace, type RingId } from '../ring/ids.js'
import { freshTag } from '../ring/ring-tag.js'
import { OwnerHints } from './owner-hints.js'
import { RingMerger } from './ring-merger.js'
import type { ChordHandlers, ChordTransport } from '../protocol/ports.js'
import type { DataOp, LeaveNotice, MergeInvitation, NeighbourState, OpResult, RouteOp, RouteReply, RouteRequest } from '../protocol/messages.js'
import type { MaintenanceContext } from '../maintenance/context.js'
import type { RingTag } from '../ring/ring-tag.js'
import type { GuardedRing } from '../network/record-guard.js'
import type { DataRing } from '../storage/data-node.js'
import type { NodeSnapshot } from '../ring/invariants.js'
import type { NodeRef } from '../ring/node-ref.js'
import type { Logger } from '@libp2p/interface'

/** Ring parameters and maintenance periods of one node. */
export interface ChordOptions {
  /** Identifier space; SHA-256 (256 bits) on the wire. @default SHA256_SPACE */
  readonly space: IdSpace
  /** Successor-list length r. @default 8 */
  readonly successors: number
  /** Routes longer than this are refused (loop guard). @default 64 */
  readonly maxHops: number
  /** Time allowed for a whole lookup (ms). @default 10 s */
  readonly lookupTimeoutMs: number
  /** Period of stabilize (ms). @default 2 s */
  readonly stabilizeIntervalMs: number
  /** Period of fix-fingers, one finger per round (ms). @default 5 s */
  readonly fixFingersIntervalMs: number
  /** Period of the predecessor's liveness check (ms). @default 5 s */
  readonly checkPredecessorIntervalMs: number
  /** Each period varies by ±jitter (a fraction) so peers do not act in step. @default 0.2 */
  readonly jitter: number
  /** How long a peer that failed stays suspected (ms). @default 10 s */
  readonly suspectMs: number
  /**
   * While nothing changes, probing and repair stretch their periods up to
   * this many times (a change, a failure or a neighbour event resets them).
   * @default 4
   */
  readonly stableBackoff: number
  /**
   * While the neighbourhood holds still, stabilize stretches its period up
   * to this many times (a change, a failure or a disconnect resets it). On
   * its own it bounds how long a silently vanished neighbour goes unnoticed
   * (stabilizeIntervalMs × stabilizeBackoff plus a request timeout); over
   * TCP the kernel's keep-alive finds one sooner (TRANSPORT.keepAliveIdleMs).
   * @default 16
   */
  readonly stabilizeBackoff: number
  /** While fingers stay right, fix-fingers stretches its period up to this many times (fingers are hints). @default 16 */
  readonly fingerBackoff: number
  /** Period of the passive-list probe round (ms); stretches while nothing is due. @default 1 s */
  readonly probeIntervalMs: number
  /** Passive-list peers probed per round at most. @default 2 */
  readonly probesPerRound: number
  /** Passive-list size and per-peer probe back-off (ms): first wait, longest wait, forget after. @default 64 peers; 1 s, 15 s, 24 h */
  readonly passive: Omit<PassiveListOptions, 'jitter' | 'random'>
  /** How long after its last merge step a node still reports a merge in progress (ms). @default 6 s */
  readonly mergeSettleMs: number
  /** How far apart two probes must both find a same-tag member not routed to before the tag is raised (ms). @default 30 s */
  readonly splitDoubtMs: number
  /** Arcs of recent routes' owners kept as routing hints (ring/owner-cache.ts); capacity 0 keeps none. @default 256 arcs, used for 30 min */
  readonly ownerCache: { readonly capacity: number, readonly ttlMs: number }
  /** A ring estimated at most this large is small: every arc learned, a connection to every member (defaults.ts). @default 128 */
  readonly meshPeers: number
  /** Other members' successor lists pooled into the ring's size estimate, and for how long one counts. @default 16, 1 min */
  readonly sizeSamples: { readonly count: number, readonly maxAgeMs: number }
}

/** The ring's defaults (defaults.ts), on SHA-256 identifiers. */
export const DEFAULT_CHORD_OPTIONS: ChordOptions = { space: SHA256_SPACE, ...RING }

export interface ChordNodeDeps {
  readonly clock: Clock
  readonly log: Logger
  readonly random?: () => number
  /** 64 random bits, for ring tags. */
  readonly random64?: () => bigint
}

/**
 * What the ring hands down to the records it carries: the data node
 * implements it (go-chord's Delegate). The ring calls it, never the other
 * way round; the data node sees the ring only through {@link DataRing}.
 */
export interface OwnerDelegate {
  /** Runs a data operation for a key this node owns. */
  execute (op: DataOp): Promise<OpResult>
  /** During a join, before this node becomes a member: takes over its arc from its successor; resolves with the records taken. */
  pullFrom (successor: NodeRef, predecessor: NodeRef | undefined): Promise<number>
  /**
   * After the join, once the successor was told of this node: it serves
   * its keys once its predecessor adopted it and it took what the successor
   * stored for its arc since the pull.
   */
  joined (): void
  /**
   * This node founds a ring: it owns the whole identifier space. `vouched`:
   * it holds every key there is (nobody else can); false when peers that may
   * hold keys it lacks exist but were out of reach (a ring it was part of).
   */
  founded (vouched: boolean): void
  /** The predecessor or successor list changed. */
  ringChanged (): void
}

/**
 * One ring member, independent of the network underneath: its state, the
 * recursive lookup, the handlers for its peers' requests, the periodic
 * maintenance (stabilize, fix-fingers, check-predecessor), and the
 * detection and merging of other rings (passive-list probes, merge moves).
 */
export class ChordNode implements ChordHandlers {
  readonly state: NodeState
  readonly liveness: Liveness
  readonly options: ChordOptions
  /** Finds other rings and merges with them. */
  readonly merger: RingMerger
  /** What routes and members' states told of owners, used to go straight to one. */
  readonly hints: OwnerHints
  private readonly transport: ChordTransport
  private readonly clock: Clock
  private readonly log: Logger
  private readonly tasks: PeriodicTask[]
  private readonly stabilizeTask: PeriodicTask
  private readonly checkPredecessorTask: PeriodicTask
  private readonly ctx: MaintenanceContext & RouterContext
  private owner: OwnerDelegate | undefined
  private readonly random64: () => bigint
  private leaving = false
  /** The member this node last set out to join through: until it joins, its clients' operations go there. */
  private contact: NodeRef | undefined
  /**
   * Our predecessor says its own predecessor changed: the peer's record
   * guard learns the predecessors past the first again (set by the peer).
   */
  predecessorMoved: () => void = () => {}
  /** The successors reached since they entered the list (maintenance/reach-successors.ts). */
  private reached: ReadonlySet<string> = new Set()

  constructor (self: NodeRef, transport: ChordTransport, options: ChordOptions, deps: ChordNodeDeps) {
    this.options = options
    this.transport = transport
    this.clock = deps.clock
    this.log = deps.log
    this.state = new NodeState(options.space, self, options.successors, new OwnerCache(options.ownerCache.capacity, options.ownerCache.ttlMs))
    this.liveness = new Liveness(this.clock, options.suspectMs)
    this.random64 = deps.random64 ?? randomNonce
    this.hints = new OwnerHints({ state: this.state, liveness: this.liveness, transport, clock: this.clock }, options)
    this.ctx = {
      state: this.state,
      liveness: this.liveness,
      transport,
      clock: this.clock,
      maxHops: options.maxHops,
      log: this.log,
      lookupBudgetMs: options.lookupTimeoutMs,
      peerFailed: node => { this.peerFailed(node) },
      ownerHint: key => this.hints.hint(key),
      heardNeighbours: (node, view) => { this.hints.heard(node, view) },
      meshFrontier: () => this.hints.frontier(),
      routed: reply => { this.hints.routed(reply) },
      successorLost: node => { this.merger.successorLost(node) },
      lookup: async key => this.lookup(key)
    }
    this.merger = new RingMerger({
      maintenance: this.ctx,
      clock: this.clock,
      random: deps.random,
      random64: this.random64,
      leaving: () => this.leaving,
      stabilizeSoon: () => { this.stabilizeTask.trigger() }
    }, options)
    const task = (fn: () => Promise<TaskOutcome>, ms: number, name: string, backoff = 1): PeriodicTask =>
      new PeriodicTask(this.clock, { intervalMs: ms, maxIntervalMs: ms * backoff, jitter: options.jitter, random: deps.random }, fn,
        err => { this.log('%s failed: %s', name, (err as Error).message) })
    // Runs again at once while the first successor keeps moving (after joins
    // it walks back one node per round), so the ring settles in round trips;
    // while nothing changes it backs off (events bring it back at once).
    this.stabilizeTask = task(async () => {
      const before = this.neighbourhood()
      const successor = this.state.successor.peer
      await this.merger.runInvitation()
      await stabilize(this.ctx)
      if (this.state.successor.peer !== successor) this.stabilizeTask.trigger()
      const changed = this.neighbourhood() !== before
      // Only a list that held still for a round: peers passing through it while the ring forms are not worth a connection.
      if (!changed) this.reached = reachNewSuccessors(this.ctx, this.reached)
      return changed
    }, options.stabilizeIntervalMs, 'stabilize', options.stabilizeBackoff)
    this.checkPredecessorTask = task(async () => checkPredecessor(this.ctx, this.recentMs), options.checkPredecessorIntervalMs, 'check-predecessor')
    this.tasks = [
      this.stabilizeTask,
      // Fingers are hints (lookups never depend on them): they may go longest unchecked.
      task(async () => fixFingers(this.ctx), options.fixFingersIntervalMs, 'fix-fingers', options.fingerBackoff),
      this.checkPredecessorTask,
      this.merger.task
    ]
    this.state.onChange((change, previous) => {
      this.hintNeighbours(change, previous)
      // A node alone takes its first successor from its new predecessor
      // (stabilize.ts): a ring's founder, its period stretched while it was
      // alone, would otherwise refuse writes for want of replicas until then.
      if (change === 'predecessor' && this.state.successors.length === 0) this.stabilizeTask.trigger()
    })
  }

  get self (): NodeRef {
    return this.state.self
  }

  /**
   * Makes this node carry records: `owner` runs the operations on keys it
   * owns and takes over its arc when it joins. Once, before it joins.
   */
  attachRecords (owner: OwnerDelegate): void {
    if (this.owner !== undefined) throw new Error('this node already carries records')
    this.owner = owner
    this.state.onChange(change => { if (change !== 'ring') owner.ringChanged() })
  }

  /** The ring as the data node sees it, with replica sets of `replicas` peers. */
  dataRing (replicas: number): DataRing {
    const node = this
    return {
      get self () { return node.self },
      get predecessor () { return node.state.predecessor },
      get successors () { return node.state.successors },
      get joined () { return node.state.joined },
      isSuspect: peer => node.liveness.isSuspect(peer),
      peerFailed: failed => { node.peerFailed(failed) },
      lookup: async key => (await node.lookup(key)).owner,
      send: async op => node.send(ringIdOfKey(op.key), op),
      replicaSetOf: async owner => {
        const successors = owner.peer === node.self.peer ? node.state.successors : (await node.transport.getState(owner)).successors
        return [owner, ...successors.slice(0, replicas - 1)]
      }
    }
  }

  /** The ring as the record guard sees it (network/record-guard.ts): who is in this node's replica neighbourhood. */
  guardedRing (replicas: number): GuardedRing {
    const node = this
    return {
      space: this.options.space,
      get self () { return node.self },
      get member () { return node.state.joined && !node.isLeaving },
      get predecessor () { return node.state.predecessor },
      get successors () { return node.state.successors },
      get fingers () { return node.state.fingers.distinct() },
      replicas,
      lookup: async id => (await node.lookup(id)).owner,
      predecessorOf: async of => (await node.transport.getState(of)).predecessor
    }
  }

  /**
   * Founds a new ring with this node as its only member, under a fresh tag;
   * `vouched` as {@link OwnerDelegate.founded} says.
   */
  create (vouched = true): void {
    this.owner?.founded(vouched)
    this.state.setTag(freshTag(this.random64))
    this.state.markJoined()
    this.startMaintenance()
  }

  /** Joins the ring `via` belongs to, then starts maintenance. */
  async join (via: NodeRef): Promise<NodeRef> {
    this.contact = via
    const successor = await join(this.ctx, via, this.options.lookupTimeoutMs, async (s, predecessor) => {
      if (this.owner === undefined) return
      const pulled = await this.owner.pullFrom(s, predecessor)
      this.log('took over %d records from %s', pulled, s.peer)
    }, async ms => { await new Promise<void>(resolve => { this.clock.setTimeout(resolve, ms) }) })
    this.startMaintenance()
    this.stabilizeTask.trigger()
    this.owner?.joined()
    return successor
  }

  /** Stops maintenance; the node stops taking part in the ring. */
  stop (): void {
    for (const t of this.tasks) t.stop()
  }

  /**
   * How recently a peer must have been heard from to count as alive without
   * a ping: our predecessor's stabilize reaches us at least this often.
   */
  private get recentMs (): number {
    return this.options.stabilizeIntervalMs * this.options.stabilizeBackoff * (1 + this.options.jitter) + this.options.checkPredecessorIntervalMs
  }

  /** A signature of the predecessor and successor list, to tell whether a round changed them. */
  private neighbourhood (): string {
    return `${this.state.predecessor?.peer ?? ''}|${this.state.successors.map(s => s.peer).join(',')}`
  }

  /** Finds the peer responsible for `key`, starting here. */
  async lookup (key: RingId): Promise<RouteReply> {
    return this.send(key, { kind: 'lookup' })
  }

  /**
   * Routes an operation hop by hop to the owner of `key`, starting here; or,
   * while this node is no member it could start from, at the member it
   * relays to (see relay).
   */
  async send (key: RingId, op: RouteOp): Promise<RouteReply> {
    const request = { key, path: [], budgetMs: this.options.lookupTimeoutMs, op }
    const relay = this.relay()
    if (relay !== undefined) return this.transport.route(relay, { ...request, path: [this.self.peer] })
    return this.route(request, this.self, () => {})
  }

  /**
   * Where a peer that is no member sends its clients' operations, so that
   * they need not wait for it: while joining (its turn in a gap may take
   * seconds), the member it joins through; once leaving, its successor,
   * which took its keys over. The member takes them as from a client.
   */
  private relay (): NodeRef | undefined {
    if (this.leaving) return this.state.successors.find(s => s.peer !== this.self.peer)
    return this.state.joined ? undefined : this.contact
  }

  /**
   * Stops serving routes: peers skip this node from now on. Called by a
   * graceful leave once the successor has taken over the keys.
   */
  stopServing (): void {
    this.leaving = true
  }

  /** Whether this node is leaving the ring. */
  get isLeaving (): boolean {
    return this.leaving
  }

  /** Runs a stabilize round now (after the current one). */
  stabilizeSoon (): void {
    this.stabilizeTask.trigger()
  }

  /** This node's entry in an invariant-checker snapshot. */
  snapshot (): NodeSnapshot {
    return this.state.snapshot(true)
  }

  // ChordHandlers: requests from peers.

  seen (from: NodeRef): void {
    this.liveness.alive(from.peer)
  }

  getState (): NeighbourState {
    const member = this.state.joined && !this.leaving
    return { predecessor: this.state.predecessor, successors: this.state.successors, member, tag: member ? this.state.tag : undefined }
  }

  async notify (from: NodeRef): Promise<void> {
    if (!this.state.joined) return
    // Rectify may ping the old predecessor; the notifier need not wait for it.
    rectify(this.ctx, from, this.recentMs).catch((err: unknown) => {
      this.log('rectify failed: %s', (err as Error).message)
    })
  }

  /**
   * A successor's list or tag changed: stabilize now. A nudge, not a
   * trigger: a round that finds our list changed returns to the base period
   * by itself, and one that only takes a new tag keeps the period it had
   * (after each crash on a ring of 1000 the raised tag passes every member).
   */
  changed (from: NodeRef): void {
    if (this.state.successors.some(s => s.peer === from.peer)) this.stabilizeTask.nudge()
    if (this.state.predecessor?.peer === from.peer) this.predecessorMoved()
  }

  async route (request: RouteRequest, _from: NodeRef, accept: () => void): Promise<RouteReply> {
    if (this.leaving) throw new NotReadyError('this peer is leaving the ring')
    return routeHop(this.ctx, request, accept, async (req, path) => {
      const reply = { owner: this.self, ownerPredecessor: this.state.predecessor, hops: path.length - 1, path }
      return req.op.kind === 'lookup' ? reply : { ...reply, ...await this.execute(req.key, req.op) }
    })
  }

  merge (_from: NodeRef, invitation: MergeInvitation): RingTag {
    const tag = this.state.tag
    if (!this.state.joined || this.leaving || tag === undefined) throw new NotReadyError('this peer is not a ring member')
    this.merger.accept(invitation)
    return tag
  }

  /** A neighbour is leaving: link past it (its successor takes over its keys). */
  leave (from: NodeRef, notice: LeaveNotice): void {
    this.liveness.failed(from.peer)
    this.state.fingers.removePeer(from.peer)
    this.state.owners.forget(from.peer)
    if (this.state.predecessor?.peer === from.peer && notice.predecessor !== undefined) this.state.setPredecessor(notice.predecessor)
    if (this.state.successors.some(s => s.peer === from.peer)) {
      this.state.dropSuccessor(from.peer)
      this.stabilizeTask.trigger()
    }
  }

  private async execute (key: RingId, op: DataOp): Promise<OpResult> {
    if (ringIdOfKey(op.key) !== key) throw new BadRequestError('the route key is not the SHA-256 of the data key')
    if (this.owner === undefined) throw new NotReadyError('this peer stores no data')
    return this.owner.execute(op)
  }

  private startMaintenance (): void {
    for (const t of this.tasks) t.start()
  }

  /**
   * Tells the neighbour whose view just went stale to stabilize now: our
   * predecessor when our successor list or ring tag changed (its list is
   * built from ours), the old predecessor when a new one took its place (its
   * successor should become the newcomer), and then our successor too (the
   * predecessors past its first, which its record guard keeps, changed).
   * Only a hint; the periodic rounds stay the protocol.
   */
  private hintNeighbours (change: 'successors' | 'predecessor' | 'ring', previous: NodeRef | undefined): void {
    if (!this.state.joined) return
    // A new tag also goes to the predecessor: tags spread from successor to predecessor.
    const to = change === 'predecessor' ? [previous, this.state.successors[0]] : [this.state.predecessor]
    for (const node of to) if (node !== undefined && node.peer !== this.self.peer) this.transport.changed(node).catch(() => {})
  }

  /**
   * The connection to `node` closed. If it is a neighbour, check it now
   * rather than at the next period (it may have crashed): its having been
   * heard from recently no longer spares it the check.
   */
  disconnected (node: NodeRef): void {
    this.liveness.disconnected(node.peer)
    if (this.state.successor.peer === node.peer) this.stabilizeTask.trigger()
    if (this.state.predecessor?.peer === node.peer) this.checkPredecessorTask.trigger()
  }

  /**
   * The kernel gave up on the connection to `node` (its TCP keep-alive
   * probes or retransmissions went unanswered): the host is gone or cut
   * off. That proves the peer dead as a failed connection in stabilize
   * would, so it leaves the successor list now (Zave's dead-successor
   * branch, as a leave notice does) rather than after a dial to it times
   * out; the stabilize round this brings on notifies the new head.
   */
  hostGone (node: NodeRef): void {
    const head = this.state.successors[0]?.peer === node.peer
    this.peerFailed(node)
    if (!this.state.successors.some(s => s.peer === node.peer)) return
    this.log('the connection to %s failed in the kernel (its host stopped answering): dropped from the successors', node.peer)
    this.state.dropSuccessor(node.peer)
    if (head) this.ctx.successorLost(node)
    this.stabilizeTask.trigger()
  }

  /** Records that a request to `node` failed as a dead peer's would. */
  peerFailed (node: NodeRef): void {
    this.liveness.failed(node.peer)
    this.state.fingers.removePeer(node.peer)
    this.state.owners.forget(node.peer)
    this.merger.peerFailed(node)
    if (this.state.successors.some(s => s.peer === node.peer)) this.stabilizeTask.trigger()
  }
}

/** 64 random bits from the system's generator. */
function randomNonce (): bigint {
  return randomBytes(8).readBigUInt64BE()
}
