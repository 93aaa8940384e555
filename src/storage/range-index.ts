import { createHash } from 'node:crypto'
import type { Version } from '../protocol/record.js'
import type { RingId } from '../ring/ids.js'

/** Bytes of a record fingerprint. */
export const FINGERPRINT_BYTES = 16

/** The fingerprint of one record version at a storage position. */
export function fingerprint (position: Uint8Array, version: Version): Uint8Array {
  const ts = Buffer.alloc(8)
  ts.writeBigUInt64BE(version.timestamp)
  return createHash('sha256').update(position).update(ts).update(version.writer).digest().subarray(0, FINGERPRINT_BYTES)
}

/** XOR of fingerprints over a set of records, and how many there are. */
export interface Summary {
  readonly hash: Uint8Array
  readonly count: number
}

export function emptySummary (): { hash: Uint8Array, count: number } {
  return { hash: new Uint8Array(FINGERPRINT_BYTES), count: 0 }
}

/** XORs the fingerprint at `at` in `source` (default its start) into `target`. */
export function xorInto (target: Uint8Array, source: Uint8Array, at = 0): void {
  for (let i = 0; i < FINGERPRINT_BYTES; i++) target[i] = (target[i] as number) ^ (source[at + i] as number)
}

/**
 * Fingerprint sums over fixed buckets of the ring (the top `bits` bits of a
 * position), kept up to date on every write. XOR makes updates O(1); a
 * Fenwick tree gives the sum over any run of whole buckets in O(log B), so
 * the digest of an arc costs O(log B) plus a scan of its two partial
 * buckets. Two peers holding the same records in an arc get the same digest
 * whatever order they stored them in.
 */
export class RangeIndex {
  readonly bits: number
  private readonly shift: bigint
  private readonly size: number
  private readonly tree: Uint8Array
  private readonly counts: Int32Array

  constructor (bits = 12, idBits = 256) {
    this.bits = bits
    this.shift = BigInt(idBits - bits)
    this.size = 1 << bits
    this.tree = new Uint8Array((this.size + 1) * FINGERPRINT_BYTES)
    this.counts = new Int32Array(this.size + 1)
  }

  /** The bucket holding a ring identifier. */
  bucketOf (id: RingId): number {
    return Number(id >> this.shift)
  }

  /** First and last identifiers of a bucket. */
  bucketBounds (bucket: number): { first: RingId, last: RingId } {
    const first = BigInt(bucket) << this.shift
    return { first, last: first + (1n << this.shift) - 1n }
  }

  /** Adds (or, with sign -1, removes) a record's fingerprint in the bucket of `id`. */
  update (id: RingId, print: Uint8Array, sign: 1 | -1): void {
    for (let i = this.bucketOf(id) + 1; i <= this.size; i += i & -i) {
      const at = i * FINGERPRINT_BYTES
      for (let j = 0; j < FINGERPRINT_BYTES; j++) this.tree[at + j] = (this.tree[at + j] as number) ^ (print[j] as number)
      this.counts[i] = (this.counts[i] as number) + sign
    }
  }

  /** The summary of whole buckets first..last (inclusive, first ≤ last). */
  buckets (first: number, last: number): Summary {
    const out = this.prefix(last)
    const before = this.prefix(first - 1)
    xorInto(out.hash, before.hash)
    return { hash: out.hash, count: out.count - before.count }
  }

  /** Records in whole buckets first..last (inclusive, first ≤ last), without their digest. */
  count (first: number, last: number): number {
    return this.prefixCount(last) - this.prefixCount(first - 1)
  }

  // The sums below read the tree in place: a view per step was most of what a resting peer's repair allocated.
  private prefix (bucket: number): { hash: Uint8Array, count: number } {
    const out = emptySummary()
    for (let i = bucket + 1; i > 0; i -= i & -i) {
      xorInto(out.hash, this.tree, i * FINGERPRINT_BYTES)
      out.count += this.counts[i] as number
    }
    return out
  }

  private prefixCount (bucket: number): number {
    let count = 0
    for (let i = bucket + 1; i > 0; i -= i & -i) count += this.counts[i] as number
    return count
  }
}
