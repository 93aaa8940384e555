import { sha256 } from '@noble/hashes/sha2.js'
import { idFromBytes, type RingId } from './ids.js'

/**
 * SHA-256 of a byte string as a 256-bit ring identifier (a pure-JS hash:
 * the ring does no I/O and needs nothing of Node).
 *
 * libp2p's Kademlia places peers and keys the same way (SHA-256 of the peer
 * ID's multihash bytes, SHA-256 of the key bytes). chordkv's kad mode stores
 * a user key under the namespaced DHT key `/chordkv/<base32>`, so there the
 * same user key sits at another point (docs/overlays.md).
 */
export function sha256Id (bytes: Uint8Array): RingId {
  return idFromBytes(sha256(bytes))
}

/** Ring identifier of a peer: SHA-256 of its peer ID's multihash bytes. */
export function ringIdOfPeer (peerIdBytes: Uint8Array): RingId {
  return sha256Id(peerIdBytes)
}

/** Ring identifier of a key: SHA-256 of the key bytes. */
export function ringIdOfKey (key: Uint8Array): RingId {
  return sha256Id(key)
}
