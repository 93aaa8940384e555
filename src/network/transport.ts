import type { NeighbourState, RouteReply, RouteRequest } from '../protocol/messages.js'
import type { NodeRef } from '../ring/node-ref.js'

/**
 * How the ring reaches other nodes: the only network surface the Chord logic
 * sees (the paper's remote procedure calls). The libp2p implementation is
 * {@link Libp2pTransport}; tests also run the logic over simulated networks.
 *
 * Every call rejects with UnreachableError or RequestTimeoutError when the
 * peer should be treated as dead, and with RemoteError when it answered with
 * an error.
 */
export interface ChordTransport {
  ping (to: NodeRef): Promise<void>
  getState (to: NodeRef): Promise<NeighbourState>
  /** Tells `to` that this node may be its predecessor. */
  notify (to: NodeRef): Promise<void>
  /** Hints to `to` that this node's neighbours changed: it should stabilize now. */
  changed (to: NodeRef): Promise<void>
  /**
   * Forwards a routed request to the next hop. `onAccepted` runs when the hop
   * confirms it took the request and forwarded it on.
   */
  route (to: NodeRef, request: RouteRequest, onAccepted?: () => void): Promise<RouteReply>
}

/** What a node serves to its peers: the handlers behind the protocol. */
export interface ChordHandlers {
  /** Any request from a peer shows that it is alive. */
  seen (from: NodeRef): void
  getState (from: NodeRef): NeighbourState
  notify (from: NodeRef): Promise<void>
  changed (from: NodeRef): void
  /** Serves one hop of a routed request; `accept` sends the interim reply before forwarding. */
  route (request: RouteRequest, from: NodeRef, accept: () => void): Promise<RouteReply>
}
