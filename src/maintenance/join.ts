import { ChordError, NotReadyError } from '../errors.js'
import { between } from '../ring/ids.js'
import { successorListFrom } from '../ring/successor-list.js'
import type { MaintenanceContext } from './context.js'
import type { NodeRef } from '../ring/node-ref.js'

/** Runs once the successor is known and before the node becomes a member (data hand-off). */
export type JoinHook = (successor: NodeRef, predecessor: NodeRef | undefined) => Promise<void>

/** Steps one join may take while the ring around it moves (other nodes joining there at the same moment). */
const JOIN_STEPS = 6
/** First wait before looking up the successor again after it refused the hand-off (ms; doubles). */
const REREAD_MS = 100
/** The successor's refusals that a later look may not meet: its view moved (NOT_MEMBER), another peer joins there (BUSY). */
const REREAD: ReadonlySet<string> = new Set(['NOT_MEMBER', 'BUSY'])

/**
 * Zave's join through a ring member `via`: look up this node's own
 * identifier to find its successor s, read s's list and adopt
 * take(r, [s] ++ s.successors). The predecessor stays unset until rectify
 * fills it; the node is an appendage until its predecessor's stabilize
 * adopts it. The joiner takes its successor's ring tag.
 *
 * Nodes joining next to each other at the same moment are normal (every
 * peer of a deployment started at once): when s's predecessor turns out to
 * lie between this node and s, that node joined first and is the nearer
 * successor (taken only once it answered, as Zave requires); when s refuses
 * the hand-off because its view moved while this node read it, or because
 * another peer joining there has not settled yet (storage/joiner-arcs.ts),
 * the lookup runs again after a pause. Only a ring that keeps moving past `JOIN_STEPS` fails the
 * join, and join-or-found tries again later.
 */
export async function join (ctx: MaintenanceContext, via: NodeRef, budgetMs: number, beforeJoined: JoinHook, pause: (ms: number) => Promise<void>): Promise<NodeRef> {
  const { state, transport } = ctx
  const lookup = async (): Promise<NodeRef> => (await transport.route(via, { key: state.self.id, path: [state.self.peer], budgetMs, op: { kind: 'lookup' } })).owner
  let s = await lookup()
  for (let step = 1; ; step++) {
    if (s.peer === state.self.peer) throw new NotReadyError('the ring still routes to an earlier run of this peer; retrying')
    const sState = await transport.getState(s)
    ctx.liveness.alive(s.peer)
    if (!sState.member || sState.tag === undefined) throw new NotReadyError(`the successor found, ${s.peer}, is not a ring member; retrying`)
    const p = sState.predecessor
    if (p !== undefined && p.peer !== state.self.peer && between(state.self.id, p.id, s.id) && step < JOIN_STEPS) {
      s = p
      continue
    }
    state.setSuccessors(successorListFrom(state.space, state.self, s, sState.successors, state.r))
    try {
      // Take over our keys before anyone routes to us (s's predecessor is ours-to-be).
      await beforeJoined(s, p)
    } catch (err) {
      if (!(err instanceof ChordError && REREAD.has(err.code)) || step >= JOIN_STEPS) throw err
      await pause(REREAD_MS * 2 ** (step - 1))
      s = await lookup()
      continue
    }
    state.setTag(sState.tag)
    state.markJoined()
    await transport.notify(s).catch(() => {})
    return s
  }
}
