import { compareVersions, supersedes, type KvRecord, type Version } from '../protocol/record.js'
import { compareBytes, positionOf, rangesAfter, type PositionRange } from './positions.js'
import type { PutOutcome, RecordStore, StoredEntry } from './store.js'
import type { RingId } from '../ring/ids.js'

/**
 * Records in memory, lost on exit (the `memory` storage option, and tests).
 * A map finds a key; an array in position order serves range scans in
 * O(log n + range), as LevelDB's iterators do.
 */
export class MemoryStore implements RecordStore {
  private readonly entries = new Map<string, StoredEntry>()
  private readonly ordered: StoredEntry[] = []
  private tombstones = 0

  async get (key: Uint8Array): Promise<KvRecord | undefined> {
    return this.entries.get(hex(positionOf(key)))?.record
  }

  async put (record: KvRecord): Promise<PutOutcome> {
    const position = positionOf(record.key)
    const id = hex(position)
    const current = this.entries.get(id)?.record
    if (current !== undefined && !supersedes(record, current)) return { stored: current, previous: undefined, applied: false }
    this.count(current, -1)
    const entry = { position, record }
    this.entries.set(id, entry)
    const i = this.firstAtOrAfter(position)
    this.ordered.splice(i, current === undefined ? 0 : 1, entry)
    this.count(record, 1)
    return { stored: record, previous: current, applied: true }
  }

  async remove (key: Uint8Array, version: Version): Promise<KvRecord | undefined> {
    const position = positionOf(key)
    const id = hex(position)
    const current = this.entries.get(id)?.record
    if (current === undefined || compareVersions(current.version, version) !== 0) return undefined
    this.entries.delete(id)
    this.ordered.splice(this.firstAtOrAfter(position), 1)
    this.count(current, -1)
    return current
  }

  async * range (from: RingId, to: RingId, after?: Uint8Array): AsyncIterable<StoredEntry> {
    for (const r of rangesAfter(from, to, after)) {
      // A copy, so writes while the caller iterates do not shift the scan.
      yield * this.ordered.slice(this.startOf(r), r.lt === undefined ? undefined : this.firstAtOrAfter(r.lt))
    }
  }

  counts (): { keys: number, tombstones: number } {
    return { keys: this.entries.size - this.tombstones, tombstones: this.tombstones }
  }

  async close (): Promise<void> {}

  private startOf (range: PositionRange): number {
    if (range.gt !== undefined) {
      const i = this.firstAtOrAfter(range.gt)
      return i < this.ordered.length && compareBytes((this.ordered[i] as StoredEntry).position, range.gt) === 0 ? i + 1 : i
    }
    return range.gte === undefined ? 0 : this.firstAtOrAfter(range.gte)
  }

  /** Index of the first entry whose position is ≥ `position` (binary search). */
  private firstAtOrAfter (position: Uint8Array): number {
    let lo = 0
    let hi = this.ordered.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (compareBytes((this.ordered[mid] as StoredEntry).position, position) < 0) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  private count (record: KvRecord | undefined, delta: number): void {
    if (record !== undefined && record.value === undefined) this.tombstones += delta
  }
}

function hex (bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}
