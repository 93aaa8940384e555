import type { PeerId } from '@libp2p/interface'

/** The connections to prune among. */
export interface Connections {
  /** The peers this peer holds connections to. */
  peers (): PeerId[]
  close (peer: PeerId): Promise<void>
}

/** What pruning asks of the ring. */
export interface PruneView {
  /** Peers whose connections are kept (neighbours and fingers). */
  keep (): ReadonlySet<string>
  /** Whether anything was exchanged with `peer` within the last `ms`. */
  seenWithin (peer: string, ms: number): boolean
}

/**
 * Closes connections to peers that are neither neighbours nor fingers and
 * have not exchanged anything for `idleMs`: joins and convergence leave
 * many behind, and each costs memory and keep-alive pings. A peer that
 * needs one again simply dials. Resolves with the peers whose connections
 * were closed; one that fails to close is left for the next round.
 */
export async function pruneIdleConnections (connections: Connections, view: PruneView, idleMs: number): Promise<PeerId[]> {
  const keep = view.keep()
  const idle = connections.peers().filter(peer => !keep.has(peer.toString()) && !view.seenWithin(peer.toString(), idleMs))
  for (const peer of idle) await connections.close(peer).catch(() => {})
  return idle
}
