import { BadRequestError, isPeerFailure } from '../errors.js'
import { isNewer, type KvRecord, type RecordDigest } from '../protocol/record.js'
import { checkVersionAhead, HybridClock } from './hlc.js'
import { batches, dropSurplus, handOver, offerAndSend, pullArc, type HandoffContext, type ReplicaSetOf } from './handoff.js'
import { RateLimiter } from './rate-limiter.js'
import { ArcRepair, emptyStats, sizeOf, type RepairOptions, type RepairStats } from './repair.js'
import { quorumRead, replicaCandidates, replicateWrite, type ReplicaSet, type ReplicationOptions } from './replication.js'
import type { IndexedStore } from './indexed-store.js'
import type { DataHandlers, DataTransport } from '../network/transport.js'
import type { ArcSummary, DataOp, DigestPage, FetchResult, OpResult, RangePage } from '../protocol/messages.js'
import type { RingId } from '../ring/ids.js'
import type { NodeRef } from '../ring/node-ref.js'
import type { Logger } from '@libp2p/interface'

/** Size limits for keys and values (bytes). */
export interface Limits {
  readonly maxKeyBytes: number
  readonly maxValueBytes: number
}

/** Key ≤ 1 KiB, value ≤ 1 MiB. */
export const DEFAULT_LIMITS: Limits = { maxKeyBytes: 1024, maxValueBytes: 1024 * 1024 }

/** What the data layer needs to know of the ring. */
export interface DataRing extends ReplicaSet {
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
}

/** The last anti-entropy pass, for status and benchmarks. */
export interface RepairReport extends RepairStats {
  /** Passes run since start. */
  readonly rounds: number
  readonly durationMs: number
  readonly peers: number
}

/**
 * The key/value side of a peer. As a key's owner it assigns versions (a
 * hybrid logical clock), writes to k replicas with a write quorum W and
 * reads with a read quorum R; as a replica it keeps whichever version is
 * newest. In the background it repairs: the owner compares its arc with
 * each of its k−1 successors by digest and both sides take the versions
 * they lack; records nobody needs here any more are handed to their holders
 * and deleted only once they have them; old tombstones are collected.
 */
export class DataNode implements DataHandlers {
  readonly records: IndexedStore
  readonly clock = new HybridClock()
  private readonly ring: DataRing
  private readonly transport: DataTransport
  private readonly options: DataNodeOptions
  private readonly log: Logger
  private readonly repairer: ArcRepair
  private readonly handoff: HandoffContext
  private lastRepair: RepairReport = { ...emptyStats(), rounds: 0, durationMs: 0, peers: 0 }
  /** Everything repair has moved since start. */
  readonly repairTotals: RepairStats = emptyStats()

  constructor (store: IndexedStore, ring: DataRing, transport: DataTransport, options: DataNodeOptions, log: Logger) {
    this.records = store
    this.ring = ring
    this.transport = transport
    this.options = options
    this.log = log
    const keep = async (records: readonly KvRecord[]): Promise<void> => { await this.keep(records) }
    this.repairer = new ArcRepair(store, transport, new RateLimiter(options.repair.maxBytesPerSecond), options.repair, keep)
    this.handoff = { records: store, transport, batchRecords: options.repair.batchRecords, batchBytes: options.repair.batchBytes, keep }
  }

  get replication (): ReplicationOptions {
    return this.options.replication
  }

  /** Checks a key (and value) against the limits; throws BadRequestError naming the limit. */
  checkLimits (key: Uint8Array, value?: Uint8Array): void {
    const { maxKeyBytes, maxValueBytes } = this.options.limits
    if (key.byteLength === 0) throw new BadRequestError('key must not be empty')
    if (key.byteLength > maxKeyBytes) throw new BadRequestError(`key is ${key.byteLength} bytes; the limit is ${maxKeyBytes}`)
    if (value !== undefined && value.byteLength > maxValueBytes) throw new BadRequestError(`value is ${value.byteLength} bytes; the limit is ${maxValueBytes}`)
  }

  /** Runs a data operation on this peer, the key's owner. */
  async execute (op: DataOp): Promise<OpResult> {
    this.checkLimits(op.key, op.kind === 'put' ? op.value : undefined)
    switch (op.kind) {
      case 'get': {
        const record = await quorumRead(this.records, this.transport, this.ring, this.options.replication, op.key)
        return { record: record?.value === undefined ? undefined : record }
      }
      case 'put': {
        const record = this.version(op.key, op.value)
        const replicas = await replicateWrite(this.records, this.transport, this.ring, this.options.replication, record)
        return { record: { ...record, value: undefined }, replicas }
      }
      case 'del': {
        const before = await this.records.get(op.key)
        const record = this.version(op.key, undefined)
        const replicas = await replicateWrite(this.records, this.transport, this.ring, this.options.replication, record)
        return { record, existed: before?.value !== undefined, replicas }
      }
    }
  }

  // Handlers for peers' requests.

  async offer (_from: NodeRef, digests: readonly RecordDigest[]): Promise<number[]> {
    const wanted: number[] = []
    for (let i = 0; i < digests.length; i++) {
      const digest = digests[i] as RecordDigest
      this.checkLimits(digest.key)
      checkVersionAhead(digest.version, Date.now(), this.options.replication.maxClockOffsetMs)
      if (isNewer(digest.version, (await this.records.get(digest.key))?.version)) wanted.push(i)
    }
    return wanted
  }

  async store (_from: NodeRef, records: readonly KvRecord[]): Promise<void> {
    await this.keep(records)
  }

  async range (_from: NodeRef, start: RingId, until: RingId, after: Uint8Array | undefined, limit: number): Promise<RangePage> {
    const records: KvRecord[] = []
    let bytes = 0
    const max = Math.max(1, Math.min(limit, this.options.repair.batchRecords))
    for await (const { record } of this.records.range(start, until, after)) {
      if (records.length >= max || bytes >= this.options.repair.batchBytes) return { records, more: true }
      records.push(record)
      bytes += sizeOf(record)
    }
    return { records, more: false }
  }

  async summary (_from: NodeRef, start: RingId, until: RingId, parts: number): Promise<ArcSummary[]> {
    return this.records.summarizeParts(start, until, parts)
  }

  async digests (_from: NodeRef, start: RingId, until: RingId, after: Uint8Array | undefined, limit: number): Promise<DigestPage> {
    const digests: RecordDigest[] = []
    const max = Math.max(1, Math.min(limit, this.options.repair.batchRecords))
    for await (const { record } of this.records.range(start, until, after)) {
      if (digests.length >= max) return { digests, more: true }
      digests.push({ key: record.key, version: record.version })
    }
    return { digests, more: false }
  }

  async fetch (_from: NodeRef, keys: readonly Uint8Array[]): Promise<FetchResult> {
    const records: KvRecord[] = []
    let bytes = 0
    let served = 0
    for (const key of keys) {
      this.checkLimits(key)
      const record = await this.records.get(key)
      // Stop before the reply outgrows a frame; always serve at least one key.
      if (record !== undefined && served > 0 && bytes + sizeOf(record) > this.options.repair.batchBytes) break
      if (record !== undefined) {
        records.push(record)
        bytes += sizeOf(record)
      }
      served++
    }
    return { records, served }
  }

  // Moving records.

  /** Join: copies (predecessor, self] from the successor (whole ring of it when it was alone). */
  async pullFrom (successor: NodeRef, predecessor: NodeRef | undefined): Promise<number> {
    return pullArc(this.handoff, successor, (predecessor ?? successor).id, this.ring.self.id)
  }

  /**
   * One anti-entropy pass: the arc this peer owns, (predecessor, self], is
   * compared with each of its first k−1 live successors; both sides take the
   * versions they lack.
   */
  async repair (): Promise<RepairReport> {
    const pred = this.ring.predecessor
    if (!this.ring.joined || pred === undefined || this.options.replication.factor < 2) return this.lastRepair
    const started = performance.now()
    const stats = emptyStats()
    let peers = 0
    for (const peer of replicaCandidates(this.ring)) {
      if (peers >= this.options.replication.factor - 1) break
      try {
        await this.repairer.sync(peer, pred.id, this.ring.self.id, stats)
        peers++
      } catch (err) {
        if (!isPeerFailure(err)) throw err
        this.ring.peerFailed(peer)
      }
    }
    this.lastRepair = { ...stats, rounds: this.lastRepair.rounds + 1, durationMs: performance.now() - started, peers }
    for (const field of ['summaries', 'digestPages', 'pushed', 'pulled', 'bytes'] as const) this.repairTotals[field] += stats[field]
    if (stats.pushed + stats.pulled > 0) this.log('repair: pushed %d, pulled %d records (%d bytes) with %d peers', stats.pushed, stats.pulled, stats.bytes, peers)
    return this.lastRepair
  }

  /** The last anti-entropy pass. */
  get repairReport (): RepairReport {
    return this.lastRepair
  }

  /** Hands records this peer neither owns nor replicates to their holders; returns how many it deleted. */
  async dropSurplus (): Promise<number> {
    const pred = this.ring.predecessor
    if (!this.ring.joined || pred === undefined) return 0
    return dropSurplus(this.handoff, this.ring.self, pred, async key => this.ring.lookup(key), this.ring.replicaSetOf)
  }

  /** Leave: copies (or, with `remove`, moves) every record to the successor taking over. */
  async handOffAll (to: NodeRef, remove: boolean): Promise<number> {
    let moved = 0
    for await (const batch of batches(this.records, this.ring.self.id, this.ring.self.id, this.options.repair.batchRecords)) {
      moved += remove ? await handOver(this.handoff, [to], batch, true) : await offerAndSend(this.handoff, to, batch)
    }
    return moved
  }

  /** Deletes tombstones older than the grace period; returns how many. */
  async collectTombstones (nowMs = Date.now()): Promise<number> {
    if (this.records.counts().tombstones === 0) return 0
    const horizon = BigInt(Math.max(0, Math.floor(nowMs - this.options.tombstoneGraceMs))) << 16n
    let removed = 0
    for await (const { record } of this.records.range(this.ring.self.id, this.ring.self.id)) {
      if (record.value === undefined && record.version.timestamp < horizon && await this.records.remove(record.key, record.version) !== undefined) removed++
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

  /** Keeps each record that is newer than the one held. */
  private async keep (records: readonly KvRecord[]): Promise<void> {
    for (const record of records) {
      this.checkLimits(record.key, record.value)
      checkVersionAhead(record.version, Date.now(), this.options.replication.maxClockOffsetMs)
      this.clock.observe(record.version)
      await this.records.put(record)
    }
  }

  private version (key: Uint8Array, value: Uint8Array | undefined): KvRecord {
    return { key, value, version: { timestamp: this.clock.now(), writer: this.ring.self.peer } }
  }
}
