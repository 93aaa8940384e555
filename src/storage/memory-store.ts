import { compareVersions, isNewer, type KvRecord, type Version } from '../protocol/record.js'
import { compareBytes, contains, positionOf, rangesAfter } from './positions.js'
import type { PutOutcome, RecordStore, StoredEntry } from './store.js'
import type { RingId } from '../ring/ids.js'

/** Records in memory, lost on exit (the `memory` storage option, and tests). */
export class MemoryStore implements RecordStore {
  private readonly entries = new Map<string, StoredEntry>()
  private tombstones = 0

  async get (key: Uint8Array): Promise<KvRecord | undefined> {
    return this.entries.get(hex(positionOf(key)))?.record
  }

  async put (record: KvRecord): Promise<PutOutcome> {
    const position = positionOf(record.key)
    const id = hex(position)
    const current = this.entries.get(id)?.record
    if (current !== undefined && !isNewer(record.version, current.version)) return { stored: current, previous: undefined, applied: false }
    this.count(current, -1)
    this.entries.set(id, { position, record })
    this.count(record, 1)
    return { stored: record, previous: current, applied: true }
  }

  async remove (key: Uint8Array, version: Version): Promise<KvRecord | undefined> {
    const id = hex(positionOf(key))
    const current = this.entries.get(id)?.record
    if (current === undefined || compareVersions(current.version, version) !== 0) return undefined
    this.entries.delete(id)
    this.count(current, -1)
    return current
  }

  async * range (from: RingId, to: RingId, after?: Uint8Array): AsyncIterable<StoredEntry> {
    const sorted = [...this.entries.values()].sort((a, b) => compareBytes(a.position, b.position))
    for (const r of rangesAfter(from, to, after)) {
      for (const entry of sorted) {
        if (contains(r, entry.position)) yield entry
      }
    }
  }

  counts (): { keys: number, tombstones: number } {
    return { keys: this.entries.size - this.tombstones, tombstones: this.tombstones }
  }


  async close (): Promise<void> {}

  private count (record: KvRecord | undefined, delta: number): void {
    if (record !== undefined && record.value === undefined) this.tombstones += delta
  }
}

function hex (bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}
