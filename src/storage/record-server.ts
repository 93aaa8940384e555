import { WATCH } from '../defaults.js'
import { isNewer, type KvRecord, type RecordDigest } from '../protocol/record.js'
import { sizeOf } from './repair.js'
import { WatchRegistry } from './watch-registry.js'
import type { Coverage } from './coverage.js'
import type { Entry } from './entry.js'
import type { HybridClock } from './hlc.js'
import type { IndexedStore } from './indexed-store.js'
import type { JoinerArcs } from './joiner-arcs.js'
import type { Clock } from '../node/clock.js'
import type { DataHandlers, DataTransport } from '../protocol/ports.js'
import type { ArcSummary, DataOp, DigestPage, FetchResult, RangePage, WatchQuery } from '../protocol/messages.js'
import type { RingId } from '../ring/ids.js'
import type { NodeRef } from '../ring/node-ref.js'
import type { Logger } from '@libp2p/interface'

export interface RecordServerComponents {
  readonly self: NodeRef
  readonly records: IndexedStore
  /** This peer's hybrid logical clock: versions too far ahead are refused, others observed. */
  readonly hlc: HybridClock
  readonly clock: Clock
  /** What this peer can vouch for: an owner's word that this peer replicates its arc lands here. */
  readonly coverage: Coverage
  /** Where a routed write from a stranger is admitted, and the limits every key and value is checked against. */
  readonly entry: Entry
  /** The arcs joiners copied from this peer: a page of a peer's own arc is one; an owner's word on its arc settles it. */
  readonly joiners: Pick<JoinerArcs, 'copied' | 'settled'>
  /** Throws unless a peer may join in front of this one, copying the arc from `start` (the predecessor it read here). */
  readonly hostJoin: (start: RingId) => void
  /** Watch events go out through it. */
  readonly transport: Pick<DataTransport, 'watchEvent'>
  readonly log: Logger
}

export interface RecordServerInit {
  /** A version this far ahead of this peer's clock is refused (ms). @default 60 s */
  readonly maxClockOffsetMs: number
  /** Records and bytes per page served. @default DATA.repair */
  readonly batchRecords: number
  readonly batchBytes: number
}

/**
 * A peer as a replica: it answers its peers' record requests (offers,
 * stores, ranges, summaries, digests and fetches of repair and hand-off;
 * watch registrations) and keeps whichever version of a record is newest.
 * Every version stored here is told to the peers watching its key.
 */
export class RecordServer implements DataHandlers {
  /** The peers watching keys held here, told of every version stored. */
  readonly watchers = new WatchRegistry(WATCH)
  /** Told of a version stored here of a key this peer's own clients watch. */
  watchedHere: (record: KvRecord) => void = () => {}
  private readonly components: RecordServerComponents
  private readonly init: RecordServerInit

  constructor (components: RecordServerComponents, init: RecordServerInit) {
    this.components = components
    this.init = init
    components.records.onStored = record => { this.tellWatchers(record) }
  }

  /** Keeps each record that is newer than the one held. */
  async keep (records: readonly KvRecord[]): Promise<void> {
    const { hlc } = this.components
    for (const record of records) {
      this.checkLimits(record.key, record.value)
      hlc.refuseAhead(record.version, this.init.maxClockOffsetMs)
      hlc.observe(record.version)
      await this.components.records.put(record)
    }
  }

  admitFromStranger (op: DataOp): DataOp {
    return this.components.entry.admitFromStranger(op)
  }

  async offer (_from: NodeRef, digests: readonly RecordDigest[]): Promise<number[]> {
    const wanted: number[] = []
    for (let i = 0; i < digests.length; i++) {
      const digest = digests[i] as RecordDigest
      this.checkLimits(digest.key)
      this.components.hlc.refuseAhead(digest.version, this.init.maxClockOffsetMs)
      if (isNewer(digest.version, (await this.components.records.get(digest.key))?.version)) wanted.push(i)
    }
    return wanted
  }

  async store (_from: NodeRef, records: readonly KvRecord[]): Promise<void> {
    await this.keep(records)
  }

  async range (from: NodeRef, start: RingId, until: RingId, after: Uint8Array | undefined, limit: number): Promise<RangePage> {
    // Before the page is read: a write stored after it is sent to the joiner.
    if (until === from.id && from.peer !== this.components.self.peer) {
      this.components.hostJoin(start)
      this.components.joiners.copied(from, start, this.components.clock.now())
    }
    const records: KvRecord[] = []
    let bytes = 0
    const max = Math.max(1, Math.min(limit, this.init.batchRecords))
    for await (const { record } of this.components.records.range(start, until, after)) {
      if (records.length >= max || bytes >= this.init.batchBytes) return { records, more: true }
      records.push(record)
      bytes += sizeOf(record)
    }
    return { records, more: false }
  }

  async summary (from: NodeRef, start: RingId, until: RingId, parts: number, ownerArc = false): Promise<ArcSummary[]> {
    // An owner can only speak for its own arc, which ends at itself.
    if (ownerArc && until === from.id) {
      this.components.coverage.replicaOf(from.peer, start, until)
      this.components.joiners.settled(from.peer, this.components.clock.now())
    }
    return this.components.records.summarizeParts(start, until, parts)
  }

  async digests (_from: NodeRef, start: RingId, until: RingId, after: Uint8Array | undefined, limit: number): Promise<DigestPage> {
    const digests: RecordDigest[] = []
    const max = Math.max(1, Math.min(limit, this.init.batchRecords))
    for await (const { record } of this.components.records.range(start, until, after)) {
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
      const record = await this.components.records.get(key)
      // Stop before the reply outgrows a frame; always serve at least one key.
      if (record !== undefined && served > 0 && bytes + sizeOf(record) > this.init.batchBytes) break
      if (record !== undefined) {
        records.push(record)
        bytes += sizeOf(record)
      }
      served++
    }
    return { records, served }
  }

  /**
   * A peer's clients watch a key this peer holds (or will hold) a replica
   * of: it is told of every version stored here until the registration
   * lapses. Answers the record held when it is newer than the watcher's.
   */
  async watch (from: NodeRef, query: WatchQuery): Promise<KvRecord | undefined> {
    this.checkLimits(query.key)
    const nowMs = this.components.clock.now()
    const ttlMs = Math.max(1, Math.min(query.ttlMs, WATCH.maxRegistrationMs))
    this.watchers.register(query.key, from, nowMs + ttlMs, nowMs)
    const record = await this.components.records.get(query.key)
    if (record === undefined || (query.since !== undefined && !isNewer(record.version, query.since) && !(record.value === undefined && record.expiresAtMs !== undefined))) return undefined
    return record
  }

  /** Tells the peers watching the record's key of the version just stored here (best effort: they renew and catch up). */
  private tellWatchers (record: KvRecord): void {
    const { self, transport, log } = this.components
    for (const watcher of this.watchers.watchersOf(record.key, this.components.clock.now())) {
      if (watcher.peer === self.peer) {
        this.watchedHere(record)
        continue
      }
      transport.watchEvent(watcher, record).catch((err: unknown) => { log('telling %s of a watched key failed: %s', watcher.peer, (err as Error).message) })
    }
  }

  private checkLimits (key: Uint8Array, value?: Uint8Array): void {
    this.components.entry.checkLimits(key, value)
  }
}
