/**
 * What the control socket asks of a running peer, whichever overlay it runs.
 * Keys and values are bytes; a missing key reads as `undefined`.
 */
export interface ControlApi {
  put (key: Uint8Array, value: Uint8Array): Promise<Record<string, unknown>>
  get (key: Uint8Array): Promise<Uint8Array | undefined>
  /** Whether the key held a value. */
  del (key: Uint8Array): Promise<boolean>
  /** The peer responsible for the key, as a JSON-ready object. */
  lookup (key: Uint8Array): Promise<Record<string, unknown>>
  status (): Promise<Record<string, unknown>>
  /** Every ring member, walking successor to successor from this peer. */
  ring (): Promise<Record<string, unknown>>
  /** Whether the peer can serve writes now, and why not (for health checks). */
  health (): Promise<HealthReport>
  /** Starts leaving gracefully; the process stops once the hand-off is over. */
  leave (): Leaving
}

/** A graceful leave under way. */
export interface Leaving {
  /** Whether the peer hands keys on (false: it is not a ring member and just stops). */
  readonly handoff: boolean
  /** Settles when the hand-off is over; rejects with why it failed. */
  readonly done: Promise<void>
}

/**
 * The answer to the `health` op. `healthy` is false while the peer cannot
 * take writes; every reason says why in one sentence.
 */
export interface HealthReport {
  readonly healthy: boolean
  readonly state: 'joining' | 'joined' | 'leaving'
  readonly reasons: readonly string[]
}
