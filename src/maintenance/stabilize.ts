import { isPeerFailure, RequestTimeoutError } from '../errors.js'
import { between } from '../ring/ids.js'
import { successorListFrom } from '../ring/successor-list.js'
import { ask, type MaintenanceContext } from './context.js'
import type { NeighbourState } from '../protocol/messages.js'
import type { NodeRef } from '../ring/node-ref.js'

/**
 * One round of Zave's corrected stabilize (chord-correctness §1.3).
 *
 * Phase 1 queries the first successor s1. If it is dead (its connection
 * failed, or it timed out twice running) or answers that it is no ring
 * member (a restarted peer that has not rejoined yet, or one leaving) it is
 * dropped, the list shifts up and the new head is notified. If it is alive
 * the list is rebuilt as take(r, [s1] ++ s1.successors). When s1's
 * predecessor p lies between this node and s1, phase 2 queries p and, if it
 * answers as a member, rebuilds the list from p instead. The round ends by
 * notifying the first successor.
 *
 * The successor's ring tag is adopted when it wins, so a tag spreads from
 * successor to predecessor around a ring (ring-tag.ts).
 *
 * A node alone (empty list) is its own s1: its predecessor, if any, is the
 * phase-2 candidate, which is how a ring grows from its first member.
 * The caller runs one round at a time.
 */
export async function stabilize (ctx: MaintenanceContext): Promise<void> {
  const { state } = ctx
  if (!state.joined) return
  const s1 = state.successors[0]
  if (s1 === undefined) {
    const p = state.predecessor
    if (p !== undefined) await adoptFromPredecessor(ctx, p, undefined)
    return
  }

  let s1State: NeighbourState
  try {
    s1State = await ctx.transport.getState(s1)
    ctx.liveness.alive(s1.peer)
  } catch (err) {
    if (!isPeerFailure(err)) throw err
    // A lost connection proves s1 dead; a single timeout may be a stall, so
    // s1 is dropped only when it already failed recently (peerFailed also
    // asks for another round at once).
    const confirmed = !(err instanceof RequestTimeoutError) || ctx.liveness.isSuspect(s1.peer)
    ctx.log('stabilize: successor %s failed (%s)%s', s1.peer, (err as Error).message, confirmed ? '' : '; asking again')
    ctx.peerFailed(s1)
    if (confirmed) await dropHead(ctx, s1)
    return
  }
  if (!s1State.member) {
    ctx.log('stabilize: successor %s is not a ring member', s1.peer)
    ctx.peerFailed(s1)
    await dropHead(ctx, s1)
    return
  }
  state.setSuccessors(successorListFrom(state.space, state.self, s1, s1State.successors, state.r))
  state.adoptTag(s1State.tag)

  const p = s1State.predecessor
  if (p !== undefined && between(state.self.id, p.id, s1.id)) {
    await adoptFromPredecessor(ctx, p, s1)
  } else if (p?.peer !== state.self.peer) {
    // s1 already names this node as predecessor: rectify would change nothing.
    await notify(ctx, s1)
  }
}

/** Zave's dead-successor branch: drop the head, the list shifts up, notify the new head. */
async function dropHead (ctx: MaintenanceContext, s1: NodeRef): Promise<void> {
  ctx.state.dropSuccessor(s1.peer)
  ctx.successorLost(s1)
  const head = ctx.state.successors[0]
  if (head !== undefined) await notify(ctx, head)
}

/** Phase 2: adopt p as first successor if it answers as a member (we never adopt a node we have not heard from). */
async function adoptFromPredecessor (ctx: MaintenanceContext, p: NodeRef, s1: NodeRef | undefined): Promise<void> {
  const { state } = ctx
  const pState = await query(ctx, p)
  // Abort if the successor changed while phase 2 was in flight.
  if (state.successors[0]?.peer !== s1?.peer) return
  if (pState?.member !== true) {
    if (s1 !== undefined) await notify(ctx, s1)
    return
  }
  state.setSuccessors(successorListFrom(state.space, state.self, p, pState.successors, state.r))
  state.adoptTag(pState.tag)
  await notify(ctx, p)
}

async function query (ctx: MaintenanceContext, node: NodeRef): Promise<NeighbourState | undefined> {
  return ask(ctx, node, async () => ctx.transport.getState(node))
}

async function notify (ctx: MaintenanceContext, node: NodeRef): Promise<void> {
  await ask(ctx, node, async () => { await ctx.transport.notify(node) })
}
