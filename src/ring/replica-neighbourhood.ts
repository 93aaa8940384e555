import { between, betweenRightIncl, clockwise, type IdSpace, type RingId } from './ids.js'
import type { NodeRef } from './node-ref.js'

/**
 * Who may exchange records with a node (replication, repair, hand-off),
 * decided from the node's own view of the ring alone. A key lives on its
 * owner and the next k−1 successors, so the peers a node shares records
 * with are the members up to k−1 places before and after it; one place
 * more on each side allows for a view a join or a failure behind.
 */

/** Places beyond k−1 the neighbourhood reaches on each side. */
export const NEIGHBOURHOOD_SLACK = 1

/** What a node knows of the members around it. */
export interface NeighbourhoodView {
  readonly space: IdSpace
  readonly self: NodeRef
  /** Whether the node is a ring member (its join completed and it is not leaving). */
  readonly member: boolean
  /** Its predecessors as far as it knows them, nearest first: its predecessor, that one's, … */
  readonly predecessors: readonly NodeRef[]
  /** Its successor list, nearest first. */
  readonly successors: readonly NodeRef[]
  /** k: a key lives on its owner and the owner's next k−1 successors. */
  readonly replicas: number
  /** Neighbours that left a moment ago: their records may still be arriving. */
  readonly departed: readonly string[]
}

/** What a peer asks of a node's records. */
export type RecordAccess =
  /** Reads the records in the arc (from, to]: range, digests, summary. */
  | { readonly kind: 'read-arc', readonly from: RingId, readonly to: RingId }
  /** Reads records by the ring identifiers of their keys: fetch. */
  | { readonly kind: 'read-keys', readonly keys: readonly RingId[] }
  /** Sends records to keep: store, offer. */
  | { readonly kind: 'write' }

/** Whom the access comes from, as the view places it. */
export type Standing =
  /** A member up to k places before or after this node. */
  | 'neighbour'
  /**
   * A peer the view does not know, whose identifier lies among the members
   * it knows: it stands where a joining node would, and may read what a
   * node joining there takes over.
   */
  | 'newcomer'
  /** A neighbour that left a moment ago, handing its records over. */
  | 'departed'

export type AccessDecision =
  | { readonly kind: 'allow', readonly as: Standing }
  /**
   * A write from a peer farther along the ring (a hand-off of records it no
   * longer holds, e.g. after joins or a merge): allowed if the ring confirms
   * the peer is a member, which takes a lookup the view cannot make.
   */
  | { readonly kind: 'verify' }
  | { readonly kind: 'refuse', readonly why: string }

/**
 * The decision for `sender`'s access to this node's records:
 * 1. a node that is no ring member exchanges records with nobody;
 * 2. a neighbour (up to k places either side) may send and read records:
 *    it shares key ranges with this node (members are trusted; lying ones
 *    are out of scope);
 * 3. a departed neighbour may send records (its hand-off); it reads as any
 *    other peer (4) — it may be back, joining at its old place;
 * 4. a peer whose identifier lies among the members the view knows (from
 *    the farthest known predecessor to the farthest known successor; the
 *    whole circle when the view goes round it) may read the arc from the
 *    known member before it to itself: what a node joining there takes
 *    over from its successor (Zave's join), and nothing else;
 * 5. any other peer may send records once the ring confirms it is a member
 *    (`verify`): a member farther along hands over records this node now
 *    holds; it may read nothing.
 */
export function recordAccess (view: NeighbourhoodView, sender: NodeRef, access: RecordAccess): AccessDecision {
  if (!view.member) return refuse('this peer is not a ring member')
  const reach = view.replicas - 1 + NEIGHBOURHOOD_SLACK
  const predecessors = view.predecessors.slice(0, reach)
  const successors = view.successors.slice(0, reach)
  if ([...predecessors, ...successors].some(n => n.peer === sender.peer)) return { kind: 'allow', as: 'neighbour' }
  if (access.kind === 'write' && view.departed.includes(sender.peer)) return { kind: 'allow', as: 'departed' }
  if (access.kind !== 'write') {
    const before = placedAfter(view, predecessors, successors, sender)
    if (before === undefined) return refuse(`${sender.peer} is not in this peer's replica neighbourhood`)
    if (readsWithin(view.space, access, { from: before.id, to: sender.id })) return { kind: 'allow', as: 'newcomer' }
    return refuse(`${sender.peer} asks for records outside the arc a peer joining at its place takes over`)
  }
  return { kind: 'verify' }
}

/**
 * The known member right before `sender` on the circle, if the view places
 * `sender` among the members it knows: strictly between the farthest known
 * predecessor and the farthest known successor, or anywhere when the known
 * members go round the circle.
 */
function placedAfter (view: NeighbourhoodView, predecessors: readonly NodeRef[], successors: readonly NodeRef[], sender: NodeRef): NodeRef | undefined {
  const known = [...predecessors, view.self, ...successors]
  if (known.some(n => n.id === sender.id)) return undefined
  const first = predecessors.at(-1)
  const last = successors.at(-1)
  const roundTheCircle = first === undefined || last === undefined || new Set(known.map(n => n.peer)).size < known.length
  if (!roundTheCircle && !between(first.id, sender.id, last.id)) return undefined
  let best: NodeRef | undefined
  for (const n of known) if (best === undefined || clockwise(view.space, n.id, sender.id) < clockwise(view.space, best.id, sender.id)) best = n
  return best
}

/** An arc (from, to]; from = to is the whole circle. */
interface Arc {
  readonly from: RingId
  readonly to: RingId
}

/** Whether a read touches only records inside `outer`. */
function readsWithin (space: IdSpace, access: Exclude<RecordAccess, { kind: 'write' }>, outer: Arc): boolean {
  if (access.kind === 'read-arc') return arcWithin(space, access, outer)
  return access.keys.every(k => betweenRightIncl(outer.from, k, outer.to))
}

/** Whether the arc `inner` lies within the arc `outer`. */
export function arcWithin (space: IdSpace, inner: Arc, outer: Arc): boolean {
  if (outer.from === outer.to) return true
  if (inner.from === inner.to) return false
  return clockwise(space, outer.from, inner.from) + clockwise(space, inner.from, inner.to) <= clockwise(space, outer.from, outer.to)
}

function refuse (why: string): AccessDecision {
  return { kind: 'refuse', why }
}
