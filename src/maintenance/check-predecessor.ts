import { ask, type MaintenanceContext } from './context.js'

/**
 * Liveness check of the predecessor: a ping unless it was heard from within
 * `recentMs`. A failure only marks it suspect (routing then treats it as
 * dead); Zave's protocol never clears the predecessor, rectify replaces it.
 */
export async function checkPredecessor (ctx: MaintenanceContext, recentMs: number): Promise<void> {
  const pred = ctx.state.predecessor
  if (pred === undefined || ctx.liveness.seenWithin(pred.peer, recentMs)) return
  await ask(ctx, pred, async () => { await ctx.transport.ping(pred) })
}
