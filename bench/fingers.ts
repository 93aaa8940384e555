import { firstFingerBeyond } from '../src/ring/finger-table.js'
import { betweenRightIncl, type RingId } from '../src/ring/ids.js'
import type { ChordPeer } from '../src/chord/peer.js'

/** The member that owns `key`: the first of the sorted ring ids at or after it, wrapping round. */
export function successorIn (sorted: readonly RingId[], key: RingId): RingId {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((sorted[mid] as RingId) < key) lo = mid + 1
    else hi = mid
  }
  return (sorted[lo] ?? sorted[0]) as RingId
}

/**
 * The fingers of `peer` that do not point at the true successor of their
 * start, given every member's ring id sorted (fingers inside the first
 * successor's arc are not kept, so they are not counted).
 */
export function wrongFingers (peer: ChordPeer, sorted: readonly RingId[]): { wrong: number, checked: number } {
  const { state } = peer.services.chord.testing.node
  let wrong = 0
  let checked = 0
  for (let i = firstFingerBeyond(state.space, state.self.id, state.successor.id); i < state.space.bits; i++) {
    const start = state.fingers.start(i)
    if (betweenRightIncl(state.self.id, start, state.successor.id)) continue
    const want = successorIn(sorted, start)
    const have = state.fingers.get(i)
    checked++
    if (want === state.self.id ? have !== undefined : have?.id !== want) wrong++
  }
  return { wrong, checked }
}
