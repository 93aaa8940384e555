import { identify } from '@libp2p/identify'
import { kadDHT, passthroughMapper, type KadDHTComponents, type KadDHTInit, type SingleKadDHT } from '@libp2p/kad-dht'
import { ping } from '@libp2p/ping'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p, type Libp2p } from 'libp2p'
import { KAD_PROTOCOL, KAD_STREAM_LIMIT } from './constants.js'
import { KAD_NAMESPACE } from './keys.js'
import { chordkvSelector, chordkvValidator } from './record.js'
import { kadStore, type KadService, type KadServiceInit } from './service.js'
import { stackOptions, type StackOptions } from '../stack.js'
import { DEFAULT_LIMITS, type Limits } from '../limits.js'
import type { Identify } from '@libp2p/identify'
import type { Ping } from '@libp2p/ping'
import type { Datastore } from 'interface-datastore'

export interface KadPeerOptions extends StackOptions {
  readonly kad?: Omit<KadServiceInit, 'bootstrap'>
  /** kad-dht settings that override {@link kadDhtInit}'s (for measurements; the defaults are what chordkv runs). */
  readonly dht?: Partial<KadDHTInit>
  /** Where libp2p keeps DHT records and its peer store; in memory if absent. */
  readonly datastore?: Datastore
  /**
   * Use chord's keep-alive settings (`QUIET_CONNECTIONS` in `../stack.ts`) instead of
   * libp2p's defaults, which kad mode keeps (for measurements).
   */
  readonly quietConnections?: boolean
}

export type KadPeerServices = {
  identify: Identify
  ping: Ping
  dht: SingleKadDHT
  kad: KadService
}

export type KadPeer = Libp2p<KadPeerServices>

/**
 * kad-dht as chordkv runs it, and why:
 * - its own protocol, so chordkv peers form a private DHT (see {@link KAD_PROTOCOL});
 * - `clientMode: false`: every peer answers DHT queries. kad-dht otherwise
 *   stays a client until it sees a public address, which a peer on a LAN, in
 *   a container or on loopback never has;
 * - `peerInfoMapper: passthroughMapper`: keep private and loopback addresses.
 *   The default mapper drops them, so on such networks no peer ever enters a
 *   routing table and every query finds nobody;
 * - a validator and a selector for the `/chordkv/` namespace (`record.ts`);
 * - `allowQueryWithZeroPeers`: the first peer of a network (or a lone one)
 *   answers at once from its own store instead of waiting for a peer;
 * - more streams per connection than kad-dht's 32 in / 64 out (see
 *   {@link KAD_STREAM_LIMIT}), with operations capped per peer to match.
 * Everything else keeps kad-dht's defaults: k = 20, alpha = 10, 10 disjoint paths.
 */
export function kadDhtInit (limits: Limits): KadDHTInit {
  return {
    protocol: KAD_PROTOCOL,
    clientMode: false,
    peerInfoMapper: passthroughMapper,
    allowQueryWithZeroPeers: true,
    maxInboundStreams: KAD_STREAM_LIMIT,
    maxOutboundStreams: KAD_STREAM_LIMIT,
    validators: { [KAD_NAMESPACE]: chordkvValidator(limits) },
    selectors: { [KAD_NAMESPACE]: chordkvSelector },
    logPrefix: 'chordkv:kad-dht'
  }
}

/**
 * A libp2p node with chordkv's kad stack: TCP, Noise, Yamux, identify,
 * ping, kad-dht and the key/value service on top of it. Once started it
 * joins through its bootstrap peers in the background.
 */
export async function createKadPeer (options: KadPeerOptions): Promise<KadPeer> {
  const limits = options.kad?.limits ?? DEFAULT_LIMITS
  return createLibp2p<KadPeerServices>({
    ...await stackOptions(options, options.quietConnections === true),
    datastore: options.datastore,
    services: {
      identify: identify(),
      ping: ping(),
      dht: kadDHT({ ...kadDhtInit(limits), ...options.dht }) as (components: KadDHTComponents) => SingleKadDHT,
      kad: kadStore({ ...options.kad, limits, bootstrap: (options.bootstrap ?? []).map(a => multiaddr(a)) })
    }
  })
}
