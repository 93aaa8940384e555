import { NotReadyError } from '../errors.js'
import { successorListFrom } from '../ring/successor-list.js'
import type { MaintenanceContext } from './context.js'
import type { NodeRef } from '../ring/node-ref.js'

/** Runs once the successor is known and before the node becomes a member (data hand-off). */
export type JoinHook = (successor: NodeRef, predecessor: NodeRef | undefined) => Promise<void>

/**
 * Zave's join through a ring member `via`: look up this node's own
 * identifier to find its successor s, read s's list and adopt
 * take(r, [s] ++ s.successors). The predecessor stays unset until rectify
 * fills it; the node is an appendage until its predecessor's stabilize
 * adopts it. The joiner takes its successor's ring tag.
 */
export async function join (ctx: MaintenanceContext, via: NodeRef, budgetMs: number, beforeJoined: JoinHook): Promise<NodeRef> {
  const { state, transport } = ctx
  const reply = await transport.route(via, { key: state.self.id, path: [state.self.peer], budgetMs, op: { kind: 'lookup' } })
  const s = reply.owner
  if (s.peer === state.self.peer) throw new NotReadyError('the ring still routes to an earlier run of this peer; retrying')
  const sState = await transport.getState(s)
  ctx.liveness.alive(s.peer)
  if (!sState.member || sState.tag === undefined) throw new NotReadyError(`the successor found, ${s.peer}, is not a ring member; retrying`)
  state.setSuccessors(successorListFrom(state.space, state.self, s, sState.successors, state.r))
  // Take over our keys before anyone routes to us (s's predecessor is ours-to-be).
  await beforeJoined(s, sState.predecessor)
  state.setTag(sState.tag)
  state.markJoined()
  await transport.notify(s).catch(() => {})
  return s
}
