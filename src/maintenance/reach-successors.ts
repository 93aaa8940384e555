import { ask, type MaintenanceContext } from './context.js'

/**
 * Reaches each peer new in the successor list once, in the background, and
 * returns the peers the list now holds (the next call's `reached`).
 * Stabilize talks to the first successor only; a lookup forwarded straight
 * to a later entry, or a write to a replica, would otherwise open the
 * connection on first use and wait for TCP, Noise and Yamux: most of a cold
 * request's time, and the tail of a young ring's latency. Called after a
 * stabilize round that changed nothing, so that a forming ring does not
 * open connections to peers only passing through its lists. A peer that
 * does not answer is marked failed, as any maintenance request would.
 */
export function reachNewSuccessors (ctx: MaintenanceContext, reached: ReadonlySet<string>): ReadonlySet<string> {
  const { state } = ctx
  if (!state.joined) return reached
  const listed = new Set<string>()
  for (const s of state.successors) {
    listed.add(s.peer)
    if (reached.has(s.peer) || s.peer === state.self.peer) continue
    ask(ctx, s, async () => { await ctx.transport.ping(s) }).catch(() => {})
  }
  return listed
}
