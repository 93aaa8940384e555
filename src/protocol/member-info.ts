import { BadRequestError } from '../errors.js'
import { MAX_ADDRS_PER_PEER, MAX_SUCCESSORS } from './constants.js'
import type * as pb from './chord.js'
import type { PeerCodec } from './peer-codec.js'
import type { NodeRef } from '../ring/node-ref.js'

/** Fingers a member may report: at most one per bit of the 256-bit identifier space. */
export const MAX_FINGERS = 256

/** What a ring member reports about itself (the MemberInfo message), read by ring views. */
export interface MemberInfo {
  readonly self: NodeRef
  /** The member's own multiaddrs. */
  readonly addrs: readonly string[]
  readonly predecessor?: NodeRef | undefined
  readonly successors: readonly NodeRef[]
  readonly fingers: readonly NodeRef[]
  /** Its join completed. */
  readonly member: boolean
  readonly leaving: boolean
  /** r */
  readonly successorListLength: number
  /** k */
  readonly replicationFactor: number
  readonly keys: number
  readonly keysOwned: number
  readonly tombstones: number
  readonly version: string
}

/** Decode limits for a MemberInfo response (merged into the response limits). */
export const MEMBER_INFO_LIMITS = {
  successors: MAX_SUCCESSORS,
  fingers: MAX_FINGERS,
  self: { addrs: MAX_ADDRS_PER_PEER },
  predecessor: { addrs: MAX_ADDRS_PER_PEER },
  successors$: { addrs: MAX_ADDRS_PER_PEER },
  fingers$: { addrs: MAX_ADDRS_PER_PEER }
}

export function encodeMemberInfo (codec: PeerCodec, info: MemberInfo): pb.MemberInfoResponse {
  return {
    self: codec.encodePeer(info.self),
    predecessor: info.predecessor === undefined ? undefined : codec.encodePeer(info.predecessor),
    successors: info.successors.map(s => codec.encodePeer(s)),
    fingers: info.fingers.map(f => codec.encodePeer(f)),
    member: info.member,
    leaving: info.leaving,
    successorListLength: info.successorListLength,
    replicationFactor: info.replicationFactor,
    keys: BigInt(info.keys),
    keysOwned: BigInt(info.keysOwned),
    tombstones: BigInt(info.tombstones),
    version: info.version
  }
}

/** The reply of `from`, which must describe `from` itself. */
export function decodeMemberInfo (codec: PeerCodec, from: NodeRef, info: pb.MemberInfoResponse | undefined, addrsOf: (node: NodeRef) => readonly string[]): MemberInfo {
  if (info === undefined) throw new BadRequestError('member-info reply has no body')
  const self = codec.decodePeer(info.self, 'self')
  if (self.peer !== from.peer) throw new BadRequestError('member-info reply describes another peer')
  return {
    self,
    addrs: addrsOf(self),
    predecessor: info.predecessor === undefined ? undefined : codec.decodePeer(info.predecessor, 'predecessor'),
    successors: info.successors.map((s, i) => codec.decodePeer(s, `successors[${i}]`)),
    fingers: info.fingers.map((f, i) => codec.decodePeer(f, `fingers[${i}]`)),
    member: info.member,
    leaving: info.leaving,
    successorListLength: info.successorListLength,
    replicationFactor: info.replicationFactor,
    keys: Number(info.keys),
    keysOwned: Number(info.keysOwned),
    tombstones: Number(info.tombstones),
    version: info.version.slice(0, 64)
  }
}
