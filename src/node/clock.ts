/**
 * Time as the ring logic sees it: injected, so simulated networks can run on
 * a fake clock while peers use the real one.
 */
export interface Clock {
  /** Monotonic milliseconds. */
  now (): number
  setTimeout (fn: () => void, ms: number): unknown
  clearTimeout (handle: unknown): void
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: handle => { clearTimeout(handle as ReturnType<typeof setTimeout>) }
}
