/**
 * Which ring a member belongs to. Zave's protocol repairs any state that is
 * one ring, but two rings (after a partition heals, or two peers founding at
 * once) are each a fixed point of it: something outside the protocol must
 * tell them apart and give the merge a direction. A founder draws a fresh
 * tag; members adopt a neighbour's tag when it wins, so a connected ring
 * converges on one tag. When two rings meet, the side whose tag loses joins
 * the other, so merge moves between any two rings only ever go one way
 * (docs/ring-merge.md explains why that matters).
 */
export interface RingTag {
  /** Raised when a member finds a ring split whose sides still share a tag. */
  readonly epoch: number
  /** Random: two founders never draw the same one in practice. */
  readonly nonce: bigint
}

const NONCE_BITS = 64n
const NONCE_MASK = (1n << NONCE_BITS) - 1n

/** A fresh tag from 64 random bits (injected: this module does no I/O). */
export function freshTag (random64: () => bigint, epoch = 0): RingTag {
  return { epoch, nonce: random64() & NONCE_MASK }
}

/**
 * A tag that wins over `tag`, for a member that found its ring split while
 * both sides carry the same tag: raising the epoch makes the sides differ.
 */
export function raisedTag (tag: RingTag, random64: () => bigint): RingTag {
  return freshTag(random64, tag.epoch + 1)
}

/** Whether `a` wins over `b`: the higher epoch, then the lower nonce. */
export function tagWins (a: RingTag, b: RingTag): boolean {
  return a.epoch > b.epoch || (a.epoch === b.epoch && a.nonce < b.nonce)
}

export function sameTag (a: RingTag | undefined, b: RingTag | undefined): boolean {
  return a !== undefined && b !== undefined && a.epoch === b.epoch && a.nonce === b.nonce
}

/** A short printable form, e.g. `1-00c0ffee12345678`. */
export function formatTag (tag: RingTag): string {
  return `${tag.epoch}-${tag.nonce.toString(16).padStart(16, '0')}`
}
