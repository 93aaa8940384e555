import { isPeerFailure } from '../errors.js'
import type { ChordTransport } from '../protocol/ports.js'
import type { Liveness } from '../node/liveness.js'
import type { NodeState } from '../node/state.js'
import type { NeighbourState, RouteReply } from '../protocol/messages.js'
import type { RingId } from '../ring/ids.js'
import type { NodeRef } from '../ring/node-ref.js'
import type { Logger } from '@libp2p/interface'

/** What every maintenance step works on. */
export interface MaintenanceContext {
  readonly state: NodeState
  readonly liveness: Liveness
  readonly transport: ChordTransport
  readonly log: Logger
  /** A peer failed as a dead one would. */
  peerFailed (node: NodeRef): void
  /**
   * A successor was dropped as dead (or as no longer a member): the ring
   * may have split here, which its probes will tell (chord/ring-merger.ts).
   */
  successorLost (node: NodeRef): void
  /** A lookup started at this node. */
  lookup (key: RingId): Promise<RouteReply>
  /** `node` reported its neighbours: the arcs they imply are routing hints (ring/owner-cache.ts). */
  heardNeighbours (node: NodeRef, view: NeighbourState): void
  /**
   * On a small ring (RING.meshPeers), the member where this node's
   * knowledge of the ring's arcs stops (OwnerCache.frontier); undefined on
   * a larger ring, or once every arc is known.
   */
  meshFrontier (): NodeRef | undefined
  /** Time allowed for one lookup (ms). */
  readonly lookupBudgetMs: number
}

/**
 * Calls a peer for maintenance: an answer marks it alive, a failure a dead
 * peer would show marks it failed and yields undefined; any other error
 * (the peer answered with one) is thrown.
 */
export async function ask<T> (ctx: MaintenanceContext, node: NodeRef, call: () => Promise<T>): Promise<T | undefined> {
  try {
    const reply = await call()
    ctx.liveness.alive(node.peer)
    return reply
  } catch (err) {
    if (!isPeerFailure(err)) throw err
    ctx.log('%s is unreachable - %s', node.peer, (err as Error).message)
    ctx.peerFailed(node)
    return undefined
  }
}
