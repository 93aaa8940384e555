import { clockwise, type IdSpace } from './ids.js'
import type { NodeRef } from './node-ref.js'

/** A rebuilt successor list. */
export interface SuccessorList {
  readonly successors: NodeRef[]
  /**
   * True when the rebuild reached `self`: the list holds every other member
   * of a ring of r or fewer, so after its last entry comes this node.
   */
  readonly wraps: boolean
}

/**
 * Zave's successor-list rebuild: `take(r, [head] ++ headList)`, computed from
 * one live neighbour in one step (never a merge of partial views).
 *
 * The result is cut where it would stop being strictly clockwise from `self`:
 * at `self` itself (the list wrapped around a ring of r or fewer members) or
 * at an entry that does not lie beyond the previous one (the neighbour's list
 * passed over `self`). So the list is always ordered and free of duplicates,
 * which are two of Zave's invariants.
 */
export function successorListFrom (space: IdSpace, self: NodeRef, head: NodeRef, headList: readonly NodeRef[], r: number): SuccessorList {
  const successors: NodeRef[] = []
  let last = 0n
  for (const node of [head, ...headList]) {
    if (successors.length >= r) break
    const d = clockwise(space, self.id, node.id)
    if (d === 0n) return { successors, wraps: true }
    if (d <= last) break
    successors.push(node)
    last = d
  }
  return { successors, wraps: false }
}

/** The list without a peer found dead: the head shifts up (Zave's dead-successor branch). */
export function withoutPeer (list: readonly NodeRef[], peer: string): NodeRef[] {
  return list.filter(n => n.peer !== peer)
}
