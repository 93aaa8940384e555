import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p, type Libp2p } from 'libp2p'
import { chord, type ChordService, type ChordServiceInit } from './service.js'
import type { Identify } from '@libp2p/identify'
import type { PrivateKey } from '@libp2p/interface'
import type { Ping } from '@libp2p/ping'
import type { ConnectionManagerInit } from 'libp2p'

export interface PeerOptions {
  /** Multiaddrs to listen on, e.g. `/ip4/0.0.0.0/tcp/4001`. */
  readonly listen: readonly string[]
  /** Multiaddrs to advertise instead of the listen addresses (containers, NAT). */
  readonly announce?: readonly string[]
  /** Ring members to join through; none founds a new ring. */
  readonly bootstrap?: readonly string[]
  readonly privateKey: PrivateKey
  readonly chord?: Omit<ChordServiceInit, 'bootstrap'>
  readonly connectionManager?: ConnectionManagerInit
  /** Start at once (default), or leave it to the caller after wiring event listeners. */
  readonly start?: boolean
}

export type PeerServices = {
  chord: ChordService
  identify: Identify
  ping: Ping
}

export type ChordPeer = Libp2p<PeerServices>

/**
 * How chord peers keep connections alive. Yamux's own keep-alive (a ping per
 * connection end every 30 s) was most of an idle peer's CPU, and libp2p's
 * connection monitor pings every connection every 10 s over a new stream;
 * the Chord protocol checks ring neighbours itself, so one monitor ping a
 * minute is enough to catch dead connections to other peers.
 */
export const QUIET_CONNECTIONS = {
  yamux: { enableKeepAlive: false },
  connectionMonitor: { pingInterval: 60_000 }
} as const

/**
 * A libp2p node with chordkv's stack: TCP, Noise, Yamux, identify, ping and
 * the Chord service. Once started it joins the ring in the background.
 */
export async function createPeer (options: PeerOptions): Promise<ChordPeer> {
  return createLibp2p<PeerServices>({
    privateKey: options.privateKey,
    addresses: {
      listen: [...options.listen],
      announce: options.announce === undefined ? undefined : [...options.announce]
    },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux(QUIET_CONNECTIONS.yamux)],
    connectionManager: options.connectionManager,
    connectionMonitor: QUIET_CONNECTIONS.connectionMonitor,
    start: options.start,
    services: {
      identify: identify(),
      ping: ping(),
      chord: chord({ ...options.chord, bootstrap: (options.bootstrap ?? []).map(a => multiaddr(a)) })
    }
  })
}
