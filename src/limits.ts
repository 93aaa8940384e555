import { DATA } from './defaults.js'
import { BadRequestError } from './errors.js'

/** Size limits for keys and values (bytes), and the longest time to live (ms). */
export interface Limits {
  readonly maxKeyBytes: number
  readonly maxValueBytes: number
  /** The default's when not given. */
  readonly maxTtlMs?: number
}

/** Key ≤ 1 KiB, value ≤ 1 MiB, time to live ≤ 1 year (defaults.ts). */
export const DEFAULT_LIMITS: Limits = DATA.limits

/**
 * Checks a key (and a value) against the limits, for every operation that
 * takes a key, whichever overlay serves it; throws BadRequestError naming
 * the limit.
 */
export function checkLimits (limits: Limits, key: Uint8Array, value?: Uint8Array): void {
  const { maxKeyBytes, maxValueBytes } = limits
  if (key.byteLength === 0) throw new BadRequestError('key must not be empty')
  if (key.byteLength > maxKeyBytes) throw new BadRequestError(`key is ${key.byteLength} bytes; the limit is ${maxKeyBytes}`)
  if (value !== undefined && value.byteLength > maxValueBytes) throw new BadRequestError(`value is ${value.byteLength} bytes; the limit is ${maxValueBytes}`)
}

/** Checks an expiring value's time to live against the limit; throws BadRequestError naming it. */
export function checkTtl (limits: Limits, ttlMs: number | undefined): void {
  if (ttlMs === undefined) return
  if (!Number.isSafeInteger(ttlMs) || ttlMs < 1) throw new BadRequestError(`time to live must be a whole number of milliseconds ≥ 1, got ${ttlMs}`)
  const max = limits.maxTtlMs ?? DATA.limits.maxTtlMs
  if (ttlMs > max) throw new BadRequestError(`time to live is ${ttlMs} ms; the limit is ${max} ms (limits.maxTtlMs)`)
}
