import { tagWins, type RingTag } from './ring-tag.js'
import type { NodeRef } from './node-ref.js'

/** What a peer learned from one peer it knows (a bootstrap entry or a remembered member) at start. */
export interface KnownPeerState {
  readonly node: NodeRef
  /** Whether it is a ring member (it could be still joining, like this peer). */
  readonly member: boolean
  readonly tag?: RingTag | undefined
}

/** What a starting peer knows after one round of asking the peers it knows. */
export interface StartRound {
  /** The peers that answered, with their state. */
  readonly answered: readonly KnownPeerState[]
  /** Known peers that did not answer (not started yet, or unreachable). */
  readonly unanswered: number
  /** Whether one of them is known (by the peer ID in its address) to have a lower peer ID than this peer. */
  readonly lowerUnanswered?: boolean
  /**
   * Whether the list may miss peers that started before this one: it
   * comes from names that may stand for many peers, and none of them lists
   * this peer yet, so a peer with a lower ID may be missing as well.
   */
  readonly incomplete?: boolean
  /** Whether the time allowed for reaching a member is over. */
  readonly deadlinePassed: boolean
  /** Whether this peer was already the lowest of the starting peers in the round before. */
  readonly lowestBefore: boolean
}

/** What a starting peer does next. */
export type StartDecision =
  /** Join the ring of this member. */
  | { readonly kind: 'join', readonly via: NodeRef }
  /** Found a new ring: nobody to join, or this peer goes first. */
  | { readonly kind: 'found', readonly why: string }
  /** Ask again later; `lowest` when this peer would go first if nobody else shows up. */
  | { readonly kind: 'wait', readonly lowest: boolean }

/**
 * How a starting peer decides between joining and founding, from one round
 * of asking the peers it knows.
 *
 * - A member answered: join its ring (the one with the winning tag if
 *   several rings answered; merging brings the rest along later).
 * - Only peers that are themselves still joining answered (every peer of a
 *   deployment started at once with one shared bootstrap list): the one with
 *   the lowest peer ID founds, the others wait for it and then join. Every
 *   peer applies the same rule, so one of them goes first. While some known
 *   peers have not answered yet (a peer with a lower ID may still be
 *   starting), it founds only when it was the lowest in the round before as
 *   well, and never while a peer known to have a lower ID (its address
 *   names it) is silent, or while the list may miss a peer that started
 *   earlier (a name that does not list this peer yet): with every address
 *   naming its peer, or names that list every peer started so far, one
 *   founds; otherwise two founders are rare, and their rings merge.
 * - Nobody answered: wait, and found once the time is over (the peers
 *   known are then probed in the background, and the rings merge when they
 *   meet).
 */
export function decideStart (self: NodeRef, round: StartRound): StartDecision {
  const { answered, unanswered, deadlinePassed, lowestBefore, lowerUnanswered = false, incomplete = false } = round
  let best: KnownPeerState | undefined
  for (const state of answered) {
    if (!state.member) continue
    if (best === undefined || (state.tag !== undefined && (best.tag === undefined || tagWins(state.tag, best.tag)))) best = state
  }
  if (best !== undefined) return { kind: 'join', via: best.node }
  const joining = answered.filter(s => s.node.peer !== self.peer)
  const lowest = joining.length > 0 && !lowerUnanswered && !incomplete && joining.every(s => self.peer < s.node.peer)
  if (lowest && (unanswered === 0 || lowestBefore)) {
    return { kind: 'found', why: `no member answered; ${joining.length} other starting peer${joining.length === 1 ? '' : 's'} wait for this one (lowest peer ID)` }
  }
  if (deadlinePassed) return { kind: 'found', why: answered.length === 0 ? 'no known peer answered in time' : 'no member answered in time' }
  return { kind: 'wait', lowest }
}
