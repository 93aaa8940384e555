import { between } from './ids.js'
import { sameNode, type NodeRef } from './node-ref.js'

/**
 * What a node does when `notifier` says it may be its predecessor (Zave's
 * rectify, which replaces the 2001 notify):
 * - `adopt`: no predecessor yet, or the notifier lies between the current
 *   predecessor and this node;
 * - `check`: adopt only if the current predecessor is found dead;
 * - `ignore`: the notifier is this node or already its predecessor.
 * The predecessor is never cleared.
 */
export type RectifyDecision = 'adopt' | 'check' | 'ignore'

export function rectifyDecision (self: NodeRef, predecessor: NodeRef | undefined, notifier: NodeRef): RectifyDecision {
  if (notifier.peer === self.peer || sameNode(predecessor, notifier)) return 'ignore'
  if (predecessor === undefined || between(predecessor.id, notifier.id, self.id)) return 'adopt'
  return 'check'
}

/**
 * Whether a notifier's own state confirms its notification as Zave's
 * protocol sends one: a ring member notifies its first successor (after
 * joining, stabilizing or merging), so it answers as a member whose
 * successor list starts with this node. A peer that never joined the ring
 * cannot make this node adopt it by notifying alone.
 */
export function notifierConfirms (self: NodeRef, notifier: { readonly member: boolean, readonly successors: readonly NodeRef[] }): boolean {
  return notifier.member && notifier.successors[0]?.peer === self.peer
}
