/**
 * Time as a peer sees it: one clock, made at the composition root
 * (chord/service.ts) and handed down, so simulated networks can run every
 * part of a peer on a fake clock while real peers use the system's.
 */
export interface Clock {
  /** Monotonic milliseconds: periods, timeouts, ages. */
  now (): number
  /** Wall-clock milliseconds since the epoch: record versions, expiry instants, when a member was last seen. */
  wallMs (): number
  setTimeout (fn: () => void, ms: number): unknown
  clearTimeout (handle: unknown): void
}

export const systemClock: Clock = {
  now: () => performance.now(),
  wallMs: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: handle => { clearTimeout(handle as ReturnType<typeof setTimeout>) }
}
