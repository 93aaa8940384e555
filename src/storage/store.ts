import type { KvRecord, Version } from '../protocol/record.js'
import type { RingId } from '../ring/ids.js'

/**
 * Where a peer keeps records: keyed by (ring identifier of the key, key), so
 * records can be read back in ring order for hand-offs and repairs.
 * Implementations: {@link MemoryStore} and the LevelDB-backed {@link LevelStore}.
 */
export interface RecordStore {
  get (key: Uint8Array): Promise<KvRecord | undefined>
  /**
   * Stores `record` if its version is newer than the stored one (or none is
   * stored). Writes to one key are serialised.
   */
  put (record: KvRecord): Promise<PutOutcome>
  /** Removes the record if it still has `version` (it was handed off); returns the record removed. */
  remove (key: Uint8Array, version: Version): Promise<KvRecord | undefined>
  /**
   * Records whose ring identifiers lie in (from, to] going clockwise, in ring
   * order, starting after the storage position `after` when given.
   */
  range (from: RingId, to: RingId, after?: Uint8Array): AsyncIterable<StoredEntry>
  /** Live keys (not tombstones) and tombstones held. */
  counts (): { readonly keys: number, readonly tombstones: number }
  /**
   * Gives back memory held only while the store is in use (LevelDB's table
   * files mapped into the process), when nothing is reading or writing;
   * resolves true when it did.
   */
  release? (): Promise<boolean>
  close (): Promise<void>
}

/** What a put did. */
export interface PutOutcome {
  /** The record now stored: the new one if applied, else the newer one kept. */
  readonly stored: KvRecord
  /** The record the new one replaced, when it was applied. */
  readonly previous: KvRecord | undefined
  readonly applied: boolean
}

/** A record with its position in the store (usable as a paging cursor). */
export interface StoredEntry {
  readonly position: Uint8Array
  readonly record: KvRecord
}
