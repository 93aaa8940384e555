import { rectifyDecision } from '../ring/rectify.js'
import { ask, type MaintenanceContext } from './context.js'
import type { NodeRef } from '../ring/node-ref.js'

/**
 * Zave's rectify, run when `notifier` says it may be our predecessor: adopt
 * it when it is closer than the current predecessor (or there is none);
 * otherwise adopt it only if the current predecessor is dead. The current
 * predecessor counts as alive without a ping if it was heard from within
 * `recentMs`. The predecessor is never cleared.
 */
export async function rectify (ctx: MaintenanceContext, notifier: NodeRef, recentMs: number): Promise<void> {
  const { state, liveness } = ctx
  const current = state.predecessor
  const decision = rectifyDecision(state.self, current, notifier)
  if (decision === 'ignore') return
  if (decision === 'adopt' || current === undefined) {
    state.setPredecessor(notifier)
    return
  }
  if (liveness.seenWithin(current.peer, recentMs)) return
  const alive = await ask(ctx, current, async () => { await ctx.transport.ping(current); return true })
  // Adopt only if nothing else replaced the predecessor meanwhile.
  if (alive === undefined && state.predecessor?.peer === current.peer) state.setPredecessor(notifier)
}
