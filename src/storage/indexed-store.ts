import { ringIdOfKey } from '../ring/hash.js'
import { SHA256_SPACE, splitArc, type RingId } from '../ring/ids.js'
import { ExpiryQueue } from './expiry-queue.js'
import { positionOf } from './positions.js'
import { emptySummary, fingerprint, RangeIndex, xorInto, type Summary } from './range-index.js'
import type { KvRecord, Version } from '../protocol/record.js'
import type { PutOutcome, RecordStore, StoredEntry } from './store.js'

const MAX = SHA256_SPACE.size - 1n

/**
 * A record store with a {@link RangeIndex} kept in step with every write,
 * so anti-entropy can compare arcs by digest without reading them whole,
 * and the values that expire, soonest first.
 */
export class IndexedStore implements RecordStore {
  private readonly inner: RecordStore
  private readonly index: RangeIndex
  /** Values held that expire. */
  readonly expiring = new ExpiryQueue()
  /** Told when a value that expires is stored (the expiry task sleeps while there are none). */
  onExpiring: () => void = () => {}
  /** Told of every version stored (a write, a replica's copy, repair, an expiry): watchers hear of them. */
  onStored: (record: KvRecord) => void = () => {}

  /** Wraps a store; call {@link build} before writing through it. */
  constructor (inner: RecordStore, bits = 12) {
    this.inner = inner
    this.index = new RangeIndex(bits)
  }

  /** Wraps a store and indexes what it already holds. */
  static async over (inner: RecordStore, bits = 12): Promise<IndexedStore> {
    const store = new IndexedStore(inner, bits)
    await store.build()
    return store
  }

  /** Indexes the records the wrapped store already holds (once, before any write). */
  async build (): Promise<void> {
    for await (const { position, record } of this.inner.range(0n, 0n)) {
      this.track(position, record, 1)
      this.queueExpiry(record)
    }
  }

  async get (key: Uint8Array): Promise<KvRecord | undefined> {
    return this.inner.get(key)
  }

  async put (record: KvRecord): Promise<PutOutcome> {
    const outcome = await this.inner.put(record)
    if (outcome.applied) {
      const position = positionOf(record.key)
      if (outcome.previous !== undefined) this.track(position, outcome.previous, -1)
      this.track(position, outcome.stored, 1)
      this.queueExpiry(outcome.stored)
      this.onStored(outcome.stored)
    }
    return outcome
  }

  async remove (key: Uint8Array, version: Version): Promise<KvRecord | undefined> {
    const removed = await this.inner.remove(key, version)
    if (removed !== undefined) this.track(positionOf(key), removed, -1)
    return removed
  }

  range (from: RingId, to: RingId, after?: Uint8Array): AsyncIterable<StoredEntry> {
    return this.inner.range(from, to, after)
  }

  counts (): { readonly keys: number, readonly tombstones: number } {
    return this.inner.counts()
  }

  async close (): Promise<void> {
    await this.inner.close()
  }

  /** Digest of the records in the arc (from, to] (the whole circle when from = to). */
  async summarize (from: RingId, to: RingId): Promise<Summary> {
    const out = emptySummary()
    if (from < to) await this.addLinear(from + 1n, to, out)
    else {
      if (from < MAX) await this.addLinear(from + 1n, MAX, out)
      await this.addLinear(0n, to, out)
    }
    return out
  }

  /** Digests of `parts` equal sub-arcs of (from, to]. */
  async summarizeParts (from: RingId, to: RingId, parts: number): Promise<Summary[]> {
    const bounds = splitArc(SHA256_SPACE, from, to, parts)
    const out: Summary[] = []
    for (let i = 0; i < parts; i++) {
      const a = bounds[i] as RingId
      const b = bounds[i + 1] as RingId
      out.push(a === b ? emptySummary() : await this.summarize(a, b))
    }
    return out
  }

  /**
   * Adds identifiers lo..hi inclusive (lo ≤ hi) to `out`: whole buckets from
   * the index, partial ones by reading their records, and only where the
   * index counts some (most buckets, on a resting peer's small store, hold
   * none: then nothing is read and nothing allocated).
   */
  private async addLinear (lo: RingId, hi: RingId, out: { hash: Uint8Array, count: number }): Promise<void> {
    const index = this.index
    let first = index.bucketOf(lo)
    let last = index.bucketOf(hi)
    if (index.count(first, last) === 0) return
    const firstStart = index.bucketBounds(first).first
    if (lo !== firstStart) {
      const end = first === last ? hi : index.bucketBounds(first).last
      if (index.count(first, first) > 0) await this.addScanned(lo, end, out)
      if (first === last) return
      first++
    }
    const lastEnd = index.bucketBounds(last).last
    if (hi !== lastEnd) {
      if (index.count(last, last) > 0) await this.addScanned(index.bucketBounds(last).first, hi, out)
      last--
    }
    if (first <= last) {
      const whole = index.buckets(first, last)
      xorInto(out.hash, whole.hash)
      out.count += whole.count
    }
  }

  /** Adds identifiers lo..hi inclusive to `out` by reading the records. */
  private async addScanned (lo: RingId, hi: RingId, out: { hash: Uint8Array, count: number }): Promise<void> {
    // (lo - 1, hi] is lo..hi; for lo = 0 the arc (MAX, hi] is the same.
    for await (const { position, record } of this.inner.range(lo === 0n ? MAX : lo - 1n, hi)) {
      xorInto(out.hash, fingerprint(position, record.version))
      out.count++
    }
  }

  private queueExpiry (record: KvRecord): void {
    if (record.expiresAtMs === undefined || record.value === undefined) return
    this.expiring.add({ atMs: record.expiresAtMs, key: record.key, version: record.version })
    this.onExpiring()
  }

  private track (position: Uint8Array, record: KvRecord, sign: 1 | -1): void {
    this.index.update(ringIdOfKey(record.key), fingerprint(position, record.version), sign)
  }
}
