import { generateKeyPair } from '@libp2p/crypto/keys'
import { addressOf, LOCAL_CONNECTION_LIMITS, startNetwork, stopAll, type TestOverlay } from '../testnet.js'
import { createKadPeer, type KadPeer, type KadPeerOptions } from './peer.js'

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

/** Kad peers for the testnet (../testnet.ts); a peer has joined once its self-lookup finished. */
export const kadTestnet: TestOverlay<KadPeer, KadPeerInit> = {
  peers: 'kad peers',
  start: startKadPeer,
  joined: peer => peer.services.kad.joined
}

/** Starts `n` kad peers; resolves once all joined. */
export async function startKadSwarm (n: number, init: KadPeerInit = {}, joinTimeoutMs = 60_000): Promise<KadPeer[]> {
  return startNetwork(kadTestnet, n, init, joinTimeoutMs)
}

/** The first multiaddr of a kad peer. */
export const kadAddressOf = addressOf
/** Stops kad peers, ignoring errors from ones already stopped. */
export const stopKadPeers = stopAll
