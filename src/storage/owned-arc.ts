import type { Coverage } from './coverage.js'
import type { ReplicaSet } from './replication.js'
import type { RingId } from '../ring/ids.js'
import type { NodeRef } from '../ring/node-ref.js'

/** The ring as the owned arc sees it: its neighbours and which of them are suspected. */
export interface OwnedArcRing extends Pick<ReplicaSet, 'self' | 'successors' | 'isSuspect'> {
  readonly predecessor: NodeRef | undefined
}

export interface OwnedArcComponents {
  readonly ring: OwnedArcRing
  /** Told where the owned arc starts and when a neighbour was lost. */
  readonly coverage: Pick<Coverage, 'predecessorIs' | 'neighbourLost'>
}

/**
 * The arc this peer owns, (predecessor, self], followed through ring
 * changes: it moves with the predecessor, and a neighbour gone while
 * suspected was lost to a failure (or a partition), which {@link Coverage}
 * is told so that the peer vouches for nothing for a while.
 */
export class OwnedArc {
  private readonly components: OwnedArcComponents
  /** The predecessor and successors at the last ring change. */
  private neighbours = new Set<string>()
  /** A predecessor counted as lost (it stays the predecessor while dead). */
  private readonly lostPeers = new Set<string>()

  constructor (components: OwnedArcComponents) {
    this.components = components
  }

  /** The predecessor or the successors changed. */
  ringChanged (): void {
    const { ring, coverage } = this.components
    const pred = ring.predecessor
    const successors = new Set(ring.successors.map(n => n.peer))
    // A lost predecessor stays lost until it answers again as a successor, or another takes its place:
    // rectify never clears a dead predecessor (Zave), and its suspicion expires without it answering.
    for (const peer of this.lostPeers) if (successors.has(peer) || pred?.peer !== peer) this.lostPeers.delete(peer)
    const livePred = pred !== undefined && !ring.isSuspect(pred.peer) && !this.lostPeers.has(pred.peer) ? [pred] : []
    const neighbours = new Set([...successors, ...livePred.map(n => n.peer)])
    neighbours.delete(ring.self.peer)
    const lost = [...this.neighbours].filter(peer => !neighbours.has(peer) && ring.isSuspect(peer))
    if (lost.length > 0) coverage.neighbourLost()
    for (const peer of lost) if (pred?.peer === peer) this.lostPeers.add(peer)
    this.neighbours = neighbours
    this.follow()
  }

  /**
   * Where the arc this peer owns starts: at its predecessor, or, alone
   * after losing it (a ring of two whose other peer crashed), at itself: the
   * whole circle, which it replicated as far as the owners said.
   */
  private from (): RingId | undefined {
    const { ring } = this.components
    const pred = ring.predecessor
    const alone = pred !== undefined && this.lostPeers.has(pred.peer) && ring.successors.every(s => s.peer === ring.self.peer)
    return alone ? ring.self.id : pred?.id
  }

  /** Tells coverage where the owned arc starts now; returns it. */
  follow (): RingId | undefined {
    const from = this.from()
    if (from !== undefined) this.components.coverage.predecessorIs(from)
    return from
  }
}
