import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p, type Libp2p } from 'libp2p'
import { chord, type ChordService, type ChordServiceInit } from './service.js'
import { stackOptions, type StackOptions } from '../stack.js'
import type { Identify } from '@libp2p/identify'
import type { Ping } from '@libp2p/ping'

export interface PeerOptions extends StackOptions {
  readonly chord?: Omit<ChordServiceInit, 'bootstrap'>
}

export type PeerServices = {
  chord: ChordService
  identify: Identify
  ping: Ping
}

export type ChordPeer = Libp2p<PeerServices>

/**
 * A libp2p node with chordkv's stack: TCP, Noise, Yamux, identify, ping and
 * the Chord service. Once started it joins the ring in the background.
 */
export async function createPeer (options: PeerOptions): Promise<ChordPeer> {
  return createLibp2p<PeerServices>({
    ...await stackOptions(options, true),
    services: {
      identify: identify(),
      ping: ping(),
      chord: chord({ ...options.chord, bootstrap: (options.bootstrap ?? []).map(a => multiaddr(a)) })
    }
  })
}
