import { isPeerFailure } from '../errors.js'
import { isCloserSuccessor } from '../ring/closer.js'
import { sameTag, tagWins, type RingTag } from '../ring/ring-tag.js'
import { successorListFrom } from '../ring/successor-list.js'
import { ask, type MaintenanceContext } from './context.js'
import type { MergeInvitation, NeighbourState } from '../protocol/messages.js'
import type { NodeRef } from '../ring/node-ref.js'

/**
 * Ring merging (docs/ring-merge.md). Zave's protocol repairs any state that
 * is one ring, but never joins two: stabilization only talks to peers in a
 * node's own lists. A node learns of another ring by probing its passive
 * list; the ring whose tag loses then joins the other one member at a time,
 * each by a *merge move*: a Zave join through a member of the winning ring
 * that only ever takes a closer successor. Stabilization does the rest.
 */

export interface MergeContext extends MaintenanceContext {
  /** Hands an invitation to this node: it makes its merge move in its stabilize task and passes the invitation on. */
  accept (invitation: MergeInvitation): void
  /** Raises this node's ring tag, for a split whose sides still share one. */
  raiseTag (): void
  /**
   * Notes that `peer` answered with `tag` and needs a second look (this
   * ring's tag but not routed to, or another ring's tag); true when the
   * probes before found the same, for long enough (the second look agrees:
   * at once for another ring's tag or for a successor that vanished, after
   * RingMergerInit.splitDoubtMs for any other member under this ring's).
   */
  doubt (peer: string, tag: RingTag): boolean
}

/** What probing one passive-list peer found. */
export type ProbeOutcome =
  /** No answer: it may be dead, or on the far side of a partition. */
  | { readonly kind: 'unreachable' }
  /** It answered but is not a ring member (still joining, or leaving). */
  | { readonly kind: 'not-member' }
  /** It is a member of this node's ring again. */
  | { readonly kind: 'same-ring' }
  /** It is a member of another ring, tagged `tag`: a merge has started. */
  | { readonly kind: 'other-ring', readonly tag: RingTag }
  /** Seen once only: it shares this ring's tag but this ring does not route to it yet, or it carries another tag. Look again soon. */
  | { readonly kind: 'doubt' }

/**
 * Probes `target`. Every verdict that starts a merge takes probes in a row
 * that agree. A member answering with another ring's tag, the same tag
 * both times, lives in another ring. (Once is not enough: a tag raised on
 * this ring reaches its members one stabilize round apart, and a merge
 * started meanwhile would send an invitation, and a lookup for every member
 * it reaches, around the ring for nothing.) With the same tag, a lookup of
 * its identifier decides: a member that this node's ring does not route to,
 * still after RingMergerInit.splitDoubtMs (at the second look if it is a
 * successor this node lost and probed in vain), is on a split whose sides
 * share a tag, so this node raises its ring's tag first. (A member that
 * joined a moment ago is not routed to until stabilization has linked it in.)
 */
export async function probe (ctx: MergeContext, target: NodeRef): Promise<ProbeOutcome> {
  const mine = ctx.state.tag
  if (!ctx.state.joined || mine === undefined) return { kind: 'not-member' }
  let theirs: NeighbourState
  try {
    theirs = await ctx.transport.getState(target)
  } catch (err) {
    if (isPeerFailure(err)) return { kind: 'unreachable' }
    throw err
  }
  ctx.liveness.alive(target.peer)
  if (!theirs.member || theirs.tag === undefined) return { kind: 'not-member' }
  if (sameTag(theirs.tag, mine)) {
    if (await onThisRing(ctx, target, theirs)) return { kind: 'same-ring' }
    if (!ctx.doubt(target.peer, theirs.tag)) return { kind: 'doubt' }
    ctx.raiseTag()
  } else if (!ctx.doubt(target.peer, theirs.tag)) {
    return { kind: 'doubt' }
  }
  await startMerge(ctx, target, theirs.tag)
  return { kind: 'other-ring', tag: theirs.tag }
}

/**
 * Starts merging this node's ring with `target`'s: if `target`'s tag wins,
 * this node takes the invitation itself; otherwise `target` gets one (and
 * if its answer shows its tag won meanwhile, this node takes it after all).
 */
async function startMerge (ctx: MergeContext, target: NodeRef, theirs: RingTag): Promise<void> {
  const mine = ctx.state.tag
  if (mine === undefined) return
  if (tagWins(theirs, mine)) {
    ctx.accept({ tag: theirs, contact: target })
    return
  }
  const answer = await ask(ctx, target, async () => ctx.transport.merge(target, { tag: mine, contact: ctx.state.self }))
  const now = ctx.state.tag
  if (answer !== undefined && now !== undefined && tagWins(answer, now)) ctx.accept({ tag: answer, contact: target })
}

/**
 * Whether this node's ring routes `target`'s identifier to it, or is
 * linking it in: the owner this ring finds for its identifier is on
 * `target`'s own successor list (it joined just before that owner and
 * stabilization has not reached it yet; on a split, its list holds members
 * of the other side only), or already takes it as predecessor.
 */
async function onThisRing (ctx: MaintenanceContext, target: NodeRef, theirs: NeighbourState): Promise<boolean> {
  const reply = await ctx.lookup(target.id)
  if (reply.owner.peer === target.peer) return true
  if (theirs.successors.some(s => s.peer === reply.owner.peer)) return true
  if (reply.owner.peer === ctx.state.self.peer) return ctx.state.predecessor?.peer === target.peer
  const ownerState = await ask(ctx, reply.owner, async () => ctx.transport.getState(reply.owner))
  return ownerState?.predecessor?.peer === target.peer
}

/**
 * A merge move: Zave's join, made by a member of the losing ring through
 * `invitation.contact`. Look up this node's identifier there, read the
 * owner's list, and adopt take(r, [owner] ++ owner.successors) only if the
 * owner answered as a member and is closer than the current first
 * successor (a move never lengthens a successor pointer; the rest of the
 * losing ring follows through stabilization and further moves). If the
 * owner is this node or its current first successor, the node is in place
 * and takes the winning tag. Resolves with whether the list changed.
 */
export async function mergeMove (ctx: MaintenanceContext, invitation: MergeInvitation): Promise<boolean> {
  const { state, transport } = ctx
  if (!state.joined) return false
  const { contact } = invitation
  const reply = await transport.route(contact, { key: state.self.id, path: [state.self.peer], budgetMs: ctx.lookupBudgetMs, op: { kind: 'lookup' } })
  const s = reply.owner
  if (s.peer === state.self.peer || s.peer === state.successors[0]?.peer) {
    // The winning ring routes this node's identifier to it, or to its
    // successor (it joined there a moment ago): it is in place there already
    // and lacks only the tag. Taking it now (as the contact confirms it) ends
    // this tag's invitations here; waiting for the tag to spread back from
    // the successor, one stabilize round per member, let invitations go
    // round a ring of 1000 busy peers for minutes.
    const contactState = await ask(ctx, contact, async () => transport.getState(contact))
    if (contactState?.member === true && sameTag(contactState.tag, invitation.tag)) state.adoptTag(invitation.tag)
    return false
  }
  if (!isCloserSuccessor(state.self, state.successors[0], s)) return false
  const sState = await ask(ctx, s, async () => transport.getState(s))
  if (sState === undefined || !sState.member) return false
  // Another step may have moved the successor meanwhile: still closer?
  if (!isCloserSuccessor(state.self, state.successors[0], s)) return false
  state.setSuccessors(successorListFrom(state.space, state.self, s, sState.successors, state.r))
  state.adoptTag(sState.tag)
  await ask(ctx, s, async () => { await transport.notify(s) })
  return true
}
