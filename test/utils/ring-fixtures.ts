import { FingerTable } from '../../src/ring/finger-table.js'
import { betweenRightIncl, clockwise, type IdSpace, type RingId } from '../../src/ring/ids.js'
import type { NodeRef } from '../../src/ring/node-ref.js'
import type { RoutingView } from '../../src/ring/routing.js'

/** A node named after its identifier, for small hand-checked spaces. */
export function ref (id: number | bigint): NodeRef {
  return { id: BigInt(id), peer: `n${id}` }
}

/** The node responsible for `key` among `ids`: its successor on the circle. */
export function trueSuccessor (space: IdSpace, ids: readonly RingId[], key: RingId): RingId {
  let best = ids[0] as RingId
  for (const id of ids) {
    if (clockwise(space, key, id) < clockwise(space, key, best)) best = id
  }
  return best
}

/** The view node `self` has in a converged ring of `ids`: exact successors and fingers. */
export function idealView (space: IdSpace, ids: readonly RingId[], self: RingId, r: number): RoutingView {
  const sorted = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const i = sorted.indexOf(self)
  const n = sorted.length
  const successors: NodeRef[] = []
  for (let j = 1; j <= Math.min(r, n - 1); j++) successors.push(ref(sorted[(i + j) % n] as RingId))
  const fingers = new FingerTable(space, self)
  for (let f = 0; f < space.bits; f++) fingers.update(f, ref(trueSuccessor(space, sorted, fingers.start(f))))
  const predecessor = n > 1 ? ref(sorted[(i + n - 1) % n] as RingId) : undefined
  return { space, self: ref(self), predecessor, predecessorLive: true, successors, successorsWrap: n - 1 < r, fingers: fingers.distinct() }
}

/** Whether `owner` is the right answer for `key` in a ring of `ids`. */
export function owns (ids: readonly RingId[], owner: RingId, key: RingId): boolean {
  const sorted = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const i = sorted.indexOf(owner)
  const pred = sorted[(i + sorted.length - 1) % sorted.length] as RingId
  return sorted.length === 1 || betweenRightIncl(pred, key, owner)
}
