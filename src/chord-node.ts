import { checkPredecessor } from './maintenance/check-predecessor.js'
import { fixFingers } from './maintenance/fix-fingers.js'
import { join, type JoinHook } from './maintenance/join.js'
import { rectify } from './maintenance/rectify.js'
import { PeriodicTask } from './maintenance/scheduler.js'
import { stabilize } from './maintenance/stabilize.js'
import { systemClock, type Clock } from './node/clock.js'
import { Liveness } from './node/liveness.js'
import { routeHop, type RouterContext } from './node/router.js'
import { NodeState } from './node/state.js'
import { BadRequestError, NotReadyError } from './errors.js'
import { ringIdOfKey } from './ring/hash.js'
import { SHA256_SPACE, type IdSpace, type RingId } from './ring/ids.js'
import type { MaintenanceContext } from './maintenance/context.js'
import type { ChordHandlers, ChordTransport } from './network/transport.js'
import type { DataOp, LeaveNotice, NeighbourState, OpResult, RouteOp, RouteReply, RouteRequest } from './protocol/messages.js'
import type { NodeSnapshot } from './ring/invariants.js'
import type { NodeRef } from './ring/node-ref.js'
import type { Logger } from '@libp2p/interface'

/** Ring parameters and maintenance periods of one node. */
export interface ChordOptions {
  /** Identifier space; SHA-256 (256 bits) on the wire. */
  readonly space: IdSpace
  /** Successor-list length r. */
  readonly successors: number
  /** Routes longer than this are refused (loop guard). */
  readonly maxHops: number
  /** Time allowed for a whole lookup (ms). */
  readonly lookupTimeoutMs: number
  readonly stabilizeIntervalMs: number
  readonly fixFingersIntervalMs: number
  readonly checkPredecessorIntervalMs: number
  /** Each period varies by ±jitter (a fraction) so peers do not act in step. */
  readonly jitter: number
  /** How long a peer that failed stays suspected (ms). */
  readonly suspectMs: number
  /**
   * While nothing changes, stabilize and fix-fingers stretch their periods up
   * to this many times (a change, a failure or a neighbour event resets them).
   */
  readonly stableBackoff: number
}

export const DEFAULT_CHORD_OPTIONS: ChordOptions = {
  space: SHA256_SPACE,
  successors: 8,
  maxHops: 64,
  lookupTimeoutMs: 10_000,
  stabilizeIntervalMs: 2000,
  fixFingersIntervalMs: 5000,
  checkPredecessorIntervalMs: 5000,
  jitter: 0.2,
  suspectMs: 10_000,
  stableBackoff: 4
}

export interface ChordNodeDeps {
  readonly clock?: Clock
  readonly log: Logger
  readonly random?: () => number
  /** Executes data operations for keys this node owns. */
  readonly owner?: (op: DataOp) => Promise<OpResult>
  /** Runs during join, before the node becomes a member (takes over its keys). */
  readonly beforeJoined?: JoinHook
}

/**
 * One ring member, independent of the network underneath: its state, the
 * recursive lookup, the handlers for its peers' requests and the periodic
 * maintenance (stabilize, fix-fingers, check-predecessor).
 */
export class ChordNode implements ChordHandlers {
  readonly state: NodeState
  readonly liveness: Liveness
  readonly options: ChordOptions
  private readonly transport: ChordTransport
  private readonly clock: Clock
  private readonly log: Logger
  private readonly tasks: PeriodicTask[]
  private readonly stabilizeTask: PeriodicTask
  private readonly checkPredecessorTask: PeriodicTask
  private readonly ctx: MaintenanceContext & RouterContext
  private readonly deps: ChordNodeDeps
  private leaving = false

  constructor (self: NodeRef, transport: ChordTransport, options: ChordOptions, deps: ChordNodeDeps) {
    this.options = options
    this.deps = deps
    this.transport = transport
    this.clock = deps.clock ?? systemClock
    this.log = deps.log
    this.state = new NodeState(options.space, self, options.successors)
    this.liveness = new Liveness(this.clock, options.suspectMs)
    this.ctx = {
      state: this.state,
      liveness: this.liveness,
      transport,
      clock: this.clock,
      maxHops: options.maxHops,
      log: this.log,
      peerFailed: node => { this.peerFailed(node) },
      lookup: async key => this.lookup(key)
    }
    const task = (fn: () => Promise<boolean | undefined | void>, ms: number, name: string, backoff = 1): PeriodicTask =>
      new PeriodicTask(this.clock, { intervalMs: ms, maxIntervalMs: ms * backoff, jitter: options.jitter, random: deps.random }, fn,
        err => { this.log('%s failed: %s', name, (err as Error).message) })
    // Runs again at once while the first successor keeps moving (after joins
    // it walks back one node per round), so the ring settles in round trips;
    // while nothing changes it backs off (events bring it back at once).
    this.stabilizeTask = task(async () => {
      const before = this.neighbourhood()
      const successor = this.state.successor.peer
      await stabilize(this.ctx)
      if (this.state.successor.peer !== successor) this.stabilizeTask.trigger()
      return this.neighbourhood() !== before
    }, options.stabilizeIntervalMs, 'stabilize', options.stableBackoff)
    this.checkPredecessorTask = task(async () => checkPredecessor(this.ctx, this.recentMs), options.checkPredecessorIntervalMs, 'check-predecessor')
    this.tasks = [
      this.stabilizeTask,
      task(async () => fixFingers(this.ctx), options.fixFingersIntervalMs, 'fix-fingers', options.stableBackoff),
      this.checkPredecessorTask
    ]
    this.state.onChange((change, previous) => { this.hintNeighbours(change, previous) })
  }

  get self (): NodeRef {
    return this.state.self
  }

  /** Founds a new ring with this node as its only member. */
  create (): void {
    this.state.markJoined()
    this.startMaintenance()
  }

  /** Joins the ring `via` belongs to, then starts maintenance. */
  async join (via: NodeRef): Promise<NodeRef> {
    const successor = await join(this.ctx, via, this.options.lookupTimeoutMs, this.deps.beforeJoined ?? (async () => {}))
    this.startMaintenance()
    this.stabilizeTask.trigger()
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
    return this.options.stabilizeIntervalMs * this.options.stableBackoff + this.options.checkPredecessorIntervalMs
  }

  /** A signature of the predecessor and successor list, to tell whether a round changed them. */
  private neighbourhood (): string {
    return `${this.state.predecessor?.peer ?? ''}|${this.state.successors.map(s => s.peer).join(',')}`
  }

  /** Finds the peer responsible for `key`, starting here. */
  async lookup (key: RingId): Promise<RouteReply> {
    return this.send(key, { kind: 'lookup' })
  }

  /** Routes an operation hop by hop to the owner of `key`, starting here. */
  async send (key: RingId, op: RouteOp): Promise<RouteReply> {
    return this.route({ key, path: [], budgetMs: this.options.lookupTimeoutMs, op }, this.self, () => {})
  }

  /** Sends an operation straight to `owner` (found by an earlier lookup); it routes on if it is not the owner. */
  async sendTo (owner: NodeRef, key: RingId, op: RouteOp): Promise<RouteReply> {
    if (owner.peer === this.self.peer) return this.send(key, op)
    return this.transport.route(owner, { key, path: [this.self.peer], budgetMs: this.options.lookupTimeoutMs, op })
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
    return { predecessor: this.state.predecessor, successors: this.state.successors }
  }

  async notify (from: NodeRef): Promise<void> {
    if (!this.state.joined) return
    // Rectify may ping the old predecessor; the notifier need not wait for it.
    rectify(this.ctx, from, this.recentMs).catch((err: unknown) => {
      this.log('rectify failed: %s', (err as Error).message)
    })
  }

  changed (from: NodeRef): void {
    if (this.state.successors.some(s => s.peer === from.peer)) this.stabilizeTask.trigger()
  }

  async route (request: RouteRequest, _from: NodeRef, accept: () => void): Promise<RouteReply> {
    if (this.leaving) throw new NotReadyError('this peer is leaving the ring')
    return routeHop(this.ctx, request, accept, async (req, path) => {
      const reply = { owner: this.self, hops: path.length - 1, path }
      return req.op.kind === 'lookup' ? reply : { ...reply, ...await this.execute(req.key, req.op) }
    })
  }

  /** A neighbour is leaving: link past it (its successor takes over its keys). */
  leave (from: NodeRef, notice: LeaveNotice): void {
    this.liveness.failed(from.peer)
    this.state.fingers.removePeer(from.peer)
    if (this.state.predecessor?.peer === from.peer && notice.predecessor !== undefined) this.state.setPredecessor(notice.predecessor)
    if (this.state.successors.some(s => s.peer === from.peer)) {
      this.state.dropSuccessor(from.peer)
      this.stabilizeTask.trigger()
    }
  }

  private async execute (key: RingId, op: DataOp): Promise<OpResult> {
    if (ringIdOfKey(op.key) !== key) throw new BadRequestError('the route key is not the SHA-256 of the data key')
    if (this.deps.owner === undefined) throw new NotReadyError('this peer stores no data')
    return this.deps.owner(op)
  }

  private startMaintenance (): void {
    for (const t of this.tasks) t.start()
  }

  /**
   * Tells the neighbour whose view just went stale to stabilize now: our
   * predecessor when our successor list changed (its list is built from
   * ours), the old predecessor when a new one took its place (its successor
   * should become the newcomer). Only a hint; the periodic rounds stay the
   * protocol.
   */
  private hintNeighbours (change: 'successors' | 'predecessor', previous: NodeRef | undefined): void {
    const to = change === 'successors' ? this.state.predecessor : previous
    if (to === undefined || to.peer === this.self.peer || !this.state.joined) return
    this.transport.changed(to).catch(() => {})
  }

  /**
   * The connection to `node` closed. If it is a neighbour, check it now
   * rather than at the next period (it may have crashed).
   */
  disconnected (node: NodeRef): void {
    if (this.state.successor.peer === node.peer) this.stabilizeTask.trigger()
    if (this.state.predecessor?.peer === node.peer) this.checkPredecessorTask.trigger()
  }

  /** Records that a request to `node` failed as a dead peer's would. */
  reportFailure (node: NodeRef): void {
    this.peerFailed(node)
  }

  private peerFailed (node: NodeRef): void {
    this.liveness.failed(node.peer)
    this.state.fingers.removePeer(node.peer)
    if (this.state.successors.some(s => s.peer === node.peer)) this.stabilizeTask.trigger()
  }
}
