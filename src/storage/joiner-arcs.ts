import { between, betweenRightIncl, type RingId } from '../ring/ids.js'
import type { NodeRef } from '../ring/node-ref.js'

/** How long, and for how many joiners, a successor remembers the arcs copied from it. */
export interface JoinerArcLimits {
  /** A joiner's arc is forgotten this long after its last page was served (ms). */
  readonly holdMs: number
  /** Joiners remembered at most; the one served longest ago goes first. */
  readonly max: number
}

interface Copied {
  readonly joiner: NodeRef
  /** The arc copied is (from, joiner]. */
  readonly from: RingId
  readonly untilMs: number
}

/**
 * The arcs peers joining in front of this one copied from it. This peer
 * owns such an arc until a joiner's notify reaches it and may still take
 * writes for it after the copy: those writes go to the joiner too, so the
 * joiner, which vouches for its arc from the copy on, never lacks one (the
 * joiner's catch-up after its notify is the second net). An arc is
 * forgotten once this peer's predecessor is the joiner or lies past it
 * (the arc is no longer this peer's: were it to take the arc over again,
 * from a crashed predecessor, the joiner is long a member or gone), or
 * `holdMs` after its copy. Pure: time comes in as `nowMs`.
 */
export class JoinerArcs {
  /** By joiner, the one served longest ago first. */
  private readonly arcs = new Map<string, Copied>()
  private readonly limits: JoinerArcLimits

  constructor (limits: JoinerArcLimits) {
    this.limits = limits
  }

  /** `joiner` copied (from, joiner] from this peer at `nowMs`. */
  copied (joiner: NodeRef, from: RingId, nowMs: number): void {
    this.arcs.delete(joiner.peer)
    this.arcs.set(joiner.peer, { joiner, from, untilMs: nowMs + this.limits.holdMs })
    for (const peer of this.arcs.keys()) {
      if (this.arcs.size <= this.limits.max) break
      this.arcs.delete(peer)
    }
  }

  /** This peer, `self`, now has `predecessor`: joiners at or before it are members this peer knows of. */
  predecessorIs (predecessor: NodeRef | undefined, self: RingId): void {
    if (predecessor === undefined) return
    for (const [peer, { joiner }] of this.arcs) {
      if (peer === predecessor.peer || between(joiner.id, predecessor.id, self)) this.arcs.delete(peer)
    }
  }

  /** The joiners whose copied arc holds `id` and is still remembered at `nowMs`. */
  holding (id: RingId, nowMs: number): NodeRef[] {
    const out: NodeRef[] = []
    for (const [peer, { joiner, from, untilMs }] of this.arcs) {
      if (untilMs <= nowMs) this.arcs.delete(peer)
      else if (betweenRightIncl(from, id, joiner.id)) out.push(joiner)
    }
    return out
  }

  get size (): number {
    return this.arcs.size
  }
}
