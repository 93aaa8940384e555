import { randomBytes } from 'node:crypto'
import { checkPredecessor } from '../maintenance/check-predecessor.js'
import { fixFingers } from '../maintenance/fix-fingers.js'
import { join } from '../maintenance/join.js'
import { mergeMove, probe, type MergeContext } from '../maintenance/merge.js'
import { rectify } from '../maintenance/rectify.js'
import { PeriodicTask, type TaskOutcome } from '../maintenance/scheduler.js'
import { stabilize } from '../maintenance/stabilize.js'
import { systemClock, type Clock } from '../node/clock.js'
import { Liveness } from '../node/liveness.js'
import { PassiveList, type PassiveListOptions } from '../node/passive-list.js'
import { routeHop, type RouterContext } from '../node/router.js'
import { NodeState } from '../node/state.js'
import { RING } from '../defaults.js'
import { BadRequestError, NotReadyError } from '../errors.js'
import { ringIdOfKey } from '../ring/hash.js'
import { SHA256_SPACE, type IdSpace, type RingId } from '../ring/ids.js'
import { formatTag, freshTag, raisedTag, tagWins, type RingTag } from '../ring/ring-tag.js'
import type { ChordHandlers, ChordTransport } from '../protocol/ports.js'
import type { DataOp, LeaveNotice, MergeInvitation, NeighbourState, OpResult, RouteOp, RouteReply, RouteRequest } from '../protocol/messages.js'
import type { GuardedRing } from '../network/member-guard.js'
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
   * While nothing changes, stabilize, probing and repair stretch their
   * periods up to this many times (a change, a failure or a neighbour event
   * resets them). It bounds how long a crashed neighbour goes unnoticed:
   * stabilizeIntervalMs × stableBackoff plus a request timeout.
   * @default 4
   */
  readonly stableBackoff: number
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
}

/** The ring's defaults (defaults.ts), on SHA-256 identifiers. */
export const DEFAULT_CHORD_OPTIONS: ChordOptions = { space: SHA256_SPACE, ...RING }

export interface ChordNodeDeps {
  readonly clock?: Clock
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
   * This node founds a ring: it owns the whole identifier space. `vouched`:
   * it holds every key there is (nobody else can); false when peers that may
   * hold keys it lacks exist but were out of reach (a ring it was part of).
   */
  founded (vouched: boolean): void
  /** The predecessor or successor list changed. */
  ringChanged (): void
}

/** Peers kept doubted at most (a passive list's worth). */
const MAX_DOUBTS = 64

/** A member of another ring this node found by probing, while the merge with it is under way. */
export interface SplitSuspect {
  readonly peer: string
  readonly tag: RingTag
  /** When it was first found (clock ms). */
  readonly since: number
}

/** What this node has seen of ring merges since it started. */
export interface MergeStats {
  /** Probes that found a member of another ring. */
  splitsFound: number
  /** Invitations this node accepted (its ring lost). */
  invitations: number
  /** Merge moves that changed this node's successor. */
  moves: number
  /** Splits this node found that it later saw healed (the peer back on its ring). */
  mergesDone: number
  /** The last healed split: with whom, and how long from finding it to seeing it healed (ms). */
  lastMerge?: { readonly peer: string, readonly durationMs: number, readonly at: number } | undefined
}

/** Ring-membership events, for logs and metrics. */
export interface RingEvents {
  splitFound? (suspect: SplitSuspect): void
  mergeDone? (peer: string, durationMs: number): void
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
  /** Peers outside this node's view that may be alive, probed for other rings. */
  readonly passive: PassiveList
  readonly mergeStats: MergeStats = { splitsFound: 0, invitations: 0, moves: 0, mergesDone: 0 }
  /** Listeners for ring-membership events. */
  events: RingEvents = {}
  private readonly transport: ChordTransport
  private readonly clock: Clock
  private readonly log: Logger
  private readonly tasks: PeriodicTask[]
  private readonly stabilizeTask: PeriodicTask
  private readonly checkPredecessorTask: PeriodicTask
  private readonly probeTask: PeriodicTask
  private readonly ctx: MergeContext & RouterContext
  private owner: OwnerDelegate | undefined
  private readonly random64: () => bigint
  private readonly suspects = new Map<string, SplitSuspect>()
  /** Peers the last probe found with this ring's tag but not routed to (merge.ts probe). */
  private readonly doubts = new Set<string>()
  /** When each tag's invitation was last taken: it is passed on once per settle period. */
  private readonly invitationsSeen = new Map<string, number>()
  private pendingInvitation: MergeInvitation | undefined
  private lastMergeStepAt = -Infinity
  private leaving = false

  constructor (self: NodeRef, transport: ChordTransport, options: ChordOptions, deps: ChordNodeDeps) {
    this.options = options
    this.transport = transport
    this.clock = deps.clock ?? systemClock
    this.log = deps.log
    this.state = new NodeState(options.space, self, options.successors)
    this.liveness = new Liveness(this.clock, options.suspectMs)
    this.random64 = deps.random64 ?? randomNonce
    this.passive = new PassiveList(this.clock, { ...options.passive, jitter: options.jitter, random: deps.random })
    this.ctx = {
      state: this.state,
      liveness: this.liveness,
      transport,
      clock: this.clock,
      maxHops: options.maxHops,
      log: this.log,
      lookupBudgetMs: options.lookupTimeoutMs,
      peerFailed: node => { this.peerFailed(node) },
      successorLost: node => { this.raiseTag(`successor ${node.peer} was dropped`) },
      lookup: async key => this.lookup(key),
      accept: invitation => { this.accept(invitation) },
      raiseTag: () => { this.raiseTag('a member of this ring answered from another ring with the same tag') },
      doubt: peer => {
        if (this.doubts.has(peer)) return true
        if (this.doubts.size >= MAX_DOUBTS) this.doubts.clear()
        this.doubts.add(peer)
        return false
      }
    }
    const task = (fn: () => Promise<TaskOutcome>, ms: number, name: string, backoff = 1): PeriodicTask =>
      new PeriodicTask(this.clock, { intervalMs: ms, maxIntervalMs: ms * backoff, jitter: options.jitter, random: deps.random }, fn,
        err => { this.log('%s failed: %s', name, (err as Error).message) })
    // Runs again at once while the first successor keeps moving (after joins
    // it walks back one node per round), so the ring settles in round trips;
    // while nothing changes it backs off (events bring it back at once).
    this.stabilizeTask = task(async () => {
      const before = this.neighbourhood()
      const successor = this.state.successor.peer
      await this.runInvitation()
      await stabilize(this.ctx)
      if (this.state.successor.peer !== successor) this.stabilizeTask.trigger()
      return this.neighbourhood() !== before
    }, options.stabilizeIntervalMs, 'stabilize', options.stableBackoff)
    this.checkPredecessorTask = task(async () => checkPredecessor(this.ctx, this.recentMs), options.checkPredecessorIntervalMs, 'check-predecessor')
    // Sleeps while the passive list is empty (nothing failed); an entry wakes it.
    this.probeTask = task(async () => this.probePassive(), options.probeIntervalMs, 'probe', options.stableBackoff)
    this.tasks = [
      this.stabilizeTask,
      // Fingers are hints (lookups never depend on them): they may go longest unchecked.
      task(async () => fixFingers(this.ctx), options.fixFingersIntervalMs, 'fix-fingers', options.fingerBackoff),
      this.checkPredecessorTask,
      this.probeTask
    ]
    this.state.onChange((change, previous) => { this.hintNeighbours(change, previous) })
  }

  get self (): NodeRef {
    return this.state.self
  }

  /**
   * Makes this node carry records: `owner` runs the operations on keys it
   * owns and takes over its arc when it joins. Once, before it joins.
   */
  carry (owner: OwnerDelegate): void {
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
      peerFailed: failed => { node.reportFailure(failed) },
      lookup: async key => (await node.lookup(key)).owner,
      replicaSetOf: async owner => {
        const successors = owner.peer === node.self.peer ? node.state.successors : (await node.transport.getState(owner)).successors
        return [owner, ...successors.slice(0, replicas - 1)]
      }
    }
  }

  /** The ring as the member guard sees it (network/member-guard.ts): who is in this node's replica neighbourhood. */
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
    const successor = await join(this.ctx, via, this.options.lookupTimeoutMs, async (s, predecessor) => {
      if (this.owner === undefined) return
      const pulled = await this.owner.pullFrom(s, predecessor)
      this.log('took over %d records from %s', pulled, s.peer)
    }, async ms => { await new Promise<void>(resolve => { this.clock.setTimeout(resolve, ms) }) })
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

  merge (_from: NodeRef, invitation: MergeInvitation): RingTag {
    const tag = this.state.tag
    if (!this.state.joined || this.leaving || tag === undefined) throw new NotReadyError('this peer is not a ring member')
    this.accept(invitation)
    return tag
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
    if (this.owner === undefined) throw new NotReadyError('this peer stores no data')
    return this.owner.execute(op)
  }

  private startMaintenance (): void {
    for (const t of this.tasks) t.start()
  }

  /** Adds peers to the passive list: bootstrap entries and remembered members that may not be on this node's ring. */
  knowPeers (nodes: readonly NodeRef[]): void {
    for (const node of nodes) if (node.peer !== this.self.peer) this.passive.add(node, 'known')
    this.probeTask.wake()
  }

  /** Members of other rings found by probing whose merge is not yet seen done. */
  get splitSuspects (): SplitSuspect[] {
    return [...this.suspects.values()]
  }

  /** Whether a merge is under way here: a split not yet seen healed, or a merge step taken recently. */
  get merging (): boolean {
    return this.suspects.size > 0 || this.clock.now() - this.lastMergeStepAt < this.options.mergeSettleMs
  }

  /**
   * An invitation to merge into the ring tagged `invitation.tag`: taken
   * once per tag and settle period, and only if that tag wins over this
   * node's own. The move runs in the stabilize task, so it never
   * interleaves with a stabilize round (one operation in flight per node,
   * as Zave's model has it).
   */
  private accept (invitation: MergeInvitation): void {
    const mine = this.state.tag
    if (!this.state.joined || mine === undefined || !tagWins(invitation.tag, mine)) return
    const key = formatTag(invitation.tag)
    const now = this.clock.now()
    const seenAt = this.invitationsSeen.get(key)
    if (seenAt !== undefined && now - seenAt < this.options.mergeSettleMs) return
    // Taken again after a while: a wave lost on the way is started anew by the next probe.
    this.invitationsSeen.delete(key)
    this.invitationsSeen.set(key, now)
    if (this.invitationsSeen.size > 16) this.invitationsSeen.delete(this.invitationsSeen.keys().next().value as string)
    if (this.pendingInvitation === undefined || tagWins(invitation.tag, this.pendingInvitation.tag)) this.pendingInvitation = invitation
    this.mergeStats.invitations++
    this.lastMergeStepAt = this.clock.now()
    this.stabilizeTask.trigger()
  }

  /** Makes the merge move of a pending invitation, then passes the invitation on to the old successor. */
  private async runInvitation (): Promise<void> {
    const invitation = this.pendingInvitation
    if (invitation === undefined) return
    this.pendingInvitation = undefined
    const previous = this.state.successors[0]
    try {
      if (await mergeMove(this.ctx, invitation)) {
        this.mergeStats.moves++
        this.log('merge: joined ring %s through %s; successor now %s', formatTag(invitation.tag), invitation.contact.peer, this.state.successor.peer)
      }
    } catch (err) {
      this.log('merge move through %s failed: %s', invitation.contact.peer, (err as Error).message)
    }
    this.lastMergeStepAt = this.clock.now()
    // Around the old ring: each member makes its own move, so the losing
    // ring joins in parallel rather than only through stabilization.
    if (previous !== undefined && previous.peer !== invitation.contact.peer) {
      this.transport.merge(previous, invitation).catch(() => {})
    }
  }

  /** One round of probing: the passive-list entries that are due. Resolves with whether any was, or idle when none is left. */
  private async probePassive (): Promise<TaskOutcome> {
    if (!this.state.joined || this.leaving) return false
    if (this.passive.size === 0) return 'idle'
    const due = this.passive.due(this.options.probesPerRound)
    await Promise.all(due.map(async ({ node }) => {
      const outcome = await probe(this.ctx, node).catch((err: unknown) => {
        this.log('probing %s failed: %s', node.peer, (err as Error).message)
        return { kind: 'unreachable' } as const
      })
      if (outcome.kind !== 'doubt') this.doubts.delete(node.peer)
      switch (outcome.kind) {
        case 'doubt':
          this.passive.answered(node.peer)
          break
        case 'unreachable':
          // Gone or cut off again: no longer a split this peer can vouch for.
          this.suspects.delete(node.peer)
          this.passive.unanswered(node.peer)
          break
        case 'not-member':
          this.suspects.delete(node.peer)
          this.passive.answered(node.peer, this.options.passive.maxMs)
          break
        case 'same-ring':
          this.passive.remove(node.peer)
          this.splitHealed(node.peer)
          break
        case 'other-ring':
          // Probe again soon: the next answer tells whether the merge is done.
          this.passive.answered(node.peer)
          this.splitFound(node.peer, outcome.tag)
          break
      }
    }))
    return due.length > 0
  }

  private splitFound (peer: string, tag: RingTag): void {
    this.lastMergeStepAt = this.clock.now()
    const known = this.suspects.get(peer)
    if (known !== undefined) return
    const suspect = { peer, tag, since: this.clock.now() }
    this.suspects.set(peer, suspect)
    this.mergeStats.splitsFound++
    this.log('split: %s is a member of ring %s, this peer of %s; merging', peer, formatTag(tag), this.state.tag === undefined ? '?' : formatTag(this.state.tag))
    this.events.splitFound?.(suspect)
  }

  private splitHealed (peer: string): void {
    const suspect = this.suspects.get(peer)
    if (suspect === undefined) return
    this.suspects.delete(peer)
    const durationMs = this.clock.now() - suspect.since
    this.mergeStats.mergesDone++
    this.mergeStats.lastMerge = { peer, durationMs, at: this.clock.now() }
    this.events.mergeDone?.(peer, durationMs)
  }

  /** A new ring tag for this node's side: after a successor was lost, the ring may have split here. */
  private raiseTag (why: string): void {
    const tag = this.state.tag
    if (!this.state.joined || tag === undefined) return
    this.state.setTag(raisedTag(tag, this.random64))
    this.log('ring tag raised to %s (%s)', formatTag(this.state.tag as RingTag), why)
  }

  /**
   * Tells the neighbour whose view just went stale to stabilize now: our
   * predecessor when our successor list or ring tag changed (its list is
   * built from ours), the old predecessor when a new one took its place (its
   * successor should become the newcomer). Only a hint; the periodic rounds
   * stay the protocol.
   */
  private hintNeighbours (change: 'successors' | 'predecessor' | 'ring', previous: NodeRef | undefined): void {
    // A new tag also goes to the predecessor: tags spread from successor to predecessor.
    const to = change === 'predecessor' ? previous : this.state.predecessor
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
    // It may be alive on the far side of a partition: probe it later.
    if (this.state.joined) {
      this.passive.add(node, 'failed')
      this.probeTask.wake()
    }
    if (this.state.successors.some(s => s.peer === node.peer)) this.stabilizeTask.trigger()
  }
}

/** 64 random bits from the system's generator. */
function randomNonce (): bigint {
  return randomBytes(8).readBigUInt64BE()
}
