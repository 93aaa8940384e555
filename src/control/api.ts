import type { HealthReport, LookupReply, PutReply, RingView, StatusReport } from './replies.js'
import type { WatchSink } from '../protocol/messages.js'
import type { Version } from '../protocol/record.js'

export type { HealthReport } from './replies.js'

/**
 * What the control socket asks of a running peer, whichever overlay it runs
 * (each overlay has its own: chord/control-api.ts, kad/control-api.ts).
 * Keys and values are bytes; a missing key reads as `undefined`. Answers
 * are the replies of replies.ts.
 */
export interface ControlApi {
  /** Stores a value; with `ttlMs` it expires that long after it was written. */
  put (key: Uint8Array, value: Uint8Array, ttlMs?: number): Promise<PutReply>
  get (key: Uint8Array): Promise<Uint8Array | undefined>
  /** Whether the key held a value. */
  del (key: Uint8Array): Promise<boolean>
  /** The peer responsible for the key. */
  lookup (key: Uint8Array): Promise<LookupReply>
  status (): Promise<StatusReport>
  /** Every ring member, walking successor to successor from this peer. */
  ring (): Promise<RingView>
  /** Whether the peer can serve writes now, and why not (for health checks). */
  health (): Promise<HealthReport>
  /**
   * Watches a key: `sink` hears each newer version (a put, a delete, an
   * expiry), or a resync. Resolves once the watch holds, with the function
   * that ends it.
   */
  watch (key: Uint8Array, since: Version | undefined, sink: WatchSink): Promise<() => void>
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
