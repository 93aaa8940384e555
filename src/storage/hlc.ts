import type { Version } from '../protocol/record.js'

/** Bits of the timestamp below the millisecond part: a logical counter. */
export const LOGICAL_BITS = 16n

/**
 * How far ahead of a peer's wall clock a version fixed by another peer may
 * be (ms). A write stamped further ahead is refused: taking it would drag
 * this peer's clock, and every version it issues afterwards, into the future.
 */
export const MAX_CLOCK_AHEAD_MS = 60_000

/** The smallest timestamp of the wall-clock millisecond `ms`. */
export function timestampAt (ms: number): bigint {
  return BigInt(Math.max(0, Math.floor(ms))) << LOGICAL_BITS
}

/** The wall-clock millisecond a timestamp was taken in. */
export function millisOf (timestamp: bigint): number {
  return Number(timestamp >> LOGICAL_BITS)
}

/**
 * A hybrid logical clock (Kulkarni et al.): timestamps follow wall-clock
 * milliseconds but never go backwards and always exceed every timestamp this
 * peer has seen, so a write ordered after another (even across peers whose
 * clocks disagree) gets a larger version.
 */
export class HybridClock {
  private last = 0n
  private readonly wallMs: () => number

  constructor (wallMs: () => number = Date.now) {
    this.wallMs = wallMs
  }

  /** A fresh timestamp, larger than every one issued or observed so far. */
  now (): bigint {
    const physical = timestampAt(this.wallMs())
    this.last = physical > this.last ? physical : this.last + 1n
    return this.last
  }

  /** Takes note of a timestamp seen in another peer's version. */
  observe (version: Version): void {
    if (version.timestamp > this.last) this.last = version.timestamp
  }

  /** How many milliseconds `version` lies ahead of this peer's wall clock (≤ 0 when it does not). */
  aheadMs (version: Version): number {
    return millisOf(version.timestamp) - Math.floor(this.wallMs())
  }
}
