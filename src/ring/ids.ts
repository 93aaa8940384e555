/**
 * Identifiers on the Chord circle and the interval arithmetic on them.
 *
 * Identifiers are bigints in [0, 2^bits). Production uses 256 bits (SHA-256);
 * tests use small spaces (for example 8 bits) so finger tables can be checked
 * by hand. Nothing here does I/O, reads a clock or draws random numbers.
 */

/** A point on the identifier circle. */
export type RingId = bigint

/** The size of an identifier circle. */
export interface IdSpace {
  /** Number of bits in an identifier (m in the Chord paper). */
  readonly bits: number
  /** 2^bits: the number of points on the circle. */
  readonly size: bigint
}

/** Creates the identifier space of the given width. */
export function idSpace (bits: number): IdSpace {
  if (!Number.isInteger(bits) || bits < 1 || bits > 1024) {
    throw new RangeError(`identifier width must be an integer in [1, 1024], got ${bits}`)
  }
  return { bits, size: 1n << BigInt(bits) }
}

/** The 256-bit space of SHA-256 identifiers used on the wire. */
export const SHA256_SPACE: IdSpace = idSpace(256)

/**
 * `x ∈ (a, b)` going clockwise from a. When a = b the interval is the whole
 * circle except a itself (Zave's `between`).
 */
export function between (a: RingId, x: RingId, b: RingId): boolean {
  if (a < b) return a < x && x < b
  if (a > b) return a < x || x < b
  return x !== a
}

/**
 * `x ∈ (a, b]` going clockwise from a. When a = b the interval is the whole
 * circle: a node alone owns every key.
 */
export function betweenRightIncl (a: RingId, x: RingId, b: RingId): boolean {
  return x === b || between(a, x, b)
}

/** Clockwise distance from a to b: how far to walk from a to reach b. */
export function clockwise (space: IdSpace, a: RingId, b: RingId): bigint {
  const d = b - a
  return d >= 0n ? d : d + space.size
}

/** `(n + 2^i) mod 2^bits`: the start of finger i of node n (0-based i). */
export function fingerStart (space: IdSpace, n: RingId, i: number): RingId {
  if (!Number.isInteger(i) || i < 0 || i >= space.bits) {
    throw new RangeError(`finger index must be in [0, ${space.bits}), got ${i}`)
  }
  return (n + (1n << BigInt(i))) % space.size
}

/** Reads a big-endian byte string as an identifier. */
export function idFromBytes (bytes: Uint8Array): RingId {
  let hex = ''
  for (const b of bytes) hex += b.toString(16).padStart(2, '0')
  return hex === '' ? 0n : BigInt('0x' + hex)
}

/** Writes an identifier as a big-endian byte string of the space's width. */
export function idToBytes (space: IdSpace, id: RingId): Uint8Array<ArrayBuffer> {
  const hex = idToHex(space, id)
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  return out
}

/** Lower-case hex of an identifier, zero-padded to the space's width. */
export function idToHex (space: IdSpace, id: RingId): string {
  const digits = Math.ceil(space.bits / 8) * 2
  return id.toString(16).padStart(digits, '0')
}

/** Parses a hex identifier, checking that it fits the space. */
export function idFromHex (space: IdSpace, hex: string): RingId {
  if (!/^[0-9a-fA-F]+$/.test(hex)) throw new RangeError(`not a hex identifier: ${JSON.stringify(hex)}`)
  const id = BigInt('0x' + hex)
  if (id >= space.size) throw new RangeError(`identifier ${hex} does not fit in ${space.bits} bits`)
  return id
}

/**
 * Splits the arc (from, to] into `parts` consecutive arcs of (nearly) equal
 * length and returns the parts + 1 boundaries: arc i is (b[i], b[i+1]].
 * from = to means the whole circle.
 */
export function splitArc (space: IdSpace, from: RingId, to: RingId, parts: number): RingId[] {
  const length = from === to ? space.size : clockwise(space, from, to)
  const bounds: RingId[] = []
  for (let i = 0; i <= parts; i++) bounds.push((from + (length * BigInt(i)) / BigInt(parts)) % space.size)
  return bounds
}
