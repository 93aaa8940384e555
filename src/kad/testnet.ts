import { generateKeyPair } from '@libp2p/crypto/keys'
import { LOCAL_CONNECTION_LIMITS } from '../testnet.js'
import { createKadPeer, type KadPeer, type KadPeerOptions } from './peer.js'

/**
 * Many kad-mode peers in one process on loopback TCP, for tests and
 * benchmarks: every peer runs the full stack (TCP, Noise, Yamux, kad-dht)
 * with a fresh identity, as `src/testnet.ts` does for chord.
 */

export type KadPeerInit = Pick<KadPeerOptions, 'kad' | 'dht' | 'quietConnections'>

/** Starts one kad peer on an ephemeral loopback port, joining through `bootstrap`. */
export async function startKadPeer (bootstrap: readonly string[], init: KadPeerInit = {}): Promise<KadPeer> {
  return createKadPeer({
    listen: ['/ip4/127.0.0.1/tcp/0'],
    bootstrap,
    privateKey: await generateKeyPair('Ed25519'),
    ...init,
    connectionManager: LOCAL_CONNECTION_LIMITS
  })
}

/** The first multiaddr of a peer, with its `/p2p/` suffix. */
export function kadAddressOf (peer: KadPeer): string {
  const addr = peer.getMultiaddrs()[0]
  if (addr === undefined) throw new Error('peer has no address')
  return addr.toString()
}

/**
 * Starts `n` kad peers: the first starts the network, the rest join through
 * it; resolves once every peer has joined (its self-lookup finished).
 */
export async function startKadSwarm (n: number, init: KadPeerInit = {}, joinTimeoutMs = 60_000): Promise<KadPeer[]> {
  const first = await startKadPeer([], init)
  const rest = await Promise.all(Array.from({ length: n - 1 }, async () => startKadPeer([kadAddressOf(first)], init)))
  const peers = [first, ...rest]
  const deadline = Date.now() + joinTimeoutMs
  while (!peers.every(p => p.services.kad.joined)) {
    if (Date.now() > deadline) throw new Error(`${peers.filter(p => !p.services.kad.joined).length} kad peers did not join within ${joinTimeoutMs} ms`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  return peers
}

/** Stops peers, ignoring errors from ones already stopped. */
export async function stopKadPeers (peers: readonly KadPeer[]): Promise<void> {
  await Promise.all(peers.map(async p => {
    try {
      await p.stop()
    } catch {}
  }))
}
