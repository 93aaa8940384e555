import { clockwise, type IdSpace } from './ids.js'
import type { NodeRef } from './node-ref.js'

/**
 * How many members the ring has, from one node's successor list: exactly
 * its length plus one when the list wraps around to the node (a ring of r or
 * fewer), else extrapolated from how much of the circle the r successors
 * span (identifiers are uniform: r peers in a fraction f of the circle
 * suggest r / f in all of it).
 */
export function estimateRingSize (space: IdSpace, self: NodeRef, successors: readonly NodeRef[], wraps: boolean): number {
  const sample = wraps ? undefined : successorSample(space, self, successors)
  return (sample === undefined ? undefined : pooledRingSize(space, [sample])) ?? successors.length + 1
}

/** A stretch of consecutive members: how many, and how much of the circle they span. */
export interface RingSample {
  readonly members: number
  readonly span: bigint
}

/**
 * What a node's successor list says of the ring's density: its length and
 * the arc from the node to its last successor. A list that comes back
 * round to the node spans the whole circle with every member in it.
 */
export function successorSample (space: IdSpace, node: NodeRef, successors: readonly NodeRef[]): RingSample | undefined {
  const back = successors.findIndex(s => s.peer === node.peer)
  if (back >= 0) return { members: back + 1, span: space.size }
  const last = successors.at(-1)
  if (last === undefined) return undefined
  const span = clockwise(space, node.id, last.id)
  return span === 0n ? undefined : { members: successors.length, span }
}

/**
 * The ring's size from several samples pooled: all their members over all
 * their span. One successor list of r = 8 is off by a third either way as
 * often as not; the lists of 16 other members, as fix-fingers hears them,
 * make it about 9 % (relative error 1/√(members counted)). Pooling sums,
 * not averaging each sample's own estimate, keeps short spans (high
 * estimates) from weighing more than they count.
 */
export function pooledRingSize (space: IdSpace, samples: Iterable<RingSample>): number | undefined {
  let members = 0n
  let span = 0n
  for (const s of samples) {
    members += BigInt(s.members)
    span += s.span
  }
  if (span === 0n) return undefined
  return Math.round(Number((members * space.size * 1000n) / span) / 1000)
}
