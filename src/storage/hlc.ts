import { BadRequestError } from '../errors.js'
import type { Version } from '../protocol/record.js'

/** Bits of the timestamp below the millisecond part: a logical counter. */
export const LOGICAL_BITS = 16n

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

  constructor (wallMs: () => number) {
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

  /** Refuses `version` if it is more than `maxAheadMs` ahead of this peer's wall clock (see {@link checkVersionAhead}). */
  refuseAhead (version: Version, maxAheadMs: number, what?: string): void {
    checkVersionAhead(version, Math.floor(this.wallMs()), maxAheadMs, what)
  }
}

/**
 * Refuses, by name, a version from another peer whose timestamp is more
 * than `maxAheadMs` ahead of this peer's wall clock (`nowMs`). Taking it
 * would push this peer's clock, and every later write to the key, behind a
 * forged or runaway timestamp (2^64−1 would leave no version to write).
 * Databases with hybrid clocks refuse such timestamps the same way
 * (CockroachDB's maximum clock offset); peers' clocks must agree within it.
 */
export function checkVersionAhead (version: Version, nowMs: number, maxAheadMs: number, what = 'a version'): void {
  const aheadMs = millisOf(version.timestamp) - nowMs
  if (aheadMs > maxAheadMs) {
    throw new BadRequestError(`${what} ${Math.round(aheadMs)} ms ahead of this peer's clock is refused (at most ${maxAheadMs} ms, replication.maxClockOffsetMs)`)
  }
}
