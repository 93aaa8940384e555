import { BadRequestError, ChordError, isErrorCode, type ErrorCode } from '../errors.js'
import { idFromBytes, idToBytes, SHA256_SPACE } from '../ring/ids.js'
import * as pb from './chord.js'
import { ID_BYTES, MAX_ADDRS_PER_PEER, MAX_BATCH, MAX_PARTS, MAX_PATH, MAX_SUCCESSORS } from './constants.js'
import { MEMBER_INFO_LIMITS } from './member-info.js'
import { decodeMillis, decodeRecord, decodeVersion, encodeRecord, encodeVersion } from './record-codec.js'
import type { NodeRef } from '../ring/node-ref.js'
import type { LeaveNotice, MergeInvitation, NeighbourState, RangePage, RouteOp, RouteReply, RouteRequest, Version } from './messages.js'
import type { PeerCodec } from './peer-codec.js'
import type { RingTag } from '../ring/ring-tag.js'
import type { Claim } from '../ring/routing.js'

/**
 * Converts between the protobuf wire form and chordkv's own types, checking
 * everything a remote peer could get wrong. Decoding failures throw
 * {@link BadRequestError} with a message naming the field.
 */

/** Protobuf decode limits for repeated fields, so a hostile frame cannot balloon. */
export const REQUEST_LIMITS = {
  notify: { node: { addrs: MAX_ADDRS_PER_PEER } },
  route: { path: MAX_PATH },
  offer: { digests: MAX_BATCH },
  store: { records: MAX_BATCH },
  leave: { predecessor: { addrs: MAX_ADDRS_PER_PEER }, successor: { addrs: MAX_ADDRS_PER_PEER } },
  fetch: { keys: MAX_BATCH },
  merge: { contact: { addrs: MAX_ADDRS_PER_PEER } }
}
export const RESPONSE_LIMITS = {
  state: { successors: MAX_SUCCESSORS, predecessor: { addrs: MAX_ADDRS_PER_PEER }, successors$: { addrs: MAX_ADDRS_PER_PEER } },
  route: { path: MAX_PATH, owner: { addrs: MAX_ADDRS_PER_PEER } },
  offer: { wanted: MAX_BATCH },
  range: { records: MAX_BATCH },
  summary: { arcs: MAX_PARTS },
  digests: { digests: MAX_BATCH },
  fetch: { records: MAX_BATCH },
  memberInfo: MEMBER_INFO_LIMITS
}

export function encodeNeighbourState (codec: PeerCodec, state: NeighbourState): pb.GetStateResponse {
  return {
    predecessor: state.predecessor === undefined ? undefined : codec.encodePeer(state.predecessor),
    successors: state.successors.map(s => codec.encodePeer(s)),
    member: state.member,
    ring: state.tag === undefined ? undefined : encodeTag(state.tag)
  }
}

export function decodeNeighbourState (codec: PeerCodec, state: pb.GetStateResponse | undefined): NeighbourState {
  if (state === undefined) throw new BadRequestError('get-state reply has no state')
  if (state.member && state.ring === undefined) throw new BadRequestError('get-state reply of a member has no ring tag')
  return {
    predecessor: state.predecessor === undefined ? undefined : codec.decodePeer(state.predecessor, 'predecessor'),
    successors: state.successors.map((s, i) => codec.decodePeer(s, `successors[${i}]`)),
    member: state.member,
    tag: state.ring === undefined ? undefined : decodeTag(state.ring)
  }
}

/** The notify request: the sender names itself, and must be the peer on the stream. */
export function decodeNotify (codec: PeerCodec, notify: pb.NotifyRequest, from: NodeRef): void {
  const node = codec.decodePeer(notify.node, 'notify.node')
  if (node.peer !== from.peer) throw new BadRequestError('notify.node must be the sender itself')
}

export function encodeMergeInvitation (codec: PeerCodec, invitation: MergeInvitation): pb.MergeRequest {
  return { ring: encodeTag(invitation.tag), contact: codec.encodePeer(invitation.contact) }
}

export function decodeMergeInvitation (codec: PeerCodec, merge: pb.MergeRequest): MergeInvitation {
  if (merge.ring === undefined) throw new BadRequestError('merge request has no ring tag')
  return { tag: decodeTag(merge.ring), contact: codec.decodePeer(merge.contact, 'merge.contact') }
}

/** The tag of the ring the invited peer is on. */
export function decodeMergeReply (reply: pb.MergeResponse | undefined): RingTag {
  if (reply?.ring === undefined) throw new BadRequestError('merge reply has no ring tag')
  return decodeTag(reply.ring)
}

export function encodeTag (tag: RingTag): pb.RingTag {
  return { epoch: tag.epoch, nonce: tag.nonce }
}

export function decodeTag (tag: pb.RingTag): RingTag {
  return { epoch: tag.epoch, nonce: tag.nonce }
}

export function encodeRouteRequest (codec: PeerCodec, req: RouteRequest): pb.RouteRequest {
  const claim = req.claim
  const { op } = req
  return {
    key: idToBytes(SHA256_SPACE, req.key),
    path: req.path.map(p => codec.encodePeerId(p)),
    claim: claim === undefined ? pb.Claim.NONE : claim.kind === 'successor' ? pb.Claim.SUCCESSOR : pb.Claim.DEAD_THROUGH,
    deadThrough: claim?.kind === 'deadThrough' ? idToBytes(SHA256_SPACE, claim.id) : new Uint8Array(0),
    budgetMs: Math.max(0, Math.min(0xffffffff, Math.floor(req.budgetMs))),
    lookup: op.kind === 'lookup' ? {} : undefined,
    put: op.kind === 'put' ? { key: bytes(op.key), value: bytes(op.value), ...encodeVersion(op.version), ttlMs: op.ttlMs === undefined ? undefined : BigInt(op.ttlMs) } : undefined,
    get: op.kind === 'get' ? { key: bytes(op.key) } : undefined,
    del: op.kind === 'del' ? { key: bytes(op.key), ...encodeVersion(op.version) } : undefined
  }
}

export function decodeRouteRequest (codec: PeerCodec, req: pb.RouteRequest): RouteRequest {
  if (req.path.length === 0) throw new BadRequestError('route request has an empty path')
  const path = req.path.map((p, i) => codec.decodePeerId(p, `path[${i}]`).peer)
  const op = decodeOp(req)
  // The version is the entry peer's: a hop cannot pass a write off as another peer's.
  if ((op.kind === 'put' || op.kind === 'del') && op.version.writer !== path[0]) {
    throw new BadRequestError(`${op.kind}.writer must be the peer the route started at`)
  }
  return { key: decodeId(req.key, 'key'), path, claim: decodeClaim(req), budgetMs: req.budgetMs, op }
}

export function encodeRouteReply (codec: PeerCodec, reply: RouteReply): pb.RouteResponse {
  return {
    owner: codec.encodePeer(reply.owner),
    ownerPredecessor: reply.ownerPredecessor === undefined ? undefined : codec.encodePeerId(reply.ownerPredecessor.peer),
    hops: reply.hops,
    path: reply.path.map(p => codec.encodePeerId(p)),
    record: reply.record === undefined ? undefined : encodeRecord(reply.record),
    existed: reply.existed === true,
    replicas: reply.replicas ?? 0
  }
}

export function decodeRouteReply (codec: PeerCodec, reply: pb.RouteResponse | undefined): RouteReply {
  if (reply === undefined) throw new BadRequestError('route reply has no body')
  return {
    owner: codec.decodePeer(reply.owner, 'owner'),
    ownerPredecessor: reply.ownerPredecessor === undefined ? undefined : codec.decodePeerId(reply.ownerPredecessor, 'ownerPredecessor'),
    hops: reply.hops,
    path: reply.path.map((p, i) => codec.decodePeerId(p, `path[${i}]`).peer),
    record: reply.record === undefined ? undefined : decodeRecord(reply.record, 'record'),
    existed: reply.existed,
    replicas: reply.replicas
  }
}

function decodeOp (req: pb.RouteRequest): RouteOp {
  if (req.lookup !== undefined) return { kind: 'lookup' }
  if (req.put !== undefined) {
    const put = { kind: 'put' as const, key: req.put.key, value: req.put.value, version: decodeOpVersion(req.put, 'put') }
    return req.put.ttlMs === undefined ? put : { ...put, ttlMs: decodeMillis(req.put.ttlMs, 'put.ttlMs') }
  }
  if (req.get !== undefined) return { kind: 'get', key: req.get.key }
  if (req.del !== undefined) return { kind: 'del', key: req.del.key, version: decodeOpVersion(req.del, 'del') }
  throw new BadRequestError('route request names no operation')
}

/** A write's version; one without a timestamp comes from a peer that does not fix versions at entry. */
function decodeOpVersion (op: { timestamp: bigint, writer: Uint8Array }, field: string): Version {
  if (op.timestamp === 0n) throw new BadRequestError(`${field} carries no version (the entry peer must fix it)`)
  return decodeVersion(op.timestamp, op.writer, field)
}

export function encodeRangePage (page: RangePage): pb.RangeResponse {
  return { records: page.records.map(r => encodeRecord(r)), more: page.more }
}

export function decodeRangePage (page: pb.RangeResponse | undefined): RangePage {
  if (page === undefined) throw new BadRequestError('range reply has no body')
  return { records: page.records.map((r, i) => decodeRecord(r, `records[${i}]`)), more: page.more }
}

export function encodeLeaveNotice (codec: PeerCodec, notice: LeaveNotice): pb.LeaveRequest {
  return {
    predecessor: notice.predecessor === undefined ? undefined : codec.encodePeer(notice.predecessor),
    successor: notice.successor === undefined ? undefined : codec.encodePeer(notice.successor)
  }
}

export function decodeLeaveNotice (codec: PeerCodec, notice: pb.LeaveRequest): LeaveNotice {
  return {
    predecessor: notice.predecessor === undefined ? undefined : codec.decodePeer(notice.predecessor, 'predecessor'),
    successor: notice.successor === undefined ? undefined : codec.decodePeer(notice.successor, 'successor')
  }
}

/** A 32-byte ring identifier from the wire. */
export function decodeRingId (bytes: Uint8Array, field: string): bigint {
  return decodeId(bytes, field)
}

function bytes (b: Uint8Array): Uint8Array<ArrayBuffer> {
  return b.buffer instanceof ArrayBuffer && b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b as Uint8Array<ArrayBuffer> : new Uint8Array(b)
}

/** The wire status for an error raised while serving a request. */
export function statusOf (err: unknown): pb.Status {
  // Codes that are not statuses (client-side ones, BAD_CONFIG) stay on this peer: INTERNAL.
  if (err instanceof ChordError && err.code in pb.Status) return err.code as pb.Status
  return pb.Status.INTERNAL
}

/** The error code a peer's status answers with (OK and ACCEPTED are no errors: INTERNAL). */
export function codeOfStatus (status: pb.Status): ErrorCode {
  return isErrorCode(status) ? status : 'INTERNAL'
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
