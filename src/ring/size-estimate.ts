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
  const last = successors.at(-1)
  if (wraps || last === undefined) return successors.length + 1
  const span = clockwise(space, self.id, last.id)
  if (span === 0n) return successors.length + 1
  return Math.round(Number((BigInt(successors.length) * space.size * 1000n) / span) / 1000)
}
