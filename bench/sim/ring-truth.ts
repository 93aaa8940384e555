import { type RingId } from '../../src/ring/ids.js'
import type { NodeRef } from '../../src/ring/node-ref.js'

/**
 * The simulator's ground truth: every live member in identifier order, so
 * the true owner of a key (its successor, SIGCOMM'01 §4.2) is one binary
 * search away. Lookups are judged against it.
 */
export class RingTruth {
  private readonly nodes: NodeRef[] = []

  constructor (nodes: Iterable<NodeRef> = []) {
    for (const node of nodes) this.nodes.push(node)
    this.nodes.sort((a, b) => compare(a.id, b.id))
  }

  get size (): number {
    return this.nodes.length
  }

  /** Members in identifier order. */
  get sorted (): readonly NodeRef[] {
    return this.nodes
  }

  add (node: NodeRef): void {
    this.nodes.splice(this.firstAtOrAfter(node.id), 0, node)
  }

  remove (node: NodeRef): void {
    const i = this.firstAtOrAfter(node.id)
    if (this.nodes[i]?.peer === node.peer) this.nodes.splice(i, 1)
  }

  /** The member responsible for `key`: the first at or after it, clockwise. */
  ownerOf (key: RingId): NodeRef {
    const owner = this.nodes[this.firstAtOrAfter(key) % this.nodes.length]
    if (owner === undefined) throw new Error('the ring has no members')
    return owner
  }

  /** The position of `key`'s owner in identifier order. */
  indexOf (key: RingId): number {
    return this.firstAtOrAfter(key) % this.nodes.length
  }

  /** The member `steps` places clockwise from the one at `index`. */
  at (index: number, steps = 0): NodeRef {
    const n = this.nodes.length
    return this.nodes[(((index + steps) % n) + n) % n] as NodeRef
  }

  private firstAtOrAfter (id: RingId): number {
    let lo = 0
    let hi = this.nodes.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((this.nodes[mid] as NodeRef).id < id) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

function compare (a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0
}
