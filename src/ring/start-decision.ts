import { tagWins, type RingTag } from './ring-tag.js'
import type { NodeRef } from './node-ref.js'

/** What a peer learned from one peer it knows (a bootstrap entry or a remembered member) at start. */
export interface KnownPeerState {
  readonly node: NodeRef
  /** Whether it is a ring member (it could be still joining, like this peer). */
  readonly member: boolean
  readonly tag?: RingTag | undefined
}

/** What a starting peer does next. */
export type StartDecision =
  /** Join the ring of this member. */
  | { readonly kind: 'join', readonly via: NodeRef }
  /** Found a new ring: nobody to join, or this peer goes first. */
  | { readonly kind: 'found', readonly why: string }
  /** Ask again later. */
  | { readonly kind: 'wait' }

/**
 * How a starting peer decides between joining and founding, from what the
 * peers it knows answered (`answered`), whether some did not answer at all
 * (`unreachable`), and whether the time allowed for reaching them is over.
 *
 * - A member answered: join its ring (the one with the winning tag if
 *   several rings answered; merging brings the rest along later).
 * - Only peers that are themselves still joining answered (every peer of a
 *   deployment started at once with one shared bootstrap list): the one with
 *   the lowest peer ID founds, the others wait for it and then join. Every
 *   peer applies the same rule, so one of them goes first.
 * - Nobody answered: wait, and found once the time is over (the peers
 *   known are then probed in the background, and the rings merge when they
 *   meet).
 */
export function decideStart (self: NodeRef, answered: readonly KnownPeerState[], deadlinePassed: boolean): StartDecision {
  let best: KnownPeerState | undefined
  for (const state of answered) {
    if (!state.member) continue
    if (best === undefined || (state.tag !== undefined && (best.tag === undefined || tagWins(state.tag, best.tag)))) best = state
  }
  if (best !== undefined) return { kind: 'join', via: best.node }
  const joining = answered.filter(s => s.node.peer !== self.peer)
  if (joining.length > 0 && joining.every(s => self.peer < s.node.peer)) {
    return { kind: 'found', why: `no member answered; ${joining.length} other starting peer${joining.length === 1 ? '' : 's'} wait for this one (lowest peer ID)` }
  }
  if (deadlinePassed) return { kind: 'found', why: answered.length === 0 ? 'no known peer answered in time' : 'no member answered in time' }
  return { kind: 'wait' }
}
