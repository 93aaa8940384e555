import { between } from './ids.js'
import type { NodeRef } from './node-ref.js'

/**
 * Whether `candidate` would be a closer first successor for `self` than its
 * current one (`current`; undefined while `self` is alone, when any other
 * node is closer). Merge moves only ever take a closer successor, as
 * stabilize and rectify do: the sum of successor distances then only
 * shrinks, which is what rules out ending in two rings or in one ring that
 * wraps around twice (docs/ring-merge.md).
 */
export function isCloserSuccessor (self: NodeRef, current: NodeRef | undefined, candidate: NodeRef): boolean {
  if (candidate.peer === self.peer) return false
  if (current === undefined || current.peer === self.peer) return true
  return between(self.id, candidate.id, current.id)
}
