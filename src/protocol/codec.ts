import { BadRequestError, ChordError } from '../errors.js'
import { idFromBytes, idToBytes, SHA256_SPACE } from '../ring/ids.js'
import * as pb from './chord.js'
import { ID_BYTES, MAX_PATH } from './constants.js'
import type { NeighbourState, RouteReply, RouteRequest } from './messages.js'
import type { NodeRef } from '../ring/node-ref.js'
import type { Claim } from '../ring/routing.js'

/**
 * Converts between the protobuf wire form and chordkv's own types, checking
 * everything a remote peer could get wrong. Decoding failures throw
 * {@link BadRequestError} with a message naming the field.
 */

/** Maps peers to and from their wire form; the network layer keeps their addresses. */
export interface PeerCodec {
  /** A peer with addresses (its addresses are remembered for dialling). */
  decodePeer (peer: pb.Peer | undefined, field: string): NodeRef
  /** A bare peer ID, as in a route's path. */
  decodePeerId (bytes: Uint8Array, field: string): NodeRef
  encodePeer (node: NodeRef): pb.Peer
  encodePeerId (peer: string): Uint8Array<ArrayBuffer>
}

/** Protobuf decode limits for repeated fields, so a hostile frame cannot balloon. */
export const REQUEST_LIMITS = {
  notify: { node: { addrs: 32 } },
  route: { path: MAX_PATH }
}
export const RESPONSE_LIMITS = {
  state: { successors: 64, predecessor: { addrs: 32 }, successors$: { addrs: 32 } },
  route: { path: MAX_PATH, owner: { addrs: 32 } }
}

export function encodeNeighbourState (codec: PeerCodec, state: NeighbourState): pb.GetStateResponse {
  return {
    predecessor: state.predecessor === undefined ? undefined : codec.encodePeer(state.predecessor),
    successors: state.successors.map(s => codec.encodePeer(s))
  }
}

export function decodeNeighbourState (codec: PeerCodec, state: pb.GetStateResponse | undefined): NeighbourState {
  if (state === undefined) throw new BadRequestError('get-state reply has no state')
  return {
    predecessor: state.predecessor === undefined ? undefined : codec.decodePeer(state.predecessor, 'predecessor'),
    successors: state.successors.map((s, i) => codec.decodePeer(s, `successors[${i}]`))
  }
}

export function encodeRouteRequest (codec: PeerCodec, req: RouteRequest): pb.RouteRequest {
  const claim = req.claim
  return {
    key: idToBytes(SHA256_SPACE, req.key),
    path: req.path.map(p => codec.encodePeerId(p)),
    claim: claim === undefined ? pb.Claim.NONE : claim.kind === 'successor' ? pb.Claim.SUCCESSOR : pb.Claim.DEAD_THROUGH,
    deadThrough: claim?.kind === 'deadThrough' ? idToBytes(SHA256_SPACE, claim.id) : new Uint8Array(0),
    budgetMs: Math.max(0, Math.min(0xffffffff, Math.floor(req.budgetMs))),
    lookup: req.op.kind === 'lookup' ? {} : undefined
  }
}

export function decodeRouteRequest (codec: PeerCodec, req: pb.RouteRequest): RouteRequest {
  if (req.lookup === undefined) throw new BadRequestError('route request names no operation')
  if (req.path.length === 0) throw new BadRequestError('route request has an empty path')
  return {
    key: decodeId(req.key, 'key'),
    path: req.path.map((p, i) => codec.decodePeerId(p, `path[${i}]`).peer),
    claim: decodeClaim(req),
    budgetMs: req.budgetMs,
    op: { kind: 'lookup' }
  }
}

export function encodeRouteReply (codec: PeerCodec, reply: RouteReply): pb.RouteResponse {
  return { owner: codec.encodePeer(reply.owner), hops: reply.hops, path: reply.path.map(p => codec.encodePeerId(p)) }
}

export function decodeRouteReply (codec: PeerCodec, reply: pb.RouteResponse | undefined): RouteReply {
  if (reply === undefined) throw new BadRequestError('route reply has no body')
  return {
    owner: codec.decodePeer(reply.owner, 'owner'),
    hops: reply.hops,
    path: reply.path.map((p, i) => codec.decodePeerId(p, `path[${i}]`).peer)
  }
}

/** The wire status for an error raised while serving a request. */
export function statusOf (err: unknown): pb.Status {
  if (err instanceof ChordError && err.code in pb.Status && err.code !== 'OK' && err.code !== 'ACCEPTED') {
    return err.code as pb.Status
  }
  return pb.Status.INTERNAL
}

function decodeClaim (req: pb.RouteRequest): Claim | undefined {
  switch (req.claim) {
    case pb.Claim.SUCCESSOR: return { kind: 'successor' }
    case pb.Claim.DEAD_THROUGH: return { kind: 'deadThrough', id: decodeId(req.deadThrough, 'deadThrough') }
    case pb.Claim.NONE: return undefined
    default: throw new BadRequestError(`unknown claim ${String(req.claim)}`)
  }
}

function decodeId (bytes: Uint8Array, field: string): bigint {
  if (bytes.byteLength !== ID_BYTES) throw new BadRequestError(`${field} must be ${ID_BYTES} bytes, got ${bytes.byteLength}`)
  return idFromBytes(bytes)
}
