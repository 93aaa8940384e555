import { DATA } from './defaults.js'
import { BadRequestError } from './errors.js'

/** Size limits for keys and values (bytes). */
export interface Limits {
  readonly maxKeyBytes: number
  readonly maxValueBytes: number
}

/** Key ≤ 1 KiB, value ≤ 1 MiB (defaults.ts). */
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
