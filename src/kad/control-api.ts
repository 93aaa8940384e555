import { createHash } from 'node:crypto'
import { NotSupportedError } from '../errors.js'
import { VERSION } from '../version.js'
import type { ControlApi, Leaving } from '../control/api.js'
import type { KadPeer } from './peer.js'

/**
 * The control API of a peer running the kad overlay (@libp2p/kad-dht).
 * Answers differ from chord's where the overlays differ:
 * - put answers `replicas`: the peers that stored the record, this one
 *   (which always keeps a copy) and the others that acknowledged it;
 *   A put with `ttlMs` answers NOT_SUPPORTED (kad-dht fixes lifetimes);
 * - lookup answers the peers closest to the key (where a put stores it) and
 *   how many peers the walk queried, instead of an owner and a route;
 * - status answers the routing-table size instead of ring neighbours;
 * - del answers NOT_SUPPORTED: kad-dht has no delete, and a record stays on
 *   the peers holding it until it expires there (48 hours after it was last
 *   stored).
 */
export function kadControlApi (peer: KadPeer, leave: () => Leaving): ControlApi {
  const kad = peer.services.kad
  return {
    async put (key, value, ttlMs) {
      if (ttlMs !== undefined) throw new NotSupportedError('ttlMs is not supported by the kad overlay: kad-dht sets every record\'s lifetime itself (48 hours after it was last stored)')
      const { replicas } = await kad.put(key, value)
      return { replicas: replicas + 1 }
    },
    async get (key) {
      return (await kad.get(key)).record?.value
    },
    async watch () {
      throw new NotSupportedError('watch is not supported by the kad overlay: kad-dht tells no one of a record\'s changes')
    },
    async del () {
      throw new NotSupportedError('del is not supported by the kad overlay: kad-dht cannot delete a record (it expires 48 hours after it was last stored); overwrite the key with put instead')
    },
    async lookup (key) {
      const { kadKey, closest, queried, messages } = await kad.lookup(key)
      return {
        kadKey,
        kadId: createHash('sha256').update(kadKey).digest('hex'),
        closest,
        queried,
        messages
      }
    },
    async ring () {
      throw new NotSupportedError('the kad overlay has no ring to walk; "chordkv status" shows its routing table')
    },
    async status () {
      return {
        overlay: 'kad',
        version: VERSION,
        peerId: peer.peerId.toString(),
        kadId: createHash('sha256').update(peer.peerId.toMultihash().bytes).digest('hex'),
        addrs: peer.getMultiaddrs().map(a => a.toString()),
        state: kad.joined ? 'joined' : 'joining',
        mode: peer.services.dht.getMode(),
        routingTable: kad.routingTableSize,
        connections: peer.getConnections().length,
        keys: await kad.storedRecords()
      }
    },
    async health () {
      const state = kad.joined ? 'joined' : 'joining'
      return { healthy: kad.joined, state, reasons: kad.joined ? [] : ['the peer has not joined a network yet'] }
    },
    leave
  }
}
