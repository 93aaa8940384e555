/**
 * A timer for a wait on another peer. Timers run before an event-loop turn
 * reads its sockets: after a stretch in which this process was busy, the
 * answer may already be here, unread, when the timer comes due. So the
 * verdict runs after that turn's reads (setImmediate), where an answer
 * that came has settled the wait. A saturated process would otherwise take
 * its own slowness for its peers' death (test/network/late-reply.test.ts).
 *
 * Returns the canceller; once cancelled, `onTimeout` never runs.
 */
export function peerTimer (ms: number, onTimeout: () => void): () => void {
  let cancelled = false
  let verdict: ReturnType<typeof setImmediate> | undefined
  const timer = setTimeout(() => {
    verdict = setImmediate(() => { if (!cancelled) onTimeout() })
  }, Math.max(1, ms))
  return () => {
    cancelled = true
    clearTimeout(timer)
    if (verdict !== undefined) clearImmediate(verdict)
  }
}
