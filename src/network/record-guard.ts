import { NotMemberError } from '../errors.js'
import { NEIGHBOURHOOD_SLACK, recordAccess, type NeighbourhoodView, type RecordAccess } from '../ring/replica-neighbourhood.js'
import type { IdSpace, RingId } from '../ring/ids.js'
import type { NodeRef } from '../ring/node-ref.js'
import type { Logger } from '@libp2p/interface'

/** What the guard needs of the ring: this node's view, and two questions only the network can answer. */
export interface GuardedRing {
  readonly space: IdSpace
  readonly self: NodeRef
  /** A member, not leaving. */
  readonly member: boolean
  readonly predecessor: NodeRef | undefined
  readonly successors: readonly NodeRef[]
  readonly fingers: readonly NodeRef[]
  /** k. */
  readonly replicas: number
  /** The owner of `id`, found by a lookup through this node's ring. */
  lookup (id: RingId): Promise<NodeRef>
  /** `node`'s predecessor, asked of it. */
  predecessorOf (node: NodeRef): Promise<NodeRef | undefined>
}

/** How long a departed neighbour may still hand its records over (ms). */
const DEPARTED_MS = 60_000
/** Predecessors past the first are asked again when a check fails, at most this often (ms). */
const PREDECESSORS_MS = 1000
/** How long the ring's answer on whether a peer is a member is kept: yes, no (ms). */
const MEMBER_MS = 60_000
const NOT_MEMBER_MS = 5_000
/** Peers whose membership is remembered at most. */
const REMEMBERED = 1024

/**
 * Members-only records (README: Security): replication, repair and
 * hand-off messages are served only to peers this node's view places in the
 * replica neighbourhood of the records asked for or sent
 * (ring/replica-neighbourhood.ts decides). The guard keeps what that
 * decision needs beyond the node's state: its predecessors past the first
 * (asked of the predecessors, a few getState calls when they change),
 * neighbours that just left, and the ring's answer for peers farther away
 * that hand records over (a lookup of the peer's own identifier must end at
 * the peer).
 */
export class RecordGuard {
  private readonly ring: GuardedRing
  private readonly log: Logger
  private readonly now: () => number
  /** Predecessors past the first, learned for `learnedFor`. */
  private further: NodeRef[] = []
  private learnedFor: string | undefined
  private learnedAt = -Infinity
  private learning: Promise<boolean> | undefined
  private readonly departed = new Map<string, number>()
  private readonly members = new Map<string, { member: boolean, until: number }>()

  constructor (ring: GuardedRing, log: Logger, now: () => number) {
    this.ring = ring
    this.log = log
    this.now = now
  }

  /** Throws NotMemberError unless `from` may have this access to this node's records. */
  async check (from: NodeRef, access: RecordAccess): Promise<void> {
    let decision = recordAccess(this.view(), from, access)
    // Perhaps the view is behind: learn the predecessors again and decide once more.
    if (decision.kind !== 'allow' && await this.learnPredecessors()) decision = recordAccess(this.view(), from, access)
    if (decision.kind === 'allow') return
    if (decision.kind === 'verify' && await this.isMember(from)) return
    const why = decision.kind === 'refuse' ? decision.why : `${from.peer} is not in this peer's replica neighbourhood, and this peer's ring does not route its identifier to it: it is not a ring member`
    this.log('refused a %s of records from %s: %s', access.kind, from.peer, why)
    throw new NotMemberError(why)
  }

  /**
   * Whether this node's view holds `peer` as a ring member without asking
   * anyone: a neighbour, a finger, or a peer the ring confirmed lately.
   */
  knows (peer: string): boolean {
    const { self, predecessor, successors } = this.ring
    if (peer === self.peer || predecessor?.peer === peer || successors.some(s => s.peer === peer)) return true
    const known = this.members.get(peer)
    if (known !== undefined && known.until > this.now()) return known.member
    return this.further.some(n => n.peer === peer) || this.ring.fingers.some(n => n.peer === peer)
  }

  /**
   * The predecessor, or one past it, changed: learn the predecessors past
   * the first now, so the first write the owners among them replicate here
   * does not wait for the walk.
   */
  predecessorsChanged (): void {
    void this.learnPredecessors()
  }

  /** A neighbour says it is leaving: its hand-off may arrive after it left the view. */
  left (from: NodeRef): void {
    const { predecessor, successors } = this.ring
    if (predecessor?.peer !== from.peer && !successors.some(s => s.peer === from.peer)) return
    this.departed.set(from.peer, this.now() + DEPARTED_MS)
  }

  /** Whether `peer` told this node a moment ago that it leaves the ring. */
  hasLeft (peer: string): boolean {
    return (this.departed.get(peer) ?? -Infinity) > this.now()
  }

  /** The view the decision takes. */
  view (): NeighbourhoodView {
    const { space, self, member, predecessor, successors, replicas } = this.ring
    const now = this.now()
    for (const [peer, until] of this.departed) if (until <= now) this.departed.delete(peer)
    const further = predecessor !== undefined && this.learnedFor === predecessor.peer ? this.further : []
    return {
      space,
      self,
      member,
      predecessors: predecessor === undefined ? [] : [predecessor, ...further],
      successors,
      replicas,
      departed: [...this.departed.keys()]
    }
  }

  /**
   * Asks the predecessors for theirs, back to k+slack places, unless that
   * was done for the current predecessor a moment ago. Resolves with whether
   * anything was learned. One walk at a time.
   */
  private async learnPredecessors (): Promise<boolean> {
    const predecessor = this.ring.predecessor
    if (predecessor === undefined) return false
    if (this.learnedFor === predecessor.peer && this.now() - this.learnedAt < PREDECESSORS_MS) return false
    this.learning ??= this.walk(predecessor).finally(() => { this.learning = undefined })
    return this.learning
  }

  private async walk (predecessor: NodeRef): Promise<boolean> {
    const wanted = this.ring.replicas + NEIGHBOURHOOD_SLACK
    const chain: NodeRef[] = []
    let at = predecessor
    try {
      while (chain.length + 1 < wanted) {
        const next = await this.ring.predecessorOf(at)
        if (next === undefined) break
        chain.push(next)
        // Round the ring back to this node (or a loop): nothing further to learn.
        if (next.peer === this.ring.self.peer || next.peer === predecessor.peer || chain.slice(0, -1).some(n => n.peer === next.peer)) break
        at = next
      }
    } catch {
      // A predecessor that does not answer ends the walk; what was learned stands.
    }
    const changed = this.learnedFor !== predecessor.peer || chain.map(n => n.peer).join() !== this.further.map(n => n.peer).join()
    this.further = chain
    this.learnedFor = predecessor.peer
    this.learnedAt = this.now()
    return changed
  }

  /** Whether this node's ring routes `peer`'s own identifier to it: the ring's word that it is a member. */
  private async isMember (peer: NodeRef): Promise<boolean> {
    const known = this.members.get(peer.peer)
    if (known !== undefined && known.until > this.now()) return known.member
    let member = false
    try {
      member = (await this.ring.lookup(peer.id)).peer === peer.peer
    } catch {}
    this.members.delete(peer.peer)
    if (this.members.size >= REMEMBERED) this.members.delete(this.members.keys().next().value as string)
    this.members.set(peer.peer, { member, until: this.now() + (member ? MEMBER_MS : NOT_MEMBER_MS) })
    return member
  }
}
