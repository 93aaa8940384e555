import { ask, type MaintenanceContext } from './context.js'
import type { TaskOutcome } from './scheduler.js'

/**
 * Liveness check of the predecessor: a ping once it has not been heard from
 * for `recentMs` (its stabilize reaches this peer more often than that while
 * it lives). Until then the next check is due when that time comes, so a
 * resting peer wakes for it only when its predecessor fell silent, and a
 * silent predecessor is pinged no later than a periodic check would have.
 * A failure only marks it suspect (routing then treats it as dead); Zave's
 * protocol never clears the predecessor, rectify replaces it.
 */
export async function checkPredecessor (ctx: MaintenanceContext, recentMs: number): Promise<TaskOutcome> {
  const pred = ctx.state.predecessor
  if (pred === undefined) return
  const quiet = ctx.liveness.quietFor(pred.peer)
  // Whole milliseconds, and a ping within one of the deadline: the wake-up lands at or past it whatever the clock's rounding.
  if (quiet + 1 < recentMs) return { inMs: Math.ceil(recentMs - quiet) }
  await ask(ctx, pred, async () => { await ctx.transport.ping(pred) })
}
