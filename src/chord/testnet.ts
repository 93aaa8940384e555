import { generateKeyPair } from '@libp2p/crypto/keys'
import { LOCAL_CONNECTION_LIMITS, startNetwork, type TestOverlay } from '../testnet.js'
import { createPeer, type ChordPeer } from './peer.js'
import type { ChordServiceInit } from './settings.js'
import type { PrivateKey } from '@libp2p/interface'

export { addressOf, LOCAL_CONNECTION_LIMITS, stopAll } from '../testnet.js'

export type RingInit = Omit<ChordServiceInit, 'bootstrap'>

/** Where a test peer listens and who it is (a restart reuses both). */
export interface PeerPlace {
  /** Listen multiaddr; default an ephemeral loopback port. */
  readonly listen?: string
  readonly privateKey?: PrivateKey
  /** The private ring's swarm key file contents; none: an open ring. */
  readonly swarmKey?: Uint8Array
  /** Start at once (default), or leave it to the caller (to listen for its events first). */
  readonly start?: boolean
}

/** Starts one chord peer on loopback (an ephemeral port unless `place` says otherwise), joining through `bootstrap`. */
export async function startPeer (bootstrap: readonly string[], chord: RingInit = {}, place: PeerPlace = {}): Promise<ChordPeer> {
  return createPeer({
    listen: [place.listen ?? '/ip4/127.0.0.1/tcp/0'],
    bootstrap,
    privateKey: place.privateKey ?? await generateKeyPair('Ed25519'),
    swarmKey: place.swarmKey,
    start: place.start,
    chord,
    connectionManager: LOCAL_CONNECTION_LIMITS
  })
}

/** Chord peers for the testnet (../testnet.ts). */
export const chordTestnet: TestOverlay<ChordPeer, RingInit> = {
  peers: 'peers',
  start: async (bootstrap, init) => startPeer(bootstrap, init),
  joined: peer => peer.services.chord.joined
}

/** Starts a ring of `n` chord peers; resolves once all joined. */
export async function startRing (n: number, chord: RingInit = {}, joinTimeoutMs = 60_000): Promise<ChordPeer[]> {
  return startNetwork(chordTestnet, n, chord, joinTimeoutMs)
}
