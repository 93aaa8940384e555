import { between, betweenRightIncl, clockwise, type IdSpace, type RingId } from '../ring/ids.js'

/** How long what a peer learned about its arcs stays good, and how long it waits after losing sight of peers. */
export interface CoverageOptions {
  /**
   * An owner's word that this peer replicates its arc holds this long unless
   * repeated (ms). Owners repeat it on every repair pass, so this must exceed
   * their longest repair period.
   */
  readonly replicaTtlMs: number
  /**
   * After losing a ring neighbour, how long the peer vouches for nothing
   * (ms): the neighbour may have crashed, or be on the other side of a
   * partition, where the ring closes over this peer's arc and takes writes
   * for it. The peer cannot tell which.
   */
  readonly lossGraceMs: number
  /**
   * An arc taken over from peers this one never replicated counts as held
   * after this long (ms): its previous holders are then taken to be gone
   * for good (the tombstone grace period).
   */
  readonly graceMs: number
  /**
   * The replication factor k: a peer replicates the arcs of its k−1
   * predecessors only (and a leaving predecessor hands over its arc with
   * the same word, k = 1 too). An older word from an owner further back
   * (this peer was its replica while the ring formed, say) no longer
   * holds, and nothing revokes it.
   */
  readonly factor: number
}

/** The most owners remembered as replicating to this peer (normally k−1). */
const MAX_OWNERS = 64

interface Arc {
  readonly from: RingId
  readonly to: RingId
  readonly at: number
}

/**
 * Where and when this peer can vouch that a key it lacks does not exist:
 * where it holds every acknowledged write, and has no reason to think that
 * writes are being acknowledged elsewhere.
 *
 * - Its owned arc (predecessor, self], once it was handed over whole (the
 *   successor's copy at join) or the peer founded the ring. A peer joining
 *   in front shrinks it; what is left stays held.
 * - When the predecessor moves back (the peers before it crashed, left or
 *   became unreachable), the part taken over is held as far as this peer
 *   replicated it: owners say so on every repair pass (and a leaving one
 *   after its hand-off). Two adjacent crashes with k = 3: all of it. The
 *   rest (k or more adjacent peers gone, the far side of a partition) only
 *   after `graceMs`, unless its holders come back first (the arc shrinks).
 * - Nowhere for `lossGraceMs` after a ring neighbour was lost.
 *
 * A miss outside these arcs, or within that time, must not be answered
 * NOT_FOUND. Ring identifiers only, no I/O: unit-tested at m = 8.
 */
export class Coverage {
  private readonly space: IdSpace
  private readonly self: RingId
  private readonly options: CoverageOptions
  private readonly now: () => number
  /** (heldFrom, self] is held; self means the whole circle; undefined: nothing yet. */
  private heldFrom: RingId | undefined
  /** The part taken over behind heldFrom without copies, held from `at` + graceMs on. */
  private gap: { readonly from: RingId, readonly at: number } | undefined
  /** The part of the arc taken over most recently, until a repair pass ran after it. */
  private taken: Arc | undefined
  private lostAt: number | undefined
  /** Founded without vouching: waiting for a repair pass with other replicas to hold its arc. */
  private untilRepaired = false
  private predecessor: RingId | undefined
  private readonly replicaArcs = new Map<string, Arc>()

  constructor (space: IdSpace, self: RingId, options: CoverageOptions, now: () => number) {
    this.space = space
    this.self = self
    this.options = options
    this.now = now
  }

  /** The peer founded a ring: it alone holds the whole circle. */
  holdWhole (): void {
    this.heldFrom = this.self
    this.gap = undefined
    this.untilRepaired = false
  }

  /**
   * The peer founded a ring while peers that may hold keys it lacks were
   * out of reach (it was a member of a ring before, or its bootstrap peers
   * did not answer): it holds nothing it can vouch for until a repair pass
   * compared its arc with other replicas (their copies are then here), or
   * a join hands it its arc, or `graceMs` passed.
   */
  holdNothingYet (): void {
    this.heldFrom = undefined
    this.gap = { from: this.self, at: this.now() }
    this.untilRepaired = true
  }

  /** The peer received (from, self] whole from its previous owner (join). */
  received (from: RingId): void {
    this.heldFrom = from
    this.predecessor = from
    this.gap = undefined
    this.untilRepaired = false
  }

  /** `owner` says this peer holds all of (from, to], its whole arc. */
  replicaOf (owner: string, from: RingId, to: RingId): void {
    const now = this.now()
    this.replicaArcs.delete(owner)
    for (const [peer, arc] of this.replicaArcs) {
      if (now - arc.at > this.options.replicaTtlMs || this.replicaArcs.size >= MAX_OWNERS) this.replicaArcs.delete(peer)
    }
    this.replicaArcs.set(owner, { from, to, at: now })
  }

  /** A ring neighbour (predecessor or successor) was lost to a failure, or what looked like one. */
  neighbourLost (): void {
    this.lostAt = this.now()
  }

  /** The predecessor is now `predecessor`: this peer owns (predecessor, self]. */
  predecessorIs (predecessor: RingId): void {
    if (predecessor === this.predecessor) return
    this.predecessor = predecessor
    this.closeGap()
    const held = this.heldFrom
    // Nothing held yet: a founder waiting for its repair pass keeps waiting.
    if (held === undefined) return
    if (predecessor === held) {
      this.gap = undefined
      return
    }
    if (held === this.self || between(held, predecessor, this.self)) {
      // The arc shrank (a peer joined in front, or the holders came back): all of it is still held.
      this.heldFrom = predecessor
      this.gap = undefined
      return
    }
    // The arc grew back to `predecessor`: held as far as replica arcs reach.
    const now = this.now()
    this.taken = { from: predecessor, to: this.taken?.to ?? held, at: now }
    const reach = this.reachBack(held, predecessor)
    this.heldFrom = reach
    this.gap = reach === predecessor ? undefined : { from: predecessor, at: now }
  }

  /** Whether a miss of a key at `id` can be answered "no such key". */
  covers (id: RingId): boolean {
    return this.uncovered(id) === undefined
  }

  /** Why a miss of a key at `id` cannot be answered "no such key"; undefined when it can. */
  uncovered (id: RingId): string | undefined {
    if (this.lostAt !== undefined && this.now() - this.lostAt < this.options.lossGraceMs) {
      return `this peer lost a ring neighbour ${Math.round((this.now() - this.lostAt) / 1000)} s ago (crashed or partitioned away: the rest of the ring may have taken writes for its keys)`
    }
    this.closeGap()
    if (this.heldFrom !== undefined && betweenRightIncl(this.heldFrom, id, this.self)) return undefined
    if (this.untilRepaired) return 'this peer founded its ring while the peers it knew were out of reach, and has not compared its keys with other replicas since'
    return 'peers that held the key\'s arc went out of reach (crashed or partitioned away), and this peer never replicated it'
  }

  /**
   * Whether `id` lies in the part of the arc taken over since the last full
   * repair pass: a copy held there may be older than another replica's.
   */
  recentlyTaken (id: RingId): boolean {
    return this.taken !== undefined && betweenRightIncl(this.taken.from, id, this.taken.to)
  }

  /**
   * A repair pass that started at `startedAt` compared the whole arc
   * (predecessor, self] with every replica, `peers` of them.
   */
  repaired (startedAt: number, peers: number): void {
    if (this.taken !== undefined && this.taken.at <= startedAt) this.taken = undefined
    // A founder that could not vouch holds its arc once another replica's copies are here.
    if (this.untilRepaired && peers > 0 && this.predecessor !== undefined) {
      this.heldFrom = this.predecessor
      this.gap = undefined
      this.untilRepaired = false
    }
  }

  /**
   * How far back from `predecessor` this peer is known to replicate: the
   * start of the run of fresh owners' arcs (at most k−1 of them) that ends
   * at `predecessor`; `predecessor` itself when no owner has said so lately.
   * Records in (that, predecessor] are not surplus and need no lookup.
   */
  replicatedFrom (predecessor: RingId): RingId {
    return this.reachBack(predecessor, this.self)
  }

  /** A gap whose holders stayed away for the grace period counts as held. */
  private closeGap (): void {
    if (this.gap !== undefined && this.now() - this.gap.at >= this.options.graceMs) {
      this.heldFrom = this.gap.from
      this.gap = undefined
      this.untilRepaired = false
    }
  }

  /**
   * How far back from `start` fresh replica arcs cover the circle without a
   * hole, over at most k−1 owners' arcs, stopping at `target`: `target`
   * itself when they reach it.
   */
  private reachBack (start: RingId, target: RingId): RingId {
    const now = this.now()
    const arcs = [...this.replicaArcs.values()].filter(a => now - a.at <= this.options.replicaTtlMs)
    let at = start
    for (let step = 0; step < Math.min(arcs.length + 1, Math.max(1, this.options.factor - 1)); step++) {
      // The arc holding `at` that reaches furthest back.
      let furthest = -1n
      let from = at
      for (const arc of arcs) {
        if (!betweenRightIncl(arc.from, at, arc.to)) continue
        if (arc.from === arc.to) return target
        const back = clockwise(this.space, arc.from, at)
        if (back > furthest) {
          furthest = back
          from = arc.from
        }
      }
      if (furthest < 0n) return at
      if (clockwise(this.space, target, at) <= furthest) return target
      at = from
    }
    return at
  }
}
