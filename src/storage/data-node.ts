import { BusyError, isPeerFailure, NotMemberError, NotReadyError } from '../errors.js'
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import { DATA } from '../defaults.js'
import type { Limits } from '../limits.js'
import { Entry, type EntryRing } from './entry.js'
import { KeyOwner } from './owner.js'
import { OwnedArc } from './owned-arc.js'
import { RecordServer } from './record-server.js'
import type { Clock } from '../node/clock.js'
import { compareVersions, isExpired, type KvRecord } from '../protocol/record.js'
import { ringIdOfKey } from '../ring/hash.js'
import { betweenRightIncl, SHA256_SPACE } from '../ring/ids.js'
import { Coverage } from './coverage.js'
import { HybridClock, timestampAt } from './hlc.js'
import { batches, dropSurplus, handOver, offerAndSend, pullArc, type HandoffContext, type ReplicaSetOf } from './handoff.js'
import { HintedHandoff, type HintLimits, type HintStats } from './hints.js'
import { JoinerArcs } from './joiner-arcs.js'
import { RateLimiter } from './rate-limiter.js'
import { ArcRepair, emptyStats, type RepairOptions, type RepairStats } from './repair.js'
import { intendedReplicas, replicaCandidates, type ReplicaSet, type ReplicationOptions, type WriteFollowUp } from './replication.js'
import type { IndexedStore } from './indexed-store.js'
import type { DataTransport } from '../protocol/ports.js'
import type { DataOp, OpResult } from '../protocol/messages.js'
import type { RingId } from '../ring/ids.js'
import type { NodeRef } from '../ring/node-ref.js'
import type { Logger } from '@libp2p/interface'

/** What the data layer needs to know of the ring. */
export interface DataRing extends ReplicaSet, EntryRing {
  readonly predecessor: NodeRef | undefined
  readonly joined: boolean
  /** The owner of a key, found by a lookup. */
  lookup (key: RingId): Promise<NodeRef>
  /** The owner and its next k−1 successors, as the owner sees them. */
  replicaSetOf: ReplicaSetOf
}

export interface DataNodeOptions {
  readonly limits: Limits
  readonly replication: ReplicationOptions
  readonly repair: RepairOptions & {
    /** Average bytes per second repair may move. */
    readonly maxBytesPerSecond: number
  }
  /** Tombstones older than this are deleted (ms); must exceed any peer's downtime. */
  readonly tombstoneGraceMs: number
  /**
   * After losing a ring neighbour (a crash, or a partition it cannot tell
   * from one), how long a peer answers REPLICAS_UNAVAILABLE rather than
   * NOT_FOUND for keys it lacks (ms).
   */
  readonly notFoundGraceMs: number
  /** Writes kept in memory for replicas that missed them (hinted hand-off). */
  readonly hints: HintLimits
  /**
   * How long an owner's word that this peer replicates its arc holds unless
   * repeated (ms); it is repeated on every repair pass, so this must exceed
   * the longest repair period.
   */
  readonly replicaTtlMs: number
  /**
   * Client requests this peer sends into the ring at once; more wait here
   * for their turn. A burst from one client then queues where it entered
   * instead of flooding the owners and replicas, whose replies would slow
   * past their timeouts and leave writes on fewer than k replicas.
   */
  readonly maxEntryOps: number
}

export interface DataNodeComponents {
  readonly records: IndexedStore
  readonly ring: DataRing
  readonly transport: DataTransport
  readonly clock: Clock
  readonly log: Logger
}

/** The last anti-entropy pass, for status and benchmarks. */
export interface RepairReport extends RepairStats {
  /** Passes run since start. */
  readonly rounds: number
  readonly durationMs: number
  readonly peers: number
}

/**
 * The key/value side of a peer. Its roles are parts of their own: where a
 * client's request enters the ring ({@link Entry}, which fixes a write's
 * version from a hybrid logical clock), what runs there as the key's owner
 * ({@link KeyOwner}: writes to k replicas with a write quorum W, reads
 * consulting the other replicas when its own copy is missing or may be
 * stale) and what it serves its peers as a replica ({@link RecordServer},
 * which keeps whichever version is newest). It keeps the writes replicas
 * missed for them (hinted hand-off). In the background it repairs: the
 * owner compares its arc with each of its k−1 successors by digest and both
 * sides take the versions they lack; records nobody needs here any more are
 * handed to their holders and deleted only once they have them; old
 * tombstones are collected.
 */
export class DataNode {
  readonly records: IndexedStore
  readonly clock: HybridClock
  /** Where clients' requests enter the ring. */
  readonly entry: Entry
  /** What this peer serves its peers as a replica. */
  readonly server: RecordServer
  /** Where a routed operation on a key this peer owns runs. */
  readonly owner: KeyOwner
  private readonly ring: DataRing
  private readonly transport: DataTransport
  private readonly options: DataNodeOptions
  private readonly log: Logger
  private readonly time: Clock
  private readonly repairer: ArcRepair
  private readonly handoff: HandoffContext
  private readonly coverage: Coverage
  private readonly hints: HintedHandoff
  private readonly arc: OwnedArc
  private readonly joiners: JoinerArcs
  /**
   * Whether this peer serves the keys it owns: from founding a ring on; a
   * joiner once its predecessor adopted it and it caught up with its
   * successor (see {@link settle}).
   */
  private settled = false
  private settling: Promise<void> | undefined
  private lastRepair: RepairReport = { ...emptyStats(), rounds: 0, durationMs: 0, peers: 0 }
  /** Everything repair has moved since start. */
  readonly repairTotals: RepairStats = emptyStats()
  /** Told when a write is kept for a replica that missed it (the delivery task sleeps while there are none). */
  hintKept: () => void = () => {}
  /** Values turned into deletions here since start because they expired. */
  expired = 0
  /** Told when a value that expires is stored (the expiry task sleeps while there are none). */
  expiryQueued: () => void = () => {}
  /** Told when this peer joined and does not serve its keys yet (the settle task sleeps otherwise). */
  settleWanted: () => void = () => {}

  constructor (components: DataNodeComponents, options: DataNodeOptions) {
    const { records: store, ring, transport, log, clock: time } = components
    this.records = store
    this.ring = ring
    this.transport = transport
    this.options = options
    this.log = log
    this.time = time
    this.clock = new HybridClock(() => time.wallMs())
    const { limits, replication: { maxClockOffsetMs }, repair: { batchRecords, batchBytes } } = options
    this.entry = new Entry({ ring, clock: this.clock }, { limits, maxClockOffsetMs, maxEntryOps: options.maxEntryOps })
    this.coverage = new Coverage(SHA256_SPACE, ring.self.id, { replicaTtlMs: options.replicaTtlMs, lossGraceMs: options.notFoundGraceMs, graceMs: options.tombstoneGraceMs, factor: options.replication.factor }, () => time.now())
    const joiners = this.joiners = new JoinerArcs(DATA.joinerArcs)
    const hostJoin = (start: RingId): void => { this.hostJoin(start) }
    this.server = new RecordServer({ self: ring.self, records: store, hlc: this.clock, clock: time, coverage: this.coverage, entry: this.entry, joiners, hostJoin, transport, log },
      { maxClockOffsetMs, batchRecords, batchBytes })
    const keep = async (records: readonly KvRecord[]): Promise<void> => { await this.server.keep(records) }
    this.repairer = new ArcRepair(store, transport, new RateLimiter(options.repair.maxBytesPerSecond, time), options.repair, keep)
    this.handoff = { records: store, transport, batchRecords, batchBytes, keep }
    store.onExpiring = () => { this.expiryQueued() }
    const hints = this.hints = new HintedHandoff(options.hints)
    const followUp: WriteFollowUp = {
      missed: (replica, record) => {
        hints.add(replica, record)
        this.hintKept()
      },
      stored: (replica, record) => { hints.stored(replica, record) }
    }
    this.arc = new OwnedArc({ ring, coverage: this.coverage })
    this.owner = new KeyOwner({ records: store, ring, transport, hlc: this.clock, clock: time, arc: this.arc, coverage: this.coverage, entry: this.entry, followUp, joiners, log },
      { limits, replication: options.replication })
  }

  get replication (): ReplicationOptions {
    return this.options.replication
  }

  /** Runs a data operation on this peer, the key's owner. */
  async execute (op: DataOp): Promise<OpResult> {
    if (!this.settled) throw new NotReadyError('this peer joined a moment ago and does not serve keys yet: its predecessor has not adopted it, or it is catching up with its successor; retry')
    return this.owner.execute(op)
  }

  /**
   * Turns the values that expired by `nowMs` into deletions at their own
   * versions (the value dropped, the expiry kept), a batch at a time,
   * yielding to other work between batches. Reads never wait for this:
   * they answer an expired value as absent. Returns how many expired.
   */
  async expireDue (nowMs = this.time.wallMs()): Promise<number> {
    let expired = 0
    while (true) {
      const due = this.records.expiring.due(nowMs, DATA.expiryBatch)
      if (due.length === 0) return expired
      for (const { key, version } of due) {
        const record = await this.records.get(key)
        if (record === undefined || record.value === undefined || compareVersions(record.version, version) !== 0 || !isExpired(record, nowMs)) continue
        if (!(await this.records.put({ key, value: undefined, version, expiresAtMs: record.expiresAtMs })).applied) continue
        expired++
        this.expired++
      }
      await yieldToLoop()
    }
  }

  /** Expiring values held here, not yet expired (or expired since the last pass). */
  get expiring (): number {
    return this.records.expiring.size
  }

  // Moving records.

  /** Join: copies (predecessor, self] from the successor (whole ring of it when it was alone). */
  async pullFrom (successor: NodeRef, predecessor: NodeRef | undefined): Promise<number> {
    this.settled = false
    const from = (predecessor ?? successor).id
    const pulled = await pullArc(this.handoff, successor, from, this.ring.self.id)
    this.coverage.received(from)
    return pulled
  }

  /**
   * A joiner serves its keys once its predecessor adopted it and it caught
   * up with its successor: until a peer adopts it, peers before it may take
   * a peer further on for the owner of its keys, or it may take itself for
   * the owner of another joiner's (an appendage in Zave's terms has no
   * keys). Meanwhile its successor takes the writes for its arc and sends
   * them here too; the catch-up by digest brings any it could not send. Then
   * it tells the successor, as an owner, that it holds its arc: the next
   * peer may join there. Tried on each ring change, and again by the data
   * tasks until it succeeds. Resolves with whether this peer serves its keys.
   */
  async settle (): Promise<boolean> {
    if (this.settled) return true
    this.settling ??= this.trySettle().finally(() => { this.settling = undefined })
    await this.settling
    return this.settled
  }

  private async trySettle (): Promise<void> {
    const pred = this.ring.predecessor
    const successor = this.ring.successors.find(s => s.peer !== this.ring.self.peer)
    if (!this.ring.joined || pred === undefined || successor === undefined) return
    const self = this.ring.self.id
    try {
      await this.repairer.sync(successor, pred.id, self)
      if (this.ring.predecessor?.peer !== pred.peer) return
      this.settled = true
      this.log('serving keys: adopted by %s, caught up with %s', pred.peer, successor.peer)
      await this.transport.summary(successor, pred.id, self, 1, true)
    } catch (err) {
      this.log('settling after the join with %s failed (tried again): %s', successor.peer, (err as Error).message)
    }
  }

  /**
   * Throws unless a peer may join in front of this one, copying the arc
   * from `start`: this peer serves its own keys, and `start` is its
   * predecessor still (or itself, alone).
   */
  private hostJoin (start: RingId): void {
    if (!this.settled) throw new BusyError('this peer is joining the ring itself and does not serve keys yet; retry')
    const own = (this.ring.predecessor ?? this.ring.self).id
    if (start !== own) throw new NotMemberError('this peer\'s predecessor changed since the joiner read it: look the successor up again')
  }

  /** After the join: settles as soon as its predecessor adopts it. */
  joined (): void {
    this.settleSoon()
  }

  /**
   * The peer founded a ring: it alone holds every key, unless peers that
   * may hold keys it lacks were out of reach (`vouched` false).
   */
  founded (vouched: boolean): void {
    if (vouched) this.coverage.holdWhole()
    else this.coverage.holdNothingYet()
    this.settled = true
  }

  /** The predecessor or the successors changed. */
  ringChanged (): void {
    this.arc.ringChanged()
    this.joiners.predecessorIs(this.ring.predecessor?.peer)
    if (!this.settled) this.settleSoon()
  }

  /** Tries to settle now, and has the data tasks try again until it does. */
  private settleSoon (): void {
    this.settleWanted()
    void this.settle()
  }

  /**
   * One anti-entropy pass: the arc this peer owns, (predecessor, self], is
   * compared with each of its first k−1 live successors; both sides take the
   * versions they lack.
   */
  async repair (): Promise<RepairReport> {
    const pred = this.ring.predecessor
    // An unsettled joiner's word on its arc would let the next joiner in (see settle).
    if (!(await this.settle()) || !this.ring.joined || pred === undefined || this.options.replication.factor < 2) return this.lastRepair
    this.ringChanged()
    const startedAt = this.time.now()
    const hintsBefore = this.hints.mark()
    const stats = emptyStats()
    const synced = new Set<string>()
    for (const peer of replicaCandidates(this.ring)) {
      if (synced.size >= this.options.replication.factor - 1) break
      try {
        await this.repairer.sync(peer, pred.id, this.ring.self.id, stats, true)
        synced.add(peer.peer)
        // The peer now holds every version of the arc this peer held: hints for it there are moot.
        this.hints.drop(peer.peer, record => betweenRightIncl(pred.id, ringIdOfKey(record.key), this.ring.self.id), hintsBefore)
      } catch (err) {
        if (!isPeerFailure(err)) throw err
        this.ring.peerFailed(peer)
      }
    }
    // Only the intended replicas may hold writes this peer missed: a pass with peers standing in for one does not count.
    const intended = intendedReplicas(this.ring, this.options.replication.factor)
    if (intended.every(r => synced.has(r.peer)) && this.ring.predecessor?.peer === pred.peer) this.coverage.repaired(startedAt, synced.size)
    this.lastRepair = { ...stats, rounds: this.lastRepair.rounds + 1, durationMs: this.time.now() - startedAt, peers: synced.size }
    for (const field of ['summaries', 'digestPages', 'pushed', 'pulled', 'bytes'] as const) this.repairTotals[field] += stats[field]
    if (stats.pushed + stats.pulled > 0) this.log('repair: pushed %d, pulled %d records (%d bytes) with %d peers', stats.pushed, stats.pulled, stats.bytes, synced.size)
    return this.lastRepair
  }

  /**
   * Hinted hand-off: sends the writes kept for replicas that missed them to
   * each one that is not suspected any more, oldest first. Hints for a peer
   * that is no longer among this owner's replicas, or for keys this peer no
   * longer owns, are dropped (the current owner's writes and repair take
   * over). Returns how many records were delivered.
   */
  async deliverHints (): Promise<number> {
    const pred = this.ring.predecessor
    const self = this.ring.self
    const replicas = new Set(intendedReplicas(this.ring, this.options.replication.factor).map(r => r.peer))
    const { batchRecords, batchBytes } = this.options.repair
    const delivered = await Promise.all(this.hints.replicas().map(async replica => {
      if (!replicas.has(replica.peer)) {
        this.hints.drop(replica.peer, () => true)
        return 0
      }
      if (pred !== undefined) this.hints.drop(replica.peer, record => !betweenRightIncl(pred.id, ringIdOfKey(record.key), self.id))
      let sent = 0
      while (!this.ring.isSuspect(replica.peer)) {
        const batch = this.hints.batch(replica.peer, batchRecords, batchBytes)
        if (batch.length === 0) break
        try {
          await this.transport.store(replica, batch)
        } catch (err) {
          if (isPeerFailure(err)) this.ring.peerFailed(replica)
          break
        }
        this.hints.deliveredTo(replica, batch)
        sent += batch.length
      }
      return sent
    }))
    return delivered.reduce((a, b) => a + b, 0)
  }

  /** What hinted hand-off holds and did. */
  get hintStats (): HintStats {
    return this.hints.stats()
  }

  /** The last anti-entropy pass. */
  get repairReport (): RepairReport {
    return this.lastRepair
  }

  /** Hands records this peer neither owns nor replicates to their holders; returns how many it deleted. */
  async dropSurplus (): Promise<number> {
    const pred = this.ring.predecessor
    if (!this.ring.joined || pred === undefined) return 0
    return dropSurplus(this.handoff, this.ring.self, this.coverage.replicatedFrom(pred.id), async key => this.ring.lookup(key), this.ring.replicaSetOf)
  }

  /**
   * Leave: copies (or, with `remove`, moves) every record to the successor
   * taking over. After the copy the successor holds this peer's whole arc,
   * and is told so, as a replica is by repair: it can then vouch for the
   * arc's missing keys once it owns it.
   */
  async handOffAll (to: NodeRef, remove: boolean): Promise<number> {
    let moved = 0
    for await (const batch of batches(this.records, this.ring.self.id, this.ring.self.id, this.options.repair.batchRecords)) {
      moved += remove ? await handOver(this.handoff, [to], batch, true) : await offerAndSend(this.handoff, to, batch)
    }
    const pred = this.ring.predecessor
    if (!remove && pred !== undefined) await this.transport.summary(to, pred.id, this.ring.self.id, 1, true)
    return moved
  }

  /** Deletes tombstones older than the grace period; returns how many. */
  async collectTombstones (nowMs = this.time.wallMs()): Promise<number> {
    if (this.records.counts().tombstones === 0) return 0
    const horizonMs = nowMs - this.options.tombstoneGraceMs
    const horizon = timestampAt(horizonMs)
    let removed = 0
    for await (const { record } of this.records.range(this.ring.self.id, this.ring.self.id)) {
      // An expired value's deletion counts from its expiry.
      const old = record.version.timestamp < horizon && (record.expiresAtMs === undefined || record.expiresAtMs < horizonMs)
      if (record.value === undefined && old && await this.records.remove(record.key, record.version) !== undefined) removed++
    }
    return removed
  }

  /** Live keys in (predecessor, self], the arc this peer owns. */
  async ownedKeys (): Promise<number> {
    const pred = this.ring.predecessor
    if (pred === undefined) return this.records.counts().keys
    let owned = 0
    for await (const { record } of this.records.range(pred.id, this.ring.self.id)) if (record.value !== undefined) owned++
    return owned
  }
}
