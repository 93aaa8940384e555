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
 *
 * LevelDB maps the table files it reads into the process and keeps them
 * mapped while it has them open: after a flood of large values hundreds of
 * MiB of them stay resident, counted in the peer's RSS (bench:memory).
 * {@link release} closes and reopens the database when nothing is using
 * it, which unmaps them; operations arriving meanwhile wait for it.
 */
export class LevelStore implements RecordStore {
  private readonly db: Level<Uint8Array, Uint8Array>
  private readonly sync: boolean
  private readonly locks = new Map<string, Promise<unknown>>()
  private keys = 0
  private tombstones = 0
  /** Operations and range scans under way. */
  private busy = 0
  /** A release under way: operations wait for it. */
  private releasing: Promise<void> | undefined

  private constructor (db: Level<Uint8Array, Uint8Array>, sync: boolean) {
    this.db = db
    this.sync = sync
  }

  /**
   * Opens (creating if needed) the store in `dir` and counts what it holds.
   * Without `sync` a write is durable once LevelDB returns (it survives the
   * process dying); with it, each write is flushed to disk first (it also
   * survives the machine losing power), at the cost of an fsync per write.
   * `cacheBytes` and `writeBufferBytes` size LevelDB's block cache and
   * write buffer (its own defaults, 8 MiB and 4 MiB, when not given).
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
    return this.using(async () => this.read(key))
  }

  async put (record: KvRecord): Promise<PutOutcome> {
    const position = positionOf(record.key)
    return this.serialised(position, async () => this.using(async () => {
      const current = await this.read(record.key)
      if (current !== undefined && !supersedes(record, current)) return { stored: current, previous: undefined, applied: false }
      await this.db.put(position, recordToBytes(record), { sync: this.sync })
      this.count(current, -1)
      this.count(record, 1)
      return { stored: record, previous: current, applied: true }
    }))
  }

  async remove (key: Uint8Array, version: Version): Promise<KvRecord | undefined> {
    const position = positionOf(key)
    return this.serialised(position, async () => this.using(async () => {
      const current = await this.read(key)
      if (current === undefined || compareVersions(current.version, version) !== 0) return undefined
      await this.db.del(position)
      this.count(current, -1)
      return current
    }))
  }

  async * range (from: RingId, to: RingId, after?: Uint8Array): AsyncIterable<StoredEntry> {
    await this.enter()
    try {
      for (const r of rangesAfter(from, to, after)) {
        for await (const [position, bytes] of this.db.iterator(r)) {
          yield { position, record: recordFromBytes(keyAt(position), bytes) }
        }
      }
    } finally {
      this.busy--
    }
  }

  /**
   * Closes and reopens the database when nothing is using it (a scan left
   * unfinished counts as use), unmapping the table files LevelDB mapped;
   * false when it was in use. A quiet peer calls it (memory-trim.ts).
   */
  async release (): Promise<boolean> {
    if (this.busy > 0 || this.releasing !== undefined || this.db.status !== 'open') return false
    const reopened = (async () => {
      await this.db.close()
      await this.db.open()
    })()
    this.releasing = reopened.finally(() => { this.releasing = undefined })
    await this.releasing
    return true
  }

  counts (): { keys: number, tombstones: number } {
    return { keys: this.keys, tombstones: this.tombstones }
  }

  async close (): Promise<void> {
    await Promise.allSettled([...this.locks.values()])
    await this.releasing?.catch(() => {})
    await this.db.close()
  }

  private async read (key: Uint8Array): Promise<KvRecord | undefined> {
    const bytes = await this.db.get(positionOf(key))
    return bytes === undefined ? undefined : recordFromBytes(key, bytes)
  }

  /** Runs `fn` once no release is under way, counted as use meanwhile. */
  private async using<T> (fn: () => Promise<T>): Promise<T> {
    await this.enter()
    try {
      return await fn()
    } finally {
      this.busy--
    }
  }

  /** Waits out a release under way, then counts one use more; the caller counts it off when done. */
  private async enter (): Promise<void> {
    while (this.releasing !== undefined) await this.releasing
    this.busy++
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
