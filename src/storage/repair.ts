import { compareVersions, type KvRecord, type RecordDigest } from '../protocol/record.js'
import { clockwise, SHA256_SPACE, splitArc, type RingId } from '../ring/ids.js'
import { positionOf } from './positions.js'
import type { IndexedStore } from './indexed-store.js'
import type { RateLimiter } from './rate-limiter.js'
import type { DataTransport } from '../protocol/ports.js'
import type { NodeRef } from '../ring/node-ref.js'

export interface RepairOptions {
  /** Sub-arcs compared per summary exchange. */
  readonly fanout: number
  /** Below this many records (both sides together) an arc is compared key by key. */
  readonly leafRecords: number
  /** Records per digest page and per fetch. */
  readonly batchRecords: number
  /** Bytes of record data per store message. */
  readonly batchBytes: number
}

/** What one repair did; bytes count record data moved each way. */
export interface RepairStats {
  summaries: number
  digestPages: number
  pushed: number
  pulled: number
  bytes: number
}

export function emptyStats (): RepairStats {
  return { summaries: 0, digestPages: 0, pushed: 0, pulled: 0, bytes: 0 }
}

/**
 * Anti-entropy between this peer and `peer` over the arc (from, to]: both
 * sides' digests of `fanout` sub-arcs are compared, matching sub-arcs are
 * skipped, differing ones are split again, and small ones are compared key
 * by key. So the messages exchanged follow the number of differences, not
 * the number of keys. Each side then gets the versions it lacks: newer local
 * records are pushed, newer remote ones pulled. Record data passes through
 * `limiter`, which bounds repair bandwidth.
 */
export class ArcRepair {
  private readonly store: IndexedStore
  private readonly transport: DataTransport
  private readonly limiter: RateLimiter
  private readonly options: RepairOptions
  /** Keeps records fetched from the peer (newer wins). */
  private readonly keep: (records: readonly KvRecord[]) => Promise<void>

  constructor (store: IndexedStore, transport: DataTransport, limiter: RateLimiter, options: RepairOptions, keep: (records: readonly KvRecord[]) => Promise<void>) {
    this.store = store
    this.transport = transport
    this.limiter = limiter
    this.options = options
    this.keep = keep
  }

  /**
   * Compares (from, to] with `peer`. `ownerArc`: the arc is this peer's own
   * and `peer` one of its replicas (the first summary tells it so).
   */
  async sync (peer: NodeRef, from: RingId, to: RingId, stats: RepairStats = emptyStats(), ownerArc = false): Promise<RepairStats> {
    const { fanout, leafRecords } = this.options
    const [mine, theirs] = await Promise.all([
      this.store.summarizeParts(from, to, fanout),
      this.transport.summary(peer, from, to, fanout, ownerArc)
    ])
    stats.summaries++
    const bounds = splitArc(SHA256_SPACE, from, to, fanout)
    for (let i = 0; i < fanout; i++) {
      const a = mine[i]
      const b = theirs[i]
      if (a === undefined || b === undefined) continue
      if (a.count === b.count && Buffer.compare(a.hash, b.hash) === 0) continue
      const lo = bounds[i] as RingId
      const hi = bounds[i + 1] as RingId
      const narrow = clockwise(SHA256_SPACE, lo, hi) < BigInt(fanout)
      if (a.count + b.count <= leafRecords || narrow) await this.reconcile(peer, lo, hi, stats)
      else await this.sync(peer, lo, hi, stats)
    }
    return stats
  }

  /** Compares one arc key by key and moves whichever versions are newer. */
  private async reconcile (peer: NodeRef, from: RingId, to: RingId, stats: RepairStats): Promise<void> {
    const theirs = new Map<string, RecordDigest>()
    let after: Uint8Array | undefined
    while (true) {
      const page = await this.transport.digests(peer, from, to, after, this.options.batchRecords)
      stats.digestPages++
      for (const d of page.digests) theirs.set(Buffer.from(d.key).toString('latin1'), d)
      const last = page.digests.at(-1)
      if (!page.more || last === undefined) break
      after = positionOf(last.key)
    }
    const push: KvRecord[] = []
    for await (const { record } of this.store.range(from, to)) {
      const id = Buffer.from(record.key).toString('latin1')
      const remote = theirs.get(id)
      theirs.delete(id)
      const order = remote === undefined ? 1 : compareVersions(record.version, remote.version)
      if (order > 0) push.push(record)
      else if (order < 0 && remote !== undefined) theirs.set(id, remote)
    }
    // What is left in `theirs` is newer there, or missing here.
    await this.pushRecords(peer, push, stats)
    await this.pullKeys(peer, [...theirs.values()].map(d => d.key), stats)
  }

  private async pushRecords (peer: NodeRef, records: readonly KvRecord[], stats: RepairStats): Promise<void> {
    let chunk: KvRecord[] = []
    let bytes = 0
    const flush = async (): Promise<void> => {
      if (chunk.length === 0) return
      await this.limiter.take(bytes)
      await this.transport.store(peer, chunk)
      stats.pushed += chunk.length
      stats.bytes += bytes
      chunk = []
      bytes = 0
    }
    for (const record of records) {
      const size = sizeOf(record)
      if (chunk.length >= this.options.batchRecords || (chunk.length > 0 && bytes + size > this.options.batchBytes)) await flush()
      chunk.push(record)
      bytes += size
    }
    await flush()
  }

  private async pullKeys (peer: NodeRef, keys: readonly Uint8Array[], stats: RepairStats): Promise<void> {
    let i = 0
    while (i < keys.length) {
      const { records, served } = await this.transport.fetch(peer, keys.slice(i, i + this.options.batchRecords))
      const bytes = records.reduce((n, r) => n + sizeOf(r), 0)
      await this.limiter.take(bytes)
      await this.keep(records)
      stats.pulled += records.length
      stats.bytes += bytes
      i += Math.max(1, served)
    }
  }
}

/** Approximate bytes a record takes on the wire. */
export function sizeOf (record: KvRecord): number {
  return record.key.byteLength + (record.value?.byteLength ?? 0) + 64
}
