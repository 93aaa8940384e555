import { FingerTable } from '../ring/finger-table.js'
import { OwnerCache } from '../ring/owner-cache.js'
import { sameNode, type NodeRef } from '../ring/node-ref.js'
import { sameTag, tagWins, type RingTag } from '../ring/ring-tag.js'
import { withoutPeer, type SuccessorList } from '../ring/successor-list.js'
import type { IdSpace } from '../ring/ids.js'
import type { NodeSnapshot } from '../ring/invariants.js'
import type { RoutingView } from '../ring/routing.js'
import type { Liveness } from './liveness.js'

/** Which part of the ring state changed. */
export type StateChange = 'successors' | 'predecessor' | 'ring'

/**
 * The ring state of one node (Zave's per-node state): predecessor, successor
 * list of at most r entries, finger table, whether its join completed, and
 * the tag of the ring it belongs to.
 * Maintenance replaces the successor list whole; listeners hear of every
 * change, which is where data hand-off plugs in.
 */
export class NodeState {
  readonly space: IdSpace
  readonly self: NodeRef
  /** Target successor-list length. */
  readonly r: number
  readonly fingers: FingerTable
  /** Arcs recent routes' owners stated: hints, as fingers are. */
  readonly owners: OwnerCache
  /** Index after the finger fixed last (fix-fingers walks the table). */
  nextFinger = 0
  private pred: NodeRef | undefined
  private succ: readonly NodeRef[] = []
  private wraps = true
  private member = false
  private ringTag: RingTag | undefined
  private readonly listeners: Array<(change: StateChange, previous: NodeRef | undefined) => void> = []

  constructor (space: IdSpace, self: NodeRef, r: number, owners = new OwnerCache(0, 0)) {
    this.space = space
    this.self = self
    this.r = r
    this.fingers = new FingerTable(space, self.id)
    this.owners = owners
  }

  get predecessor (): NodeRef | undefined {
    return this.pred
  }

  /** Successor list, nearest first; empty while this node is alone. */
  get successors (): readonly NodeRef[] {
    return this.succ
  }

  /** The first successor, or this node itself when alone. */
  get successor (): NodeRef {
    return this.succ[0] ?? this.self
  }

  /** Whether this node follows the last entry of its successor list. */
  get successorsWrap (): boolean {
    return this.wraps
  }

  /** Whether the join completed (the node is a ring member). */
  get joined (): boolean {
    return this.member
  }

  /** Makes this node a member: founding a ring (alone) or after joining one. */
  markJoined (): void {
    this.member = true
  }

  /** The tag of the ring this node belongs to; undefined before it founded or joined one. */
  get tag (): RingTag | undefined {
    return this.ringTag
  }

  /** Sets the ring tag (founding, joining, or raising it on a split). */
  setTag (tag: RingTag): void {
    if (sameTag(tag, this.ringTag)) return
    this.ringTag = tag
    this.emit('ring', undefined)
  }

  /** Takes `tag` if it wins over this node's own; returns whether it did. */
  adoptTag (tag: RingTag | undefined): boolean {
    if (tag === undefined || (this.ringTag !== undefined && !tagWins(tag, this.ringTag))) return false
    this.setTag(tag)
    return true
  }

  setSuccessors (list: SuccessorList): void {
    const changed = list.wraps !== this.wraps ||
      list.successors.length !== this.succ.length ||
      list.successors.some((s, i) => s.peer !== this.succ[i]?.peer)
    this.succ = list.successors
    this.wraps = list.wraps
    if (changed) this.emit('successors', undefined)
  }

  /** Drops a successor found dead; the rest shift up (an empty list means alone). */
  dropSuccessor (peer: string): void {
    if (!this.succ.some(s => s.peer === peer)) return
    this.succ = withoutPeer(this.succ, peer)
    if (this.succ.length === 0) this.wraps = true
    this.emit('successors', undefined)
  }

  setPredecessor (node: NodeRef): void {
    if (sameNode(node, this.pred) || node.peer === this.self.peer) return
    const previous = this.pred
    this.pred = node
    this.emit('predecessor', previous)
  }

  /** Calls `listener` on every change; for a new predecessor, with the one it replaced. */
  onChange (listener: (change: StateChange, previous: NodeRef | undefined) => void): void {
    this.listeners.push(listener)
  }

  /** The view the routing decision needs, with liveness folded in; `ownerHint` as {@link RoutingView} says. */
  routingView (liveness: Liveness, ownerHint?: NodeRef): RoutingView {
    return {
      ownerHint,
      space: this.space,
      self: this.self,
      predecessor: this.pred,
      predecessorLive: this.pred !== undefined && !liveness.isSuspect(this.pred.peer),
      successors: this.succ,
      successorsWrap: this.wraps,
      fingers: this.fingers.distinct()
    }
  }

  /** This node's entry in an invariant-checker snapshot. */
  snapshot (alive: boolean): NodeSnapshot {
    return {
      id: this.self.id,
      alive,
      member: this.member,
      successors: this.succ.map(s => s.peer),
      predecessor: this.pred?.peer
    }
  }

  private emit (change: StateChange, previous: NodeRef | undefined): void {
    for (const listener of this.listeners) listener(change, previous)
  }
}
