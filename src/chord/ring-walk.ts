import { checkInvariants, type NodeSnapshot } from '../ring/invariants.js'
import { clockwise, idToHex, SHA256_SPACE } from '../ring/ids.js'
import type { NodeView, RingMember, RingView } from '../control/replies.js'
import type { MemberInfo } from '../protocol/member-info.js'
import type { Clock } from '../node/clock.js'

export type { RingMember, RingView } from '../control/replies.js'
import type { NodeRef } from '../ring/node-ref.js'

/** Where a walk gets each member's report: this peer's service. */
export interface MemberSource {
  /** This peer's report, or member `of`'s (asked over the network). */
  memberInfo (of?: NodeRef): Promise<MemberInfo>
  /** The walk's elapsed time is read from it. */
  readonly clock: Pick<Clock, 'now'>
}

/** Walks of more members than this stop (a loop guard on a corrupt ring). */
export const MAX_WALK_MEMBERS = 4096

const short = (peer: string): string => `…${peer.slice(-8)}`
/** A ring member as status, lookup and ring views name it. */
export function nodeView (node: NodeRef): NodeView {
  return { peerId: node.peer, ringId: idToHex(SHA256_SPACE, node.id) }
}

/**
 * Walks the ring from this peer: asks each member for its report and moves
 * to its first successor that answers, until the walk is back at this peer.
 * A walk that does not come back, a member whose predecessor is not the one
 * the walk came from, or a member that says it is not in a ring are warned
 * about: they are what a split ring (or churn in progress) looks like from
 * inside. Zave's invariants are checked over the reports of a closed walk.
 */
export async function walkRing (source: MemberSource, maxMembers = MAX_WALK_MEMBERS): Promise<RingView> {
  const started = source.clock.now()
  const start = await source.memberInfo()
  const infos: MemberInfo[] = [start]
  const dead = new Set<string>()
  const warnings: string[] = []
  let closed = false
  if (!start.member) warnings.push('this peer has not joined a ring')
  while (start.member) {
    const current = infos.at(-1) as MemberInfo
    if (current.successors.length === 0) {
      // A member alone in its ring is its own successor.
      closed = current === start
      if (!closed) warnings.push(`the walk stopped at ${short(current.self.peer)}: it has no successor`)
      break
    }
    const next = await firstAnswering(source, current, start.self.peer, dead, warnings)
    if (next === undefined) {
      warnings.push(`the walk stopped at ${short(current.self.peer)}: none of its ${current.successors.length} successors answered`)
      break
    }
    if (next === 'start') {
      closed = true
      break
    }
    if (infos.some(i => i.self.peer === next.self.peer)) {
      warnings.push(`the walk reached ${short(next.self.peer)} again without coming back to this peer: the successors form a loop that leaves this peer out (a split ring?)`)
      break
    }
    if (!next.member || next.leaving) {
      warnings.push(`${short(next.self.peer)} answered that it is ${next.leaving ? 'leaving the ring' : 'not a ring member'}`)
      if (!next.member) break
    }
    if (infos.length >= maxMembers) {
      warnings.push(`the walk stopped after ${maxMembers} members`)
      break
    }
    infos.push(next)
  }
  for (let i = closed ? 0 : 1; i < infos.length; i++) {
    const member = infos[i] as MemberInfo
    const before = infos[(i - 1 + infos.length) % infos.length] as MemberInfo
    if (infos.length > 1 && member.predecessor?.peer !== before.self.peer) {
      warnings.push(`${short(member.self.peer)}'s predecessor is ${member.predecessor === undefined ? 'unknown' : short(member.predecessor.peer)}, but the walk reached it from ${short(before.self.peer)}`)
    }
  }
  if (closed && infos.length > 1) {
    for (const violation of checkInvariants(snapshotOf(infos, dead), start.successorListLength).violations) warnings.push(`invariant ${violation}`)
  }
  return { from: start.self.peer, members: infos.map((info, i) => ringMember(infos, i, closed)), closed, warnings, elapsedMs: Math.round(source.clock.now() - started) }
}

/** The report of `current`'s first successor that answers; 'start' when that is the walking peer. */
async function firstAnswering (source: MemberSource, current: MemberInfo, start: string, dead: Set<string>, warnings: string[]): Promise<MemberInfo | 'start' | undefined> {
  for (const successor of current.successors) {
    if (successor.peer === start) return 'start'
    if (dead.has(successor.peer)) continue
    try {
      return await source.memberInfo(successor)
    } catch (err) {
      dead.add(successor.peer)
      warnings.push(`${short(successor.peer)}, a successor of ${short(current.self.peer)}, did not answer (${(err as Error).message}); skipped`)
    }
  }
  return undefined
}

/** The walk's `i`th member as the ring view shows it. */
function ringMember (infos: readonly MemberInfo[], i: number, closed: boolean): RingMember {
  const info = infos[i] as MemberInfo
  const n = infos.length
  // The arc this member owns starts after the member before it on the ring.
  const before = closed || i > 0 ? (infos[(i - 1 + n) % n] as MemberInfo).self : info.predecessor
  const share = n === 1 && closed ? 1 : before === undefined ? null : fraction(clockwise(SHA256_SPACE, before.id, info.self.id))
  const following = Array.from({ length: closed ? n - 1 : n - 1 - i }, (_, k) => (infos[(i + 1 + k) % n] as MemberInfo).self.peer)
  let matching = 0
  while (matching < info.successors.length && info.successors[matching]?.peer === following[matching]) matching++
  return {
    peerId: info.self.peer,
    ringId: idToHex(SHA256_SPACE, info.self.id),
    addrs: info.addrs,
    version: info.version,
    state: info.leaving ? 'leaving' : info.member ? 'joined' : 'joining',
    share,
    keys: info.keys,
    keysOwned: info.keysOwned,
    keysReplicated: info.keys - info.keysOwned,
    tombstones: info.tombstones,
    predecessor: info.predecessor === undefined ? null : nodeView(info.predecessor),
    successors: info.successors.map(nodeView),
    fingers: info.fingers.map(nodeView),
    successorList: { length: info.successors.length, expected: Math.min(info.successorListLength, closed ? n - 1 : info.successorListLength), matching }
  }
}

/** `d / 2^256` as a number, to six decimals. */
function fraction (d: bigint): number {
  return Number((d * 1_000_000n) / SHA256_SPACE.size) / 1_000_000
}

/** The invariant checker's view of the members walked; successors that did not answer are dead. */
function snapshotOf (infos: readonly MemberInfo[], dead: ReadonlySet<string>): Map<string, NodeSnapshot> {
  const snapshot = new Map<string, NodeSnapshot>()
  for (const info of infos) {
    snapshot.set(info.self.peer, { id: info.self.id, alive: true, member: info.member, successors: info.successors.map(s => s.peer), predecessor: info.predecessor?.peer })
    for (const s of info.successors) {
      if (dead.has(s.peer) && !snapshot.has(s.peer)) snapshot.set(s.peer, { id: s.id, alive: false, member: true, successors: [] })
    }
  }
  return snapshot
}
