import { firstFingerBeyond } from '../../src/ring/finger-table.js'
import type { ChordNode } from '../../src/chord/node.js'
import type { RingTag } from '../../src/ring/ring-tag.js'
import type { RingTruth } from './ring-truth.js'

/**
 * Gives every node of `ring` the ideal state of that ring, as the papers'
 * simulations start from a stable ring and Zave's A3 asks (an ideal ring
 * of at least r+1 members): its next r members as successor list, its
 * predecessor, every finger the successor of its start, and one ring tag.
 *
 * Each node first founds a ring of its own (`create`, which also starts
 * its maintenance); then its state is replaced through NodeState's public
 * setters, in an order that sends no neighbour hints: the tag, the
 * successor list while no predecessor is known, then the predecessor.
 * Fingers are those a complete fix-fingers pass would leave: none for
 * starts up to the first successor, each later one the start's owner.
 */
export function installIdealRing (nodes: readonly ChordNode[], truth: RingTruth, tag: RingTag): void {
  const n = truth.size
  for (const node of nodes) {
    const { state } = node
    node.create()
    state.setTag(tag)
    const i = truth.indexOf(node.self.id)
    const successors = Array.from({ length: Math.min(state.r, n - 1) }, (_, j) => truth.at(i, j + 1))
    state.setSuccessors({ successors, wraps: n - 1 < state.r })
    if (n > 1) state.setPredecessor(truth.at(i, -1))
    if (n > 1) {
      let f = firstFingerBeyond(state.space, state.self.id, state.successor.id)
      while (f < state.space.bits) f = state.fingers.update(f, truth.ownerOf(state.fingers.start(f))) + 1
    }
  }
}
