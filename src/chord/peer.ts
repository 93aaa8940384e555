import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p, type Libp2p } from 'libp2p'
import { chord, type ChordService, type ChordServiceInit } from './service.js'
import { stackOptions, type StackOptions } from '../stack.js'

export interface PeerOptions extends StackOptions {
  readonly chord?: Omit<ChordServiceInit, 'bootstrap'>
}

export type PeerServices = {
  chord: ChordService
}

export type ChordPeer = Libp2p<PeerServices>

/**
 * A libp2p node with chordkv's stack: TCP, Noise, Yamux and the Chord
 * service. Once started it joins the ring in the background. No identify:
 * the Chord protocol carries every address a peer needs, and identify's
 * exchange on each new connection (a signed peer record made, sent and
 * checked both ways, and the peer store written) was 7–9 % of a forming
 * ring's CPU (bench:scale, N = 300, profiled); nor ping, which only
 * libp2p's connection monitor used (it is off, stack.ts).
 */
export async function createPeer (options: PeerOptions): Promise<ChordPeer> {
  return createLibp2p<PeerServices>({
    ...await stackOptions(options, true),
    services: {
      chord: chord({ ...options.chord, bootstrap: (options.bootstrap ?? []).map(a => multiaddr(a)) })
    }
  })
}
