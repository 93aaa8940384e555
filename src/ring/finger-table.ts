import { clockwise, fingerStart, type IdSpace, type RingId } from './ids.js'
import { distinctNodes, type NodeRef } from './node-ref.js'

/**
 * The finger table of one node: entry i should hold successor(n + 2^i).
 *
 * Fingers are hints only (Zave): they speed lookups up, are never trusted for
 * correctness and never feed the successor list. Entries are left empty until
 * a lookup fills them; fingers whose start lies before the first successor are
 * not stored at all, because they are that successor.
 */
export class FingerTable {
  readonly space: IdSpace
  readonly self: RingId
  private readonly entries: Array<NodeRef | undefined>
  private distinctCache: NodeRef[] | undefined

  constructor (space: IdSpace, self: RingId) {
    this.space = space
    this.self = self
    this.entries = new Array<NodeRef | undefined>(space.bits).fill(undefined)
  }

  /** The identifier finger i points at: n + 2^i. */
  start (i: number): RingId {
    return fingerStart(this.space, this.self, i)
  }

  /** Entry i, if known. */
  get (i: number): NodeRef | undefined {
    return this.entries[i]
  }

  /**
   * Records that `node` answered the lookup for finger i, and fills every
   * following finger whose start also lies in (start(i), node]: they have the
   * same successor. Returns the index of the last finger filled.
   *
   * A lookup answered by this node itself means no other node lies between
   * start(i) and this node, so finger i and every later finger (their starts
   * lie further along that same arc) are emptied.
   */
  update (i: number, node: NodeRef): number {
    let j = i
    if (node.id === this.self) {
      this.entries.fill(undefined, i)
      j = this.space.bits
    } else {
      const reach = clockwise(this.space, this.self, node.id)
      while (j < this.space.bits && (j === i || clockwise(this.space, this.self, this.start(j)) <= reach)) {
        this.entries[j] = node
        j++
      }
    }
    this.distinctCache = undefined
    return j - 1
  }

  /** Forgets every entry pointing at a peer that failed. */
  removePeer (peer: string): boolean {
    let changed = false
    for (let i = 0; i < this.entries.length; i++) {
      if (this.entries[i]?.peer === peer) {
        this.entries[i] = undefined
        changed = true
      }
    }
    if (changed) this.distinctCache = undefined
    return changed
  }

  /** Each distinct finger node once, in finger order. */
  distinct (): readonly NodeRef[] {
    this.distinctCache ??= distinctNodes(this.entries.filter((e): e is NodeRef => e !== undefined))
    return this.distinctCache
  }

  /** All entries, for status output and tests. */
  all (): ReadonlyArray<NodeRef | undefined> {
    return this.entries
  }
}

/**
 * Which finger fix-fingers should look up next, given the one after the last
 * fixed. Fingers whose start lies in (n, successor] are the successor itself
 * and are skipped, so a full pass costs about log2 N lookups instead of m.
 */
export function nextFingerToFix (space: IdSpace, self: RingId, successor: RingId | undefined, from: number): number {
  const first = firstFingerBeyond(space, self, successor)
  if (from < first || from >= space.bits) return first
  return from
}

/**
 * The lowest finger index whose start lies beyond the successor. Finger i
 * starts 2^i past `self`, so the fingers within (self, successor] are those
 * with 2^i ≤ the distance: as many as the distance has bits.
 */
export function firstFingerBeyond (space: IdSpace, self: RingId, successor: RingId | undefined): number {
  if (successor === undefined || successor === self) return 0
  const i = clockwise(space, self, successor).toString(2).length
  return i < space.bits ? i : 0
}
