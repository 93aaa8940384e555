import { Level } from 'level'
import { compareVersions, supersedes, type KvRecord, type Version } from '../protocol/record.js'
import { recordFromBytes, recordToBytes } from '../protocol/record-codec.js'
import { keyAt, positionOf, rangesAfter } from './positions.js'
import type { PutOutcome, RecordStore, StoredEntry } from './store.js'
import type { RingId } from '../ring/ids.js'

/**
 * Records in LevelDB inside the peer's data directory. Storage keys are
 * ring positions, so a ring arc is read with one or two range scans. Writes
 * to one key are serialised so version checks and writes do not interleave.
 */
export class LevelStore implements RecordStore {
  private readonly db: Level<Uint8Array, Uint8Array>
  private readonly sync: boolean
  private readonly locks = new Map<string, Promise<unknown>>()
  private keys = 0
  private tombstones = 0

  private constructor (db: Level<Uint8Array, Uint8Array>, sync: boolean) {
    this.db = db
    this.sync = sync
  }

  /**
   * Opens (creating if needed) the store in `dir` and counts what it holds.
   * Without `sync` a write is durable once LevelDB returns (it survives the
   * process dying); with it, each write is flushed to disk first (it also
   * survives the machine losing power), at the cost of an fsync per write.
   */
  /**
   * Opens (or creates) the store in `dir`; `cacheBytes` and
   * `writeBufferBytes` size LevelDB's block cache and write buffer (its own
   * defaults, 8 MiB and 4 MiB, when not given).
   */
  static async open (dir: string, options: { sync?: boolean, cacheBytes?: number, writeBufferBytes?: number } = {}): Promise<LevelStore> {
    const sizes = { ...(options.cacheBytes === undefined ? {} : { cacheSize: options.cacheBytes }), ...(options.writeBufferBytes === undefined ? {} : { writeBufferSize: options.writeBufferBytes }) }
    const db = new Level<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view', ...sizes })
    await db.open()
    const store = new LevelStore(db, options.sync === true)
    for await (const [position, bytes] of db.iterator()) store.count(recordFromBytes(keyAt(position), bytes), 1)
    return store
  }

  async get (key: Uint8Array): Promise<KvRecord | undefined> {
    const bytes = await this.db.get(positionOf(key))
    return bytes === undefined ? undefined : recordFromBytes(key, bytes)
  }

  async put (record: KvRecord): Promise<PutOutcome> {
    const position = positionOf(record.key)
    return this.serialised(position, async () => {
      const current = await this.get(record.key)
      if (current !== undefined && !supersedes(record, current)) return { stored: current, previous: undefined, applied: false }
      await this.db.put(position, recordToBytes(record), { sync: this.sync })
      this.count(current, -1)
      this.count(record, 1)
      return { stored: record, previous: current, applied: true }
    })
  }

  async remove (key: Uint8Array, version: Version): Promise<KvRecord | undefined> {
    const position = positionOf(key)
    return this.serialised(position, async () => {
      const current = await this.get(key)
      if (current === undefined || compareVersions(current.version, version) !== 0) return undefined
      await this.db.del(position)
      this.count(current, -1)
      return current
    })
  }

  async * range (from: RingId, to: RingId, after?: Uint8Array): AsyncIterable<StoredEntry> {
    for (const r of rangesAfter(from, to, after)) {
      for await (const [position, bytes] of this.db.iterator(r)) {
        yield { position, record: recordFromBytes(keyAt(position), bytes) }
      }
    }
  }

  counts (): { keys: number, tombstones: number } {
    return { keys: this.keys, tombstones: this.tombstones }
  }

  async close (): Promise<void> {
    await Promise.allSettled([...this.locks.values()])
    await this.db.close()
  }

  private count (record: KvRecord | undefined, delta: number): void {
    if (record === undefined) return
    if (record.value === undefined) this.tombstones += delta
    else this.keys += delta
  }

  /** Runs `fn` after every earlier write to the same position. */
  private async serialised<T> (position: Uint8Array, fn: () => Promise<T>): Promise<T> {
    const id = Buffer.from(position).toString('latin1')
    const previous = this.locks.get(id) ?? Promise.resolve()
    const next = previous.then(fn, fn)
    const settled = next.catch(() => {})
    this.locks.set(id, settled)
    settled.then(() => { if (this.locks.get(id) === settled) this.locks.delete(id) }, () => {})
    return next
  }
}
