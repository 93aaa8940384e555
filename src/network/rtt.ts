/**
 * Per-peer round-trip estimates and the timeouts derived from them
 * (RFC 6298 style: SRTT + 4·RTTVAR, clamped), so a slow peer is not declared
 * dead by a constant tuned for a fast one, and a dead one is noticed quickly.
 */
export interface RttOptions {
  /** Timeout for a peer with no samples yet (ms). */
  readonly initialMs: number
  readonly minMs: number
  readonly maxMs: number
}

interface Estimate {
  srtt: number
  rttvar: number
}

export class RttEstimator {
  private readonly estimates = new Map<string, Estimate>()
  private readonly options: RttOptions

  constructor (options: RttOptions) {
    this.options = options
  }

  /** Records one measured round trip to `peer`. */
  observe (peer: string, ms: number): void {
    const e = this.estimates.get(peer)
    if (e === undefined) {
      if (this.estimates.size >= 10_000) this.estimates.clear()
      this.estimates.set(peer, { srtt: ms, rttvar: ms / 2 })
      return
    }
    e.rttvar = 0.75 * e.rttvar + 0.25 * Math.abs(e.srtt - ms)
    e.srtt = 0.875 * e.srtt + 0.125 * ms
  }

  /**
   * How long to wait for `peer` before giving up on it: whole milliseconds,
   * as AbortSignal.timeout requires (it throws on a fraction).
   */
  timeout (peer: string): number {
    const e = this.estimates.get(peer)
    if (e === undefined) return this.options.initialMs
    return Math.ceil(Math.min(this.options.maxMs, Math.max(this.options.minMs, e.srtt + 4 * e.rttvar)))
  }

  /** Smoothed round trip to `peer` (ms), if measured. */
  srtt (peer: string): number | undefined {
    return this.estimates.get(peer)?.srtt
  }

  forget (peer: string): void {
    this.estimates.delete(peer)
  }
}
