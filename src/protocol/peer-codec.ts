import type * as pb from './chord.js'
import type { NodeRef } from '../ring/node-ref.js'

/**
 * Maps peers to and from their wire form. The network layer implements it
 * (`network/peer-directory.ts`), since it keeps the addresses peers
 * advertise; every conversion that carries a peer takes one.
 */
export interface PeerCodec {
  /** A peer with addresses (its addresses are remembered for dialling). */
  decodePeer (peer: pb.Peer | undefined, field: string): NodeRef
  /** A bare peer ID, as in a route's path. */
  decodePeerId (bytes: Uint8Array, field: string): NodeRef
  encodePeer (node: NodeRef): pb.Peer
  encodePeerId (peer: string): Uint8Array<ArrayBuffer>
}
