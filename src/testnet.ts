import type { Libp2p } from '@libp2p/interface'

/**
 * Many real peers of one overlay in one process on loopback TCP, for tests
 * and benchmarks: every peer runs the full stack (TCP, Noise, Yamux) with a
 * fresh identity. Each overlay says how to start one of its peers and when
 * it has joined (chord/testnet.ts, kad/testnet.ts).
 */

/** Many peers on one host: lift libp2p's per-IP inbound connection limits. */
export const LOCAL_CONNECTION_LIMITS = { inboundConnectionThreshold: 100_000, maxIncomingPendingConnections: 10_000 }

/** How a testnet starts peers of one overlay. */
export interface TestOverlay<P extends Libp2p, I> {
  /** What its peers are called in messages ("peers", "kad peers"). */
  readonly peers: string
  /** Starts one peer on an ephemeral loopback port, joining through `bootstrap`. */
  start (bootstrap: readonly string[], init: I): Promise<P>
  /** Whether the peer has joined its ring or network. */
  joined (peer: P): boolean
}

/** Starts `n` peers: the first founds the ring or network, the rest join through it; resolves once all joined. */
export async function startNetwork<P extends Libp2p, I> (overlay: TestOverlay<P, I>, n: number, init: I, joinTimeoutMs = 60_000): Promise<P[]> {
  const first = await overlay.start([], init)
  const rest = await Promise.all(Array.from({ length: n - 1 }, async () => overlay.start([addressOf(first)], init)))
  const peers = [first, ...rest]
  const deadline = Date.now() + joinTimeoutMs
  while (!peers.every(p => overlay.joined(p))) {
    if (Date.now() > deadline) throw new Error(`${peers.filter(p => !overlay.joined(p)).length} ${overlay.peers} did not join within ${joinTimeoutMs} ms`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  return peers
}

/** The first multiaddr of a peer, with its `/p2p/` suffix. */
export function addressOf (peer: Libp2p): string {
  const addr = peer.getMultiaddrs()[0]
  if (addr === undefined) throw new Error('peer has no address')
  return addr.toString()
}

/** Stops peers, ignoring errors from ones already stopped. */
export async function stopAll (peers: readonly Libp2p[]): Promise<void> {
  await Promise.all(peers.map(async p => {
    try {
      await p.stop()
    } catch {}
  }))
}
