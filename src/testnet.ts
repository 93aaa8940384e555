import { generateKeyPair } from '@libp2p/crypto/keys'
import { createPeer, type ChordPeer } from './chord/peer.js'
import type { ChordServiceInit } from './chord/service.js'
import type { PrivateKey } from '@libp2p/interface'

/**
 * Many real peers in one process on loopback TCP, for tests and benchmarks:
 * every peer runs the full stack (TCP, Noise, Yamux) with a fresh identity.
 */

/** Many peers on one host: lift libp2p's per-IP inbound connection limits. */
export const LOCAL_CONNECTION_LIMITS = { inboundConnectionThreshold: 100_000, maxIncomingPendingConnections: 10_000 }

export type RingInit = Omit<ChordServiceInit, 'bootstrap'>

/** Where a test peer listens and who it is (a restart reuses both). */
export interface PeerPlace {
  /** Listen multiaddr; default an ephemeral loopback port. */
  readonly listen?: string
  readonly privateKey?: PrivateKey
  /** The private ring's swarm key file contents; none: an open ring. */
  readonly swarmKey?: Uint8Array
}

/** Starts one peer on loopback (an ephemeral port unless `place` says otherwise), joining through `bootstrap`. */
export async function startPeer (bootstrap: readonly string[], chord: RingInit = {}, place: PeerPlace = {}): Promise<ChordPeer> {
  return createPeer({
    listen: [place.listen ?? '/ip4/127.0.0.1/tcp/0'],
    bootstrap,
    privateKey: place.privateKey ?? await generateKeyPair('Ed25519'),
    swarmKey: place.swarmKey,
    chord,
    connectionManager: LOCAL_CONNECTION_LIMITS
  })
}

/** The first multiaddr of a peer, with its `/p2p/` suffix. */
export function addressOf (peer: ChordPeer): string {
  const addr = peer.getMultiaddrs()[0]
  if (addr === undefined) throw new Error('peer has no address')
  return addr.toString()
}

/** Starts `n` peers: the first founds the ring, the rest join through it; resolves once all joined. */
export async function startRing (n: number, chord: RingInit = {}, joinTimeoutMs = 60_000): Promise<ChordPeer[]> {
  const first = await startPeer([], chord)
  const rest = await Promise.all(Array.from({ length: n - 1 }, async () => startPeer([addressOf(first)], chord)))
  const peers = [first, ...rest]
  const deadline = Date.now() + joinTimeoutMs
  while (!peers.every(p => p.services.chord.joined)) {
    if (Date.now() > deadline) throw new Error(`${peers.filter(p => !p.services.chord.joined).length} peers did not join within ${joinTimeoutMs} ms`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  return peers
}

/** Stops peers, ignoring errors from ones already stopped. */
export async function stopAll (peers: readonly ChordPeer[]): Promise<void> {
  await Promise.all(peers.map(async p => {
    try {
      await p.stop()
    } catch {}
  }))
}
