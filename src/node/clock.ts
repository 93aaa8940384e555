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

// process.hrtime, not performance.now(): the global `performance` loads
// node:perf_hooks and its modules, 1 MiB of a resting peer (measured).
const origin = process.hrtime.bigint()

export const systemClock: Clock = {
  now: () => Number(process.hrtime.bigint() - origin) / 1e6,
  wallMs: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: handle => { clearTimeout(handle as ReturnType<typeof setTimeout>) }
}
