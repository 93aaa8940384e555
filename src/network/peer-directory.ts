import { peerIdFromMultihash, peerIdFromString } from '@libp2p/peer-id'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import * as Digest from 'multiformats/hashes/digest'
import { equals } from 'multiformats/bytes'
import { BadRequestError } from '../errors.js'
import { ringIdOfPeer } from '../ring/hash.js'
import type { PeerCodec } from '../protocol/peer-codec.js'
import type { Peer } from '../protocol/chord.js'
import type { NodeRef } from '../ring/node-ref.js'
import type { PeerId } from '@libp2p/interface'

/** The `/p2p/<peer id>` multiaddr component: addresses on the wire go without it. */
const P2P_CODE = 421

/** How long our own address list is reused before asking libp2p again (ms). */
const ADDRESS_CACHE_MS = 5000

interface Entry {
  readonly node: NodeRef
  readonly peerId: PeerId
  readonly idBytes: Uint8Array<ArrayBuffer>
  addrs: Multiaddr[]
}

/**
 * Every peer this node has heard of: its ring identifier (computed once), its
 * libp2p peer ID and the addresses others advertised for it. It is the
 * {@link PeerCodec} the protocol codec uses, and the address book dialling
 * uses. Bounded: the oldest entries are forgotten first.
 */
export class PeerDirectory implements PeerCodec {
  private readonly byPeer = new Map<string, Entry>()
  private readonly byBytes = new Map<string, Entry>()
  private readonly selfEntry: Entry
  private readonly selfAddrs: () => Multiaddr[]
  private readonly capacity: number
  /** Monotonic milliseconds (the peer's clock). */
  private readonly now: () => number
  /** Our own addresses, computed once per {@link ADDRESS_CACHE_MS} (every reply we own carries them). */
  private ownCache: { addrs: Multiaddr[], at: number } | undefined

  constructor (self: PeerId, selfAddrs: () => Multiaddr[], now: () => number, capacity = 10_000) {
    this.selfAddrs = selfAddrs
    this.now = now
    this.capacity = capacity
    this.selfEntry = this.add(self)
  }

  /** This node. */
  get self (): NodeRef {
    return this.selfEntry.node
  }

  /** The ring reference of a libp2p peer (for example one that opened a connection). */
  nodeOf (peerId: PeerId): NodeRef {
    return (this.byPeer.get(peerId.toString()) ?? this.add(peerId)).node
  }

  /** The libp2p peer ID of a node. */
  peerIdOf (node: NodeRef): PeerId {
    return this.entry(node.peer).peerId
  }

  /** Records where a peer can be dialled (from a remembered member or a bootstrap entry); returns its node. */
  learn (peer: PeerId | string, addrs: readonly Multiaddr[]): NodeRef {
    const entry = typeof peer === 'string' ? this.entry(peer) : (this.byPeer.get(peer.toString()) ?? this.add(peer))
    const bare = addrs.map(a => (a.getComponents().some(c => c.code === P2P_CODE) ? a.decapsulateCode(P2P_CODE) : a))
    if (bare.length > 0 && entry !== this.selfEntry) entry.addrs = bare
    return entry.node
  }

  /** The addresses last advertised for a node (without `/p2p/`). */
  addressesOf (node: NodeRef): Multiaddr[] {
    return node.peer === this.self.peer ? this.ownAddrs() : this.entry(node.peer).addrs
  }

  decodePeer (peer: Peer | undefined, field: string): NodeRef {
    if (peer === undefined) throw new BadRequestError(`${field} is missing`)
    const node = this.decodePeerId(peer.id, `${field}.id`)
    const entry = this.entry(node.peer)
    // Most peers a state names come with the addresses held for them, which
    // were checked when first parsed: parsing them again was the largest
    // share of what a resting peer allocated.
    if (sameBytes(entry.addrs, peer.addrs)) return node
    const addrs: Multiaddr[] = []
    for (const bytes of peer.addrs) {
      try {
        addrs.push(multiaddr(bytes))
      } catch {
        throw new BadRequestError(`${field}.addrs holds an invalid multiaddr`)
      }
    }
    if (addrs.length > 0 && entry !== this.selfEntry) entry.addrs = addrs
    return node
  }

  decodePeerId (bytes: Uint8Array, field: string): NodeRef {
    const key = Buffer.from(bytes).toString('latin1')
    const known = this.byBytes.get(key)
    if (known !== undefined) return known.node
    let peerId: PeerId
    try {
      peerId = peerIdFromMultihash(Digest.decode(bytes))
    } catch {
      throw new BadRequestError(`${field} is not a valid peer ID`)
    }
    return this.nodeOf(peerId)
  }

  encodePeer (node: NodeRef): Peer {
    const entry = this.entry(node.peer)
    return { id: entry.idBytes, addrs: this.addressesOf(node).map(a => a.bytes) }
  }

  encodePeerId (peer: string): Uint8Array<ArrayBuffer> {
    return this.entry(peer).idBytes
  }

  private ownAddrs (): Multiaddr[] {
    const now = this.now()
    if (this.ownCache === undefined || now - this.ownCache.at > ADDRESS_CACHE_MS) {
      const addrs = this.selfAddrs().map(a => (a.getComponents().some(c => c.code === P2P_CODE) ? a.decapsulateCode(P2P_CODE) : a))
      this.ownCache = { addrs, at: now }
    }
    return this.ownCache.addrs
  }

  /** Forgets the cached own addresses (they changed). */
  ownAddressesChanged (): void {
    this.ownCache = undefined
  }

  private entry (peer: string): Entry {
    return this.byPeer.get(peer) ?? this.add(peerIdFromString(peer))
  }

  private add (peerId: PeerId): Entry {
    const idBytes = new Uint8Array(peerId.toMultihash().bytes)
    const entry: Entry = { node: { id: ringIdOfPeer(idBytes), peer: peerId.toString() }, peerId, idBytes, addrs: [] }
    if (this.byPeer.size >= this.capacity) this.evictOldest()
    this.byPeer.set(entry.node.peer, entry)
    this.byBytes.set(Buffer.from(idBytes).toString('latin1'), entry)
    return entry
  }

  private evictOldest (): void {
    for (const [peer, entry] of this.byPeer) {
      if (entry === this.selfEntry) continue
      this.byPeer.delete(peer)
      this.byBytes.delete(Buffer.from(entry.idBytes).toString('latin1'))
      return
    }
  }
}

/** Whether `held` are these addresses, byte for byte and in order (none held is never the same). */
function sameBytes (held: readonly Multiaddr[], addrs: readonly Uint8Array[]): boolean {
  return held.length > 0 && held.length === addrs.length && held.every((a, i) => equals(a.bytes, addrs[i] as Uint8Array))
}
