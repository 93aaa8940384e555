import { checkPredecessor } from './maintenance/check-predecessor.js'
import { fixFingers } from './maintenance/fix-fingers.js'
import { join } from './maintenance/join.js'
import { rectify } from './maintenance/rectify.js'
import { PeriodicTask } from './maintenance/scheduler.js'
import { stabilize } from './maintenance/stabilize.js'
import { systemClock, type Clock } from './node/clock.js'
import { Liveness } from './node/liveness.js'
import { routeHop, type RouterContext } from './node/router.js'
import { NodeState } from './node/state.js'
import { SHA256_SPACE, type IdSpace, type RingId } from './ring/ids.js'
import type { MaintenanceContext } from './maintenance/context.js'
import type { ChordHandlers, ChordTransport } from './network/transport.js'
import type { NeighbourState, RouteReply, RouteRequest } from './protocol/messages.js'
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
}

export const DEFAULT_CHORD_OPTIONS: ChordOptions = {
  space: SHA256_SPACE,
  successors: 8,
  maxHops: 64,
  lookupTimeoutMs: 10_000,
  stabilizeIntervalMs: 1000,
  fixFingersIntervalMs: 1000,
  checkPredecessorIntervalMs: 2000,
  jitter: 0.2,
  suspectMs: 10_000
}

export interface ChordNodeDeps {
  readonly clock?: Clock
  readonly log: Logger
  readonly random?: () => number
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
  private readonly ctx: MaintenanceContext & RouterContext

  constructor (self: NodeRef, transport: ChordTransport, options: ChordOptions, deps: ChordNodeDeps) {
    this.options = options
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
    const task = (fn: () => Promise<void>, ms: number, name: string): PeriodicTask =>
      new PeriodicTask(this.clock, ms, options.jitter, fn, err => { this.log('%s failed: %s', name, (err as Error).message) }, deps.random)
    // Runs again at once while the first successor keeps moving (after joins
    // it walks back one node per round), so the ring settles in round trips.
    this.stabilizeTask = task(async () => {
      const before = this.state.successor.peer
      await stabilize(this.ctx)
      if (this.state.successor.peer !== before) this.stabilizeTask.trigger()
    }, options.stabilizeIntervalMs, 'stabilize')
    this.state.onChange((change, previous) => { this.hintNeighbours(change, previous) })
    this.tasks = [
      this.stabilizeTask,
      task(async () => fixFingers(this.ctx), options.fixFingersIntervalMs, 'fix-fingers'),
      task(async () => checkPredecessor(this.ctx, options.checkPredecessorIntervalMs), options.checkPredecessorIntervalMs, 'check-predecessor')
    ]
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
    const successor = await join(this.ctx, via, this.options.lookupTimeoutMs)
    this.startMaintenance()
    this.stabilizeTask.trigger()
    return successor
  }

  /** Stops maintenance; the node stops taking part in the ring. */
  stop (): void {
    for (const t of this.tasks) t.stop()
  }

  /** Finds the peer responsible for `key`, starting here. */
  async lookup (key: RingId): Promise<RouteReply> {
    return this.route({ key, path: [], budgetMs: this.options.lookupTimeoutMs, op: { kind: 'lookup' } }, this.self, () => {})
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
    rectify(this.ctx, from, this.options.checkPredecessorIntervalMs).catch(err => {
      this.log('rectify failed: %s', (err as Error).message)
    })
  }

  changed (from: NodeRef): void {
    if (this.state.successors.some(s => s.peer === from.peer)) this.stabilizeTask.trigger()
  }

  async route (request: RouteRequest, _from: NodeRef, accept: () => void): Promise<RouteReply> {
    return routeHop(this.ctx, request, accept, async (_req, path) => ({ owner: this.self, hops: path.length - 1, path }))
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

  private peerFailed (node: NodeRef): void {
    this.liveness.failed(node.peer)
    this.state.fingers.removePeer(node.peer)
    if (this.state.successors.some(s => s.peer === node.peer)) this.stabilizeTask.trigger()
  }
}
