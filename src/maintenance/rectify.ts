import { notifierConfirms, rectifyDecision } from '../ring/rectify.js'
import { ask, type MaintenanceContext } from './context.js'
import type { NodeRef } from '../ring/node-ref.js'

/**
 * Zave's rectify, run when `notifier` says it may be our predecessor: adopt
 * it when it is closer than the current predecessor (or there is none);
 * otherwise adopt it only if the current predecessor is dead. The current
 * predecessor counts as alive without a ping if it was heard from within
 * `recentMs`. The predecessor is never cleared.
 *
 * Before adopting, the notifier is asked for its state: only a member whose
 * first successor is this node sends the notification in Zave's protocol
 * (ring/rectify.ts), so a peer that merely claims to be our predecessor is
 * not taken.
 */
export async function rectify (ctx: MaintenanceContext, notifier: NodeRef, recentMs: number): Promise<void> {
  const { state, liveness } = ctx
  const first = rectifyDecision(state.self, state.predecessor, notifier)
  if (first === 'ignore') return
  if (first === 'check' && state.predecessor !== undefined && liveness.seenWithin(state.predecessor.peer, recentMs)) return
  const told = await ask(ctx, notifier, async () => ctx.transport.getState(notifier))
  if (told === undefined || !notifierConfirms(state.self, told)) {
    ctx.log('rectify: %s notified this peer but does not answer as a member whose successor it is; ignored', notifier.peer)
    return
  }
  // Decide again: the predecessor may have changed while the notifier answered.
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
