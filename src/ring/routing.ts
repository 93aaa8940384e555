import { between, betweenRightIncl, clockwise, type IdSpace, type RingId } from './ids.js'
import { distinctNodes, sameNode, type NodeRef } from './node-ref.js'

/** What a node knows when it decides where a lookup goes next. */
export interface RoutingView {
  readonly space: IdSpace
  readonly self: NodeRef
  readonly predecessor?: NodeRef | undefined
  /** False when the predecessor is suspected dead (a liveness check failed). */
  readonly predecessorLive: boolean
  readonly successors: readonly NodeRef[]
  /** True when this node follows the last successor (a ring of r or fewer). */
  readonly successorsWrap: boolean
  /** Distinct finger nodes (hints). */
  readonly fingers: readonly NodeRef[]
  /**
   * A node that lately owned an arc holding the key (ring/owner-cache.ts),
   * reachable now: a hint, tried before the fingers when the key lies
   * beyond the successor list.
   */
  readonly ownerHint?: NodeRef | undefined
}

/**
 * What the sender of a lookup knows about the arc between the key and the
 * receiver, which lets the receiver take the key although its predecessor
 * lies at or after it:
 * - `successor`: no live node lies in [key, receiver): the receiver came from
 *   the sender's contiguous successor list, after entries found dead;
 * - `deadThrough`: no live node lies in [key, id]: the sender's successor
 *   list ran out at `id` with every entry from the key on dead.
 */
export type Claim =
  | { readonly kind: 'successor' }
  | { readonly kind: 'deadThrough', readonly id: RingId }

/** A node to forward to, with what the sender claims to it. */
export interface Candidate {
  readonly node: NodeRef
  readonly claim?: Claim | undefined
}

/** The next-hop decision for a lookup of `key`. */
export type NextHop =
  /** This node is responsible for the key. */
  | { readonly kind: 'self' }
  /**
   * Forward to the first candidate that answers, in order. When every
   * candidate fails, `elseSelf` says whether this node takes the key.
   */
  | { readonly kind: 'forward', readonly candidates: readonly Candidate[], readonly elseSelf: boolean }

const SELF: NextHop = { kind: 'self' }
/** The claim a node sends its successor list's entries: nothing live lies between the key and them. */
export const SUCCESSOR_CLAIM: Claim = { kind: 'successor' }

/**
 * One step of the recursive lookup (Chord's find_successor) as a pure
 * decision; `claim` is what the sender knew (see {@link Claim}).
 *
 * 1. A node alone, or one whose (predecessor, self] holds the key, answers.
 * 2. A claimed lookup whose key lies before this node's predecessor is walked
 *    back to a live predecessor with the same claim (the predecessor joined
 *    after the sender stabilized, or lies after the arc the sender knows to
 *    be dead). A dead predecessor inside the claimed arc makes the key this
 *    node's.
 * 3. When the key lies within the successor list, forward straight to its
 *    successor there, then to the entries after it: each is responsible if
 *    those before it are dead. Only a list known to run up to this node (it
 *    wraps, or ends at the predecessor) lets this node take the key when all
 *    of them are dead. Otherwise nodes before the key are asked next (the
 *    nearer a node is to the key, the further its own list reaches past it),
 *    and last the nodes known after the list's end, told it is dead.
 * 4. Otherwise forward to the closest preceding node among fingers and
 *    successors, nearest to the key first, so dead hops are skipped in order;
 *    known nodes after the key come last. An owner hint goes first: the
 *    node it names takes the key if its own predecessor lies before it, and
 *    routes on otherwise.
 *
 * Forward hops never pass the key and backward hops never cross it, so a
 * lookup cannot cycle on consistent state; a hop limit guards the rest (and
 * the router never hints a node the route already visited).
 */
export function nextHop (view: RoutingView, key: RingId, claim?: Claim): NextHop {
  const { self, predecessor: pred, successors } = view
  const last = successors.at(-1)
  if (last === undefined) return SELF
  if (pred !== undefined && betweenRightIncl(pred.id, key, self.id)) return SELF

  // From here on the predecessor, if known, lies at or after the key.
  if (claim !== undefined) {
    if (pred === undefined) {
      if (claim.kind === 'successor') return SELF
    } else {
      // The sender vouched that nothing live lies between the key and pred:
      // if pred fails too, the key is ours. Otherwise route on if it fails.
      const covered = claimCovers(claim, key, pred.id)
      if (view.predecessorLive) {
        const back = { node: pred, claim }
        return covered
          ? { kind: 'forward', candidates: [back], elseSelf: true }
          : { kind: 'forward', candidates: [back, ...plainCandidates(view, key)], elseSelf: false }
      }
      if (covered) return SELF
    }
  }

  const j = successors.findIndex(s => betweenRightIncl(self.id, key, s.id))
  if (j >= 0) {
    const contiguous = successors.slice(j)
    const elseSelf = view.successorsWrap || sameNode(last, pred)
    const candidates: Candidate[] = contiguous.map(node => ({ node, claim: SUCCESSOR_CLAIM }))
    if (!elseSelf) {
      for (const node of closestPreceding(view, key)) candidates.push({ node })
      const listed = new Set(contiguous.map(n => n.peer))
      const deadThrough: Claim = { kind: 'deadThrough', id: last.id }
      for (const node of nearestAfter(view, key)) {
        if (!listed.has(node.peer) && between(last.id, node.id, self.id)) candidates.push({ node, claim: deadThrough })
      }
    }
    return { kind: 'forward', candidates, elseSelf }
  }
  const plain = plainCandidates(view, key)
  const hint = view.ownerHint
  if (hint === undefined || hint.peer === self.peer) return { kind: 'forward', candidates: plain, elseSelf: false }
  return { kind: 'forward', candidates: [{ node: hint }, ...plain.filter(c => c.node.peer !== hint.peer)], elseSelf: false }
}

/** Closest preceding nodes, then known nodes after the key, sent without a claim. */
function plainCandidates (view: RoutingView, key: RingId): Candidate[] {
  return [...closestPreceding(view, key), ...nearestAfter(view, key)].map(node => ({ node }))
}

/** Whether the claim says no live node lies between the key and `id`, inclusive. */
function claimCovers (claim: Claim | undefined, key: RingId, id: RingId): boolean {
  if (claim === undefined) return false
  if (claim.kind === 'successor') return true
  return id === key || id === claim.id || (claim.id !== key && between(key, id, claim.id))
}

/** Every known node other than this one. */
function knownNodes (view: RoutingView): NodeRef[] {
  const pred = view.predecessor === undefined ? [] : [view.predecessor]
  return distinctNodes([...view.successors, ...view.fingers, ...pred]).filter(n => n.peer !== view.self.peer)
}

/**
 * Every known node strictly between this node and the key, nearest to the key
 * first (the paper's closest_preceding_node, extended to a ranked list).
 */
export function closestPreceding (view: RoutingView, key: RingId): NodeRef[] {
  const { space, self } = view
  return knownNodes(view)
    .filter(n => between(self.id, n.id, key))
    .sort((a, b) => compareBigint(clockwise(space, a.id, key), clockwise(space, b.id, key)))
}

/** Every known node at or after the key and before this node, nearest to the key first. */
function nearestAfter (view: RoutingView, key: RingId): NodeRef[] {
  const { space, self } = view
  return knownNodes(view)
    .filter(n => n.id === key || between(key, n.id, self.id))
    .sort((a, b) => compareBigint(clockwise(space, key, a.id), clockwise(space, key, b.id)))
}

function compareBigint (a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0
}
