import type { PeerId } from '@libp2p/interface'

/** A connection as pruning sees it (libp2p's Connection is one). */
export interface PrunableConnection {
  readonly remotePeer: PeerId
  /** Which side dialled: `outbound`, this peer. */
  readonly direction: 'inbound' | 'outbound'
  close (): Promise<void>
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
 * many behind, and each costs memory. A peer that needs one again simply
 * dials. Only the side that dialled a connection prunes it: the far side
 * cannot see that the dialler keeps it as a neighbour or finger, and
 * closing it there only made the dialler dial again (a Noise handshake on
 * both sides) the next time it used it. Resolves with the peers whose
 * connections were closed; one that fails to close is left for the next
 * round.
 */
export async function pruneIdleConnections (connections: readonly PrunableConnection[], view: PruneView, idleMs: number): Promise<PeerId[]> {
  const keep = view.keep()
  const idle = new Map<string, { peer: PeerId, connections: PrunableConnection[] }>()
  for (const connection of connections) {
    const peer = connection.remotePeer.toString()
    if (connection.direction !== 'outbound' || keep.has(peer)) continue
    const entry = idle.get(peer) ?? { peer: connection.remotePeer, connections: [] }
    entry.connections.push(connection)
    idle.set(peer, entry)
  }
  const closed: PeerId[] = []
  for (const [peer, entry] of idle) {
    if (view.seenWithin(peer, idleMs)) continue
    await Promise.all(entry.connections.map(async c => c.close().catch(() => {})))
    closed.push(entry.peer)
  }
  return closed
}
