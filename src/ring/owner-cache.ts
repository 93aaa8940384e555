import { betweenRightIncl, type RingId } from './ids.js'
import type { NodeRef } from './node-ref.js'

/** An arc (from, owner] that a route's owner said it held when it answered. */
interface Arc {
  readonly from: RingId
  readonly owner: NodeRef
  /** When the arc was learned (clock ms). */
  readonly at: number
}

/**
 * The arcs recent routes ended in: each route's owner names its predecessor
 * in the reply, so every peer the reply passes learns which arc that owner
 * held. A later lookup of a key in a known arc can go straight to its owner
 * (a location cache, holding the arc the owner itself stated rather than a
 * guess). A hint, as a finger is: the peer it names decides by its own
 * predecessor whether it owns the key and routes the request on if it does
 * not, so a stale arc costs hops, never a wrong owner. Bounded: the arc
 * learned first goes first; an arc older than `ttlMs` is not used. No I/O,
 * no clock of its own.
 */
export class OwnerCache {
  private readonly capacity: number
  private readonly ttlMs: number
  /** Sorted by the owner's identifier. */
  private arcs: Arc[] = []

  constructor (capacity: number, ttlMs: number) {
    this.capacity = capacity
    this.ttlMs = ttlMs
  }

  get size (): number {
    return this.arcs.length
  }

  /**
   * Records that `owner` held (from, owner.id] at `now`, dropping the arcs
   * of owners inside it. An older arc that reaches back past `owner` needs
   * no trimming: a key is looked up at the first owner at or after it.
   */
  learn (from: RingId | undefined, owner: NodeRef, now: number): void {
    if (this.capacity <= 0 || from === undefined || from === owner.id) return
    const to = owner.id
    // Most arcs learned are ones already known: refresh in place, no copy.
    const at = this.firstAtOrAfter(this.arcs, to)
    const known = this.arcs[at]
    if (known !== undefined && known.owner.peer === owner.peer && known.owner.id === to && known.from === from) {
      this.arcs[at] = { from, owner, at: now }
      return
    }
    // The owners inside (from, to] lie together in the sorted list (in two
    // runs when the arc wraps past zero): found by two binary searches, not
    // a pass over every arc. An owner's identifier is fixed (its peer's
    // hash), so the arc this owner held before is among them.
    const { arcs } = this
    const after = this.firstAtOrAfter(arcs, from + 1n)
    const through = this.firstAtOrAfter(arcs, to + 1n)
    const arc = { from, owner, at: now }
    if (from < to) {
      arcs.splice(after, through - after, arc)
    } else {
      arcs.splice(after, arcs.length - after)
      arcs.splice(0, through, arc)
    }
    if (arcs.length > this.capacity) {
      let oldest = 0
      for (let i = 1; i < arcs.length; i++) if ((arcs[i] as Arc).at < (arcs[oldest] as Arc).at) oldest = i
      arcs.splice(oldest, 1)
    }
  }

  /**
   * Records the arcs a node's state implies: its own (predecessor, node]
   * and, along its successor list, each successor's (the one before it, it].
   */
  learnNeighbours (node: NodeRef, predecessor: NodeRef | undefined, successors: readonly NodeRef[], now: number): void {
    this.learn(predecessor?.id, node, now)
    let from = node
    for (const successor of successors) {
      if (successor.peer === node.peer) break
      this.learn(from.id, successor, now)
      from = successor
    }
  }

  /** The owner of the known arc that holds `key`, unless that arc is older than the TTL. */
  ownerOf (key: RingId, now: number): NodeRef | undefined {
    const { arcs } = this
    if (arcs.length === 0) return undefined
    const arc = arcs[this.firstAtOrAfter(arcs, key) % arcs.length] as Arc
    if (now - arc.at > this.ttlMs || !betweenRightIncl(arc.from, key, arc.owner.id)) return undefined
    return arc.owner
  }

  /**
   * Where knowledge of the ring stops, walking from `self` along known,
   * fresh arcs that meet end to end: the last owner reached, whose
   * successor's arc is not known (asking it for its state teaches the next
   * ones). Undefined once the walk comes back round to `self` (every arc
   * of the ring is known), or when not even the arc after `self` is. Arcs
   * past the TTL are not known. A route whose hint was stale leaves a gap
   * here: its reply's arc no longer meets the stale one after it.
   */
  frontier (self: NodeRef, now: number): NodeRef | undefined {
    const { last, round } = this.walk(self, now)
    return round || last === self ? undefined : last
  }

  /**
   * Whether fresh arcs meeting end to end lead from `self` all the way
   * round back to it: every member's arc is known, and `size` is the
   * ring's size.
   */
  complete (self: NodeRef, now: number): boolean {
    return this.walk(self, now).round
  }

  /** Forgets the arcs of a peer that failed or left. */
  forget (peer: string): void {
    if (this.arcs.some(a => a.owner.peer === peer)) this.arcs = this.arcs.filter(a => a.owner.peer !== peer)
  }

  /** Follows fresh arcs that meet end to end from `self`: the last owner reached, and whether the walk came back round to `self`. */
  private walk (self: NodeRef, now: number): { last: NodeRef, round: boolean } {
    let at: NodeRef = self
    for (let steps = 0; steps < this.arcs.length; steps++) {
      const next = this.arcs[this.firstAtOrAfter(this.arcs, at.id + 1n) % this.arcs.length] as Arc
      if (next.from !== at.id || now - next.at > this.ttlMs) break
      if (next.owner.peer === self.peer) return { last: at, round: true }
      at = next.owner
    }
    return { last: at, round: false }
  }

  /** Index of the first arc whose owner's identifier is ≥ `id` (arcs.length when none is). */
  private firstAtOrAfter (arcs: readonly Arc[], id: RingId): number {
    let lo = 0
    let hi = arcs.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((arcs[mid] as Arc).owner.id < id) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}
