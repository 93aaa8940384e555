import { BusyError } from '../errors.js'
import { betweenRightIncl, type RingId } from '../ring/ids.js'
import type { NodeRef } from '../ring/node-ref.js'

/** How long, and for how many joiners, a successor remembers the arcs copied from it. */
export interface JoinerArcLimits {
  /** A joiner's arc is forgotten this long after its last page was served (ms); an unsettled joiner stops holding its place then too. */
  readonly holdMs: number
  /** A settled joiner's arc is forgotten this long after it settled (ms): writes this peer took in its stead just before still reach it. */
  readonly settledMs: number
  /** A joiner that has not become this peer's predecessor this long after its last page no longer holds its place (ms). */
  readonly noticeMs: number
  /** Joiners remembered at most; the one served longest ago goes first. */
  readonly max: number
}

interface Copied {
  readonly joiner: NodeRef
  /** The arc copied is (from, joiner]. */
  readonly from: RingId
  readonly untilMs: number
  /** When its last page was served. */
  readonly atMs: number
  /** Not yet an owner: it has not said it owns its arc. */
  readonly settling: boolean
  /** It became this peer's predecessor. */
  readonly adopted: boolean
}

/**
 * The arcs peers joining in front of this one copied from it, one joiner
 * at a time. A joiner serves no key until its predecessor adopted it and it
 * caught up with this peer; until then this peer takes the writes for its
 * arc (as the owner before it, or in its stead when it refuses them) and
 * sends each to the joiner too, so the joiner, which vouches for its arc
 * from the copy on, never lacks one. While one joiner settles, no other may
 * copy from this peer: two joiners in one gap could each be taken for the
 * owner of the other's keys, and take writes the other never sees. A joiner
 * settles when it says, as an owner, that it holds its arc (its first
 * repair summary); an arc is forgotten `settledMs` after that, or `holdMs`
 * after its copy. One that copied its arc and did not become this peer's
 * predecessor within `noticeMs` (a peer that is no ring member may read the
 * arc it would own), or that did and was followed by another (it crashed),
 * no longer keeps others out. Pure: time comes in as
 * `nowMs`.
 */
export class JoinerArcs {
  /** By joiner, the one served longest ago first. */
  private readonly arcs = new Map<string, Copied>()
  private readonly limits: JoinerArcLimits

  constructor (limits: JoinerArcLimits) {
    this.limits = limits
  }

  /** `joiner` copies (from, joiner] from this peer at `nowMs`; refused (BUSY) while another joiner settles. */
  copied (joiner: NodeRef, from: RingId, nowMs: number): void {
    const other = this.settlingOther(joiner.peer, nowMs)
    if (other !== undefined) throw new BusyError(`${other.peer} is joining in front of this peer and has not settled yet: one joiner at a time; retry`)
    const adopted = this.arcs.get(joiner.peer)?.adopted ?? false
    this.arcs.delete(joiner.peer)
    this.arcs.set(joiner.peer, { joiner, from, untilMs: nowMs + this.limits.holdMs, atMs: nowMs, settling: true, adopted })
    for (const peer of this.arcs.keys()) {
      if (this.arcs.size <= this.limits.max) break
      this.arcs.delete(peer)
    }
  }

  /** `joiner` said at `nowMs` that it owns its arc: another peer may join here now. The writes taken here for its arc reach it a while yet. */
  settled (joiner: string, nowMs: number): void {
    const copied = this.arcs.get(joiner)
    if (copied?.settling === true) this.arcs.set(joiner, { ...copied, settling: false, untilMs: Math.min(copied.untilMs, nowMs + this.limits.settledMs) })
  }

  /**
   * This peer's predecessor is now `peer`: if it copied its arc here, it
   * keeps its place until it settles. A settling joiner adopted before and
   * now followed by another predecessor crashed (the ring linked past it),
   * so it keeps nobody out any more. No predecessor releases nobody: one
   * suspected for a moment is adopted again.
   */
  predecessorIs (peer: string | undefined): void {
    if (peer === undefined) return
    for (const [other, copied] of this.arcs) {
      if (other === peer) {
        if (!copied.adopted) this.arcs.set(other, { ...copied, adopted: true })
      } else if (copied.adopted && copied.settling) {
        this.arcs.set(other, { ...copied, settling: false })
      }
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

  /** A joiner other than `peer` still settling at `nowMs`. */
  private settlingOther (peer: string, nowMs: number): NodeRef | undefined {
    for (const [other, { joiner, untilMs, atMs, settling, adopted }] of this.arcs) {
      if (untilMs <= nowMs) this.arcs.delete(other)
      else if (settling && other !== peer && (adopted || nowMs < atMs + this.limits.noticeMs)) return joiner
    }
    return undefined
  }
}
