import { estimateRingSize } from '../ring/size-estimate.js'
import type { Clock } from '../node/clock.js'
import type { Liveness } from '../node/liveness.js'
import type { NodeState } from '../node/state.js'
import type { NeighbourState, RouteReply } from '../protocol/messages.js'
import type { ChordTransport } from '../protocol/ports.js'
import type { RingId } from '../ring/ids.js'
import type { NodeRef } from '../ring/node-ref.js'

export interface OwnerHintsComponents {
  /** Its owner cache (state.owners) is what this fills and reads. */
  readonly state: NodeState
  readonly liveness: Liveness
  readonly transport: ChordTransport
  readonly clock: Clock
}

export interface OwnerHintsInit {
  /** Rings up to this size, as a node estimates it, are small. @default RING.meshPeers */
  readonly meshPeers: number
}

/**
 * A node's use of the owner cache (ring/owner-cache.ts): what it learns
 * from routes' replies and members' states, the owner it hints to routing
 * for a key, and on a small ring (RING.meshPeers) a connection to every
 * member and the point where fix-fingers walks on to learn the rest.
 */
export class OwnerHints {
  private readonly components: OwnerHintsComponents
  private readonly init: OwnerHintsInit

  constructor (components: OwnerHintsComponents, init: OwnerHintsInit) {
    this.components = components
    this.init = init
  }

  /**
   * The owner the cache names for `key`, if it is another peer, not
   * suspected, and reachable on an open stream. On a small ring one that is
   * not is dialled for the next request.
   */
  hint (key: RingId): NodeRef | undefined {
    const { state, liveness, transport, clock } = this.components
    const owner = state.owners.ownerOf(key, clock.now())
    if (owner === undefined || owner.peer === state.self.peer || liveness.isSuspect(owner.peer)) return undefined
    return transport.reachable?.(owner, this.isSmallRing()) === true ? owner : undefined
  }

  /**
   * Whether the ring is small: its size as this node's successor list
   * estimates it, and the arcs it knows, are at most meshPeers. A larger
   * ring estimated small stops walking once it knows more arcs.
   */
  isSmallRing (): boolean {
    const { space, self, successors, successorsWrap, owners } = this.components.state
    return owners.size <= this.init.meshPeers && estimateRingSize(space, self, successors, successorsWrap) <= this.init.meshPeers
  }

  /** A route's reply states the arc its owner held. */
  routed (reply: RouteReply): void {
    this.components.state.owners.learn(reply.ownerPredecessor?.id, reply.owner, this.components.clock.now())
  }

  /**
   * A member's state names its neighbours: their arcs feed the owner cache.
   * On a small ring each of them also gets a connection and data stream now,
   * at maintenance time, so that lookups find them open.
   */
  heard (node: NodeRef, view: NeighbourState): void {
    const { state, liveness, transport, clock } = this.components
    state.owners.learnNeighbours(node, view.predecessor, view.successors, clock.now())
    if (transport.reachable === undefined || !this.isSmallRing()) return
    for (const member of [node, ...view.successors]) {
      if (member.peer !== state.self.peer && !liveness.isSuspect(member.peer)) transport.reachable(member, true)
    }
  }

  /** On a small ring, where this node's knowledge of the arcs stops (its own neighbours' arcs learned first). */
  frontier (): NodeRef | undefined {
    if (!this.isSmallRing()) return undefined
    const { owners, self, predecessor, successors } = this.components.state
    const now = this.components.clock.now()
    owners.learnNeighbours(self, predecessor, successors, now)
    return owners.frontier(self, now)
  }
}
