import type { Clock } from '../node/clock.js'

/**
 * A token bucket for bytes: repair traffic waits here so it never exceeds
 * `bytesPerSecond` on average (bursts up to one second's worth).
 */
export class RateLimiter {
  private readonly rate: number
  private tokens: number
  private last: number
  private readonly clock: Clock

  constructor (bytesPerSecond: number, clock: Clock) {
    this.rate = bytesPerSecond
    this.tokens = bytesPerSecond
    this.clock = clock
    this.last = clock.now()
  }

  /** Resolves once `bytes` may be sent. */
  async take (bytes: number): Promise<void> {
    const t = this.clock.now()
    this.tokens = Math.min(this.rate, this.tokens + ((t - this.last) / 1000) * this.rate)
    this.last = t
    this.tokens -= bytes
    if (this.tokens >= 0) return
    const waitMs = (-this.tokens / this.rate) * 1000
    await new Promise<void>(resolve => { this.clock.setTimeout(resolve, waitMs) })
  }
}
