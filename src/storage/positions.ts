import { ringIdOfKey } from '../ring/hash.js'
import { idToBytes, SHA256_SPACE, type RingId } from '../ring/ids.js'

/**
 * Storage positions: the key's 32-byte ring identifier followed by the key,
 * so byte order is ring order and a ring arc is one or two contiguous ranges.
 */
export function positionOf (key: Uint8Array): Uint8Array {
  const out = new Uint8Array(32 + key.byteLength)
  out.set(idToBytes(SHA256_SPACE, ringIdOfKey(key)), 0)
  out.set(key, 32)
  return out
}

/** The key stored at a position. */
export function keyAt (position: Uint8Array): Uint8Array {
  return position.subarray(32)
}

/** A contiguous range of positions: gte ≤ (or gt <) position < lt; an absent bound is open. */
export interface PositionRange {
  readonly gte?: Uint8Array
  readonly gt?: Uint8Array
  readonly lt?: Uint8Array
}

const MAX = SHA256_SPACE.size - 1n

/**
 * The position ranges holding ring identifiers in (from, to], clockwise, in
 * ring order starting after `from`. The arc wraps past zero when from ≥ to
 * (and is the whole circle when from = to).
 */
export function rangesOf (from: RingId, to: RingId): PositionRange[] {
  const above = (id: RingId): Uint8Array => idToBytes(SHA256_SPACE, id + 1n)
  if (from < to) return [to === MAX ? { gte: above(from) } : { gte: above(from), lt: above(to) }]
  const ranges: PositionRange[] = []
  if (from < MAX) ranges.push({ gte: above(from) })
  ranges.push(to === MAX ? {} : { lt: above(to) })
  return ranges
}

/**
 * The ranges to scan for (from, to] resuming after the position `after`
 * (a paging cursor in ring order): ranges before the cursor's are skipped.
 */
export function rangesAfter (from: RingId, to: RingId, after?: Uint8Array): PositionRange[] {
  const ranges = rangesOf(from, to)
  if (after === undefined) return ranges
  const i = ranges.findIndex(r => contains(r, after))
  if (i < 0) return ranges
  const { gte: _, ...rest } = ranges[i] as PositionRange
  return [{ ...rest, gt: after }, ...ranges.slice(i + 1)]
}

/** Whether a position lies in a range. */
export function contains (range: PositionRange, position: Uint8Array): boolean {
  return (range.gte === undefined || compareBytes(position, range.gte) >= 0) &&
    (range.gt === undefined || compareBytes(position, range.gt) > 0) &&
    (range.lt === undefined || compareBytes(position, range.lt) < 0)
}

/** Byte-wise comparison, as LevelDB orders keys. */
export function compareBytes (a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b)
}
