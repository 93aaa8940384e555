/* eslint-disable require-yield */

import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface Peer {
  id: Uint8Array<ArrayBuffer>
  addrs: Uint8Array<ArrayBuffer>[]
}

export namespace Peer {
  let _codec: Codec<Peer>

  export const codec = (): Codec<Peer> => {
    if (_codec == null) {
      _codec = message<Peer>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.id)
        }

        if (obj.addrs != null && obj.addrs.length > 0) {
          for (const value of obj.addrs) {
            w.uint32(18)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: uint8ArrayAlloc(0),
          addrs: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.bytes()
              break
            }
            case 2: {
              if (opts.limits?.addrs != null && obj.addrs.length === opts.limits.addrs) {
                throw new MaxLengthError('Decode error - repeated field "addrs" had too many elements')
              }

              obj.addrs.push(reader.bytes())
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          addrs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.id`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              if (opts.limits?.addrs != null && obj.addrs === opts.limits.addrs) {
                throw new MaxLengthError('Streaming decode error - repeated field "addrs" had too many elements')
              }

              yield {
                field: `${prefix}.addrs[]`,
                index: obj.addrs,
                value: reader.bytes()
              }

              obj.addrs++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PeerIdFieldEvent {
    field: '$.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PeerAddrsFieldEvent {
    field: '$.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Peer>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Peer.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Peer>): Peer {
    return decodeMessage(buf, Peer.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Peer>): Generator<PeerIdFieldEvent | PeerAddrsFieldEvent> {
    return streamMessage(buf, Peer.codec(), opts)
  }
}

export enum Status {
  OK = 'OK',
  ACCEPTED = 'ACCEPTED',
  BAD_REQUEST = 'BAD_REQUEST',
  NOT_FOUND = 'NOT_FOUND',
  UNREACHABLE = 'UNREACHABLE',
  HOP_LIMIT = 'HOP_LIMIT',
  BUSY = 'BUSY',
  NOT_READY = 'NOT_READY',
  TIMEOUT = 'TIMEOUT',
  INTERNAL = 'INTERNAL',
  QUORUM = 'QUORUM',
  REPLICAS_UNAVAILABLE = 'REPLICAS_UNAVAILABLE',
  NOT_MEMBER = 'NOT_MEMBER'
}

enum __StatusValues {
  OK = 0,
  ACCEPTED = 1,
  BAD_REQUEST = 2,
  NOT_FOUND = 3,
  UNREACHABLE = 4,
  HOP_LIMIT = 5,
  BUSY = 6,
  NOT_READY = 7,
  TIMEOUT = 8,
  INTERNAL = 9,
  QUORUM = 10,
  REPLICAS_UNAVAILABLE = 11,
  NOT_MEMBER = 12
}

export namespace Status {
  export const codec = (): Codec<Status> => {
    return enumeration<Status>(__StatusValues)
  }
}

export interface PingRequest {}

export namespace PingRequest {
  let _codec: Codec<PingRequest>

  export const codec = (): Codec<PingRequest> => {
    if (_codec == null) {
      _codec = message<PingRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export function encode (obj: Partial<PingRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PingRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PingRequest>): PingRequest {
    return decodeMessage(buf, PingRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PingRequest>): Generator<{}> {
    return streamMessage(buf, PingRequest.codec(), opts)
  }
}

export interface RingTag {
  epoch: number
  nonce: bigint
}

export namespace RingTag {
  let _codec: Codec<RingTag>

  export const codec = (): Codec<RingTag> => {
    if (_codec == null) {
      _codec = message<RingTag>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.epoch != null && obj.epoch !== 0)) {
          w.uint32(8)
          w.uint32(obj.epoch)
        }

        if ((obj.nonce != null && obj.nonce !== 0n)) {
          w.uint32(16)
          w.uint64(obj.nonce)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          epoch: 0,
          nonce: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.epoch = reader.uint32()
              break
            }
            case 2: {
              obj.nonce = reader.uint64()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.epoch`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.nonce`,
                value: reader.uint64()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RingTagEpochFieldEvent {
    field: '$.epoch'
    value: number
  }

  export interface RingTagNonceFieldEvent {
    field: '$.nonce'
    value: bigint
  }

  export function encode (obj: Partial<RingTag>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RingTag.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RingTag>): RingTag {
    return decodeMessage(buf, RingTag.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RingTag>): Generator<RingTagEpochFieldEvent | RingTagNonceFieldEvent> {
    return streamMessage(buf, RingTag.codec(), opts)
  }
}

export interface GetStateRequest {}

export namespace GetStateRequest {
  let _codec: Codec<GetStateRequest>

  export const codec = (): Codec<GetStateRequest> => {
    if (_codec == null) {
      _codec = message<GetStateRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export function encode (obj: Partial<GetStateRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GetStateRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GetStateRequest>): GetStateRequest {
    return decodeMessage(buf, GetStateRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GetStateRequest>): Generator<{}> {
    return streamMessage(buf, GetStateRequest.codec(), opts)
  }
}

export interface GetStateResponse {
  predecessor?: Peer
  successors: Peer[]
  member: boolean
  ring?: RingTag
}

export namespace GetStateResponse {
  let _codec: Codec<GetStateResponse>

  export const codec = (): Codec<GetStateResponse> => {
    if (_codec == null) {
      _codec = message<GetStateResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.predecessor != null) {
          w.uint32(10)
          Peer.codec().encode(obj.predecessor, w)
        }

        if (obj.successors != null && obj.successors.length > 0) {
          for (const value of obj.successors) {
            w.uint32(18)
            Peer.codec().encode(value, w)
          }
        }

        if ((obj.member != null && obj.member !== false)) {
          w.uint32(24)
          w.bool(obj.member)
        }

        if (obj.ring != null) {
          w.uint32(34)
          RingTag.codec().encode(obj.ring, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          successors: [],
          member: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.predecessor = Peer.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.predecessor
              })
              break
            }
            case 2: {
              if (opts.limits?.successors != null && obj.successors.length === opts.limits.successors) {
                throw new MaxLengthError('Decode error - repeated field "successors" had too many elements')
              }

              obj.successors.push(Peer.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.successors$
              }))
              break
            }
            case 3: {
              obj.member = reader.bool()
              break
            }
            case 4: {
              obj.ring = RingTag.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.ring
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          successors: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * Peer.codec().stream(reader, reader.uint32(), `${prefix}.predecessor`, {
                limits: opts.limits?.predecessor
              })

              break
            }
            case 2: {
              if (opts.limits?.successors != null && obj.successors === opts.limits.successors) {
                throw new MaxLengthError('Streaming decode error - repeated field "successors" had too many elements')
              }

              for (const evt of Peer.codec().stream(reader, reader.uint32(), `${prefix}.successors[]`, {
                limits: opts.limits?.successors$
              })) {
                yield {
                  ...evt,
                  index: obj.successors
                }
              }

              obj.successors++

              break
            }
            case 3: {
              yield {
                field: `${prefix}.member`,
                value: reader.bool()
              }
              break
            }
            case 4: {
              yield * RingTag.codec().stream(reader, reader.uint32(), `${prefix}.ring`, {
                limits: opts.limits?.ring
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface GetStateResponsePredecessorIdFieldEvent {
    field: '$.predecessor.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GetStateResponsePredecessorAddrsFieldEvent {
    field: '$.predecessor.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface GetStateResponseSuccessorsIdFieldEvent {
    field: '$.successors[].id'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GetStateResponseSuccessorsAddrsFieldEvent {
    field: '$.successors[].addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface GetStateResponseMemberFieldEvent {
    field: '$.member'
    value: boolean
  }

  export interface GetStateResponseRingEpochFieldEvent {
    field: '$.ring.epoch'
    value: number
  }

  export interface GetStateResponseRingNonceFieldEvent {
    field: '$.ring.nonce'
    value: bigint
  }

  export function encode (obj: Partial<GetStateResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GetStateResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GetStateResponse>): GetStateResponse {
    return decodeMessage(buf, GetStateResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GetStateResponse>): Generator<GetStateResponsePredecessorIdFieldEvent | GetStateResponsePredecessorAddrsFieldEvent | GetStateResponseSuccessorsIdFieldEvent | GetStateResponseSuccessorsAddrsFieldEvent | GetStateResponseMemberFieldEvent | GetStateResponseRingEpochFieldEvent | GetStateResponseRingNonceFieldEvent> {
    return streamMessage(buf, GetStateResponse.codec(), opts)
  }
}

export interface NotifyRequest {
  node?: Peer
}

export namespace NotifyRequest {
  let _codec: Codec<NotifyRequest>

  export const codec = (): Codec<NotifyRequest> => {
    if (_codec == null) {
      _codec = message<NotifyRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.node != null) {
          w.uint32(10)
          Peer.codec().encode(obj.node, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.node = Peer.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.node
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * Peer.codec().stream(reader, reader.uint32(), `${prefix}.node`, {
                limits: opts.limits?.node
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface NotifyRequestNodeIdFieldEvent {
    field: '$.node.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface NotifyRequestNodeAddrsFieldEvent {
    field: '$.node.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<NotifyRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, NotifyRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<NotifyRequest>): NotifyRequest {
    return decodeMessage(buf, NotifyRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<NotifyRequest>): Generator<NotifyRequestNodeIdFieldEvent | NotifyRequestNodeAddrsFieldEvent> {
    return streamMessage(buf, NotifyRequest.codec(), opts)
  }
}

export interface MergeRequest {
  ring?: RingTag
  contact?: Peer
}

export namespace MergeRequest {
  let _codec: Codec<MergeRequest>

  export const codec = (): Codec<MergeRequest> => {
    if (_codec == null) {
      _codec = message<MergeRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.ring != null) {
          w.uint32(10)
          RingTag.codec().encode(obj.ring, w)
        }

        if (obj.contact != null) {
          w.uint32(18)
          Peer.codec().encode(obj.contact, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.ring = RingTag.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.ring
              })
              break
            }
            case 2: {
              obj.contact = Peer.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.contact
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * RingTag.codec().stream(reader, reader.uint32(), `${prefix}.ring`, {
                limits: opts.limits?.ring
              })

              break
            }
            case 2: {
              yield * Peer.codec().stream(reader, reader.uint32(), `${prefix}.contact`, {
                limits: opts.limits?.contact
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface MergeRequestRingEpochFieldEvent {
    field: '$.ring.epoch'
    value: number
  }

  export interface MergeRequestRingNonceFieldEvent {
    field: '$.ring.nonce'
    value: bigint
  }

  export interface MergeRequestContactIdFieldEvent {
    field: '$.contact.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MergeRequestContactAddrsFieldEvent {
    field: '$.contact.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<MergeRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, MergeRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MergeRequest>): MergeRequest {
    return decodeMessage(buf, MergeRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MergeRequest>): Generator<MergeRequestRingEpochFieldEvent | MergeRequestRingNonceFieldEvent | MergeRequestContactIdFieldEvent | MergeRequestContactAddrsFieldEvent> {
    return streamMessage(buf, MergeRequest.codec(), opts)
  }
}

export interface MergeResponse {
  ring?: RingTag
}

export namespace MergeResponse {
  let _codec: Codec<MergeResponse>

  export const codec = (): Codec<MergeResponse> => {
    if (_codec == null) {
      _codec = message<MergeResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.ring != null) {
          w.uint32(10)
          RingTag.codec().encode(obj.ring, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.ring = RingTag.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.ring
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * RingTag.codec().stream(reader, reader.uint32(), `${prefix}.ring`, {
                limits: opts.limits?.ring
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface MergeResponseRingEpochFieldEvent {
    field: '$.ring.epoch'
    value: number
  }

  export interface MergeResponseRingNonceFieldEvent {
    field: '$.ring.nonce'
    value: bigint
  }

  export function encode (obj: Partial<MergeResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, MergeResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MergeResponse>): MergeResponse {
    return decodeMessage(buf, MergeResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MergeResponse>): Generator<MergeResponseRingEpochFieldEvent | MergeResponseRingNonceFieldEvent> {
    return streamMessage(buf, MergeResponse.codec(), opts)
  }
}

export interface ChangedRequest {}

export namespace ChangedRequest {
  let _codec: Codec<ChangedRequest>

  export const codec = (): Codec<ChangedRequest> => {
    if (_codec == null) {
      _codec = message<ChangedRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export function encode (obj: Partial<ChangedRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ChangedRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChangedRequest>): ChangedRequest {
    return decodeMessage(buf, ChangedRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChangedRequest>): Generator<{}> {
    return streamMessage(buf, ChangedRequest.codec(), opts)
  }
}

export enum Claim {
  NONE = 'NONE',
  SUCCESSOR = 'SUCCESSOR',
  DEAD_THROUGH = 'DEAD_THROUGH'
}

enum __ClaimValues {
  NONE = 0,
  SUCCESSOR = 1,
  DEAD_THROUGH = 2
}

export namespace Claim {
  export const codec = (): Codec<Claim> => {
    return enumeration<Claim>(__ClaimValues)
  }
}

export interface LookupOp {}

export namespace LookupOp {
  let _codec: Codec<LookupOp>

  export const codec = (): Codec<LookupOp> => {
    if (_codec == null) {
      _codec = message<LookupOp>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export function encode (obj: Partial<LookupOp>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, LookupOp.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LookupOp>): LookupOp {
    return decodeMessage(buf, LookupOp.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LookupOp>): Generator<{}> {
    return streamMessage(buf, LookupOp.codec(), opts)
  }
}

export interface PutOp {
  key: Uint8Array<ArrayBuffer>
  value: Uint8Array<ArrayBuffer>
  timestamp: bigint
  writer: Uint8Array<ArrayBuffer>
  ttlMs?: bigint
}

export namespace PutOp {
  let _codec: Codec<PutOp>

  export const codec = (): Codec<PutOp> => {
    if (_codec == null) {
      _codec = message<PutOp>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.key)
        }

        if ((obj.value != null && obj.value.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.value)
        }

        if ((obj.timestamp != null && obj.timestamp !== 0n)) {
          w.uint32(24)
          w.uint64(obj.timestamp)
        }

        if ((obj.writer != null && obj.writer.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.writer)
        }

        if (obj.ttlMs != null) {
          w.uint32(40)
          w.uint64(obj.ttlMs)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          key: uint8ArrayAlloc(0),
          value: uint8ArrayAlloc(0),
          timestamp: 0n,
          writer: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.key = reader.bytes()
              break
            }
            case 2: {
              obj.value = reader.bytes()
              break
            }
            case 3: {
              obj.timestamp = reader.uint64()
              break
            }
            case 4: {
              obj.writer = reader.bytes()
              break
            }
            case 5: {
              obj.ttlMs = reader.uint64()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.key`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.value`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.timestamp`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.writer`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.ttlMs`,
                value: reader.uint64()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PutOpKeyFieldEvent {
    field: '$.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PutOpValueFieldEvent {
    field: '$.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PutOpTimestampFieldEvent {
    field: '$.timestamp'
    value: bigint
  }

  export interface PutOpWriterFieldEvent {
    field: '$.writer'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PutOpTtlMsFieldEvent {
    field: '$.ttlMs'
    value: bigint
  }

  export function encode (obj: Partial<PutOp>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PutOp.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PutOp>): PutOp {
    return decodeMessage(buf, PutOp.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PutOp>): Generator<PutOpKeyFieldEvent | PutOpValueFieldEvent | PutOpTimestampFieldEvent | PutOpWriterFieldEvent | PutOpTtlMsFieldEvent> {
    return streamMessage(buf, PutOp.codec(), opts)
  }
}

export interface GetOp {
  key: Uint8Array<ArrayBuffer>
}

export namespace GetOp {
  let _codec: Codec<GetOp>

  export const codec = (): Codec<GetOp> => {
    if (_codec == null) {
      _codec = message<GetOp>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.key)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          key: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.key = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.key`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface GetOpKeyFieldEvent {
    field: '$.key'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<GetOp>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GetOp.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GetOp>): GetOp {
    return decodeMessage(buf, GetOp.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GetOp>): Generator<GetOpKeyFieldEvent> {
    return streamMessage(buf, GetOp.codec(), opts)
  }
}

export interface DeleteOp {
  key: Uint8Array<ArrayBuffer>
  timestamp: bigint
  writer: Uint8Array<ArrayBuffer>
}

export namespace DeleteOp {
  let _codec: Codec<DeleteOp>

  export const codec = (): Codec<DeleteOp> => {
    if (_codec == null) {
      _codec = message<DeleteOp>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.key)
        }

        if ((obj.timestamp != null && obj.timestamp !== 0n)) {
          w.uint32(16)
          w.uint64(obj.timestamp)
        }

        if ((obj.writer != null && obj.writer.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.writer)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          key: uint8ArrayAlloc(0),
          timestamp: 0n,
          writer: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.key = reader.bytes()
              break
            }
            case 2: {
              obj.timestamp = reader.uint64()
              break
            }
            case 3: {
              obj.writer = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.key`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.timestamp`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.writer`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface DeleteOpKeyFieldEvent {
    field: '$.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface DeleteOpTimestampFieldEvent {
    field: '$.timestamp'
    value: bigint
  }

  export interface DeleteOpWriterFieldEvent {
    field: '$.writer'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<DeleteOp>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, DeleteOp.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeleteOp>): DeleteOp {
    return decodeMessage(buf, DeleteOp.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeleteOp>): Generator<DeleteOpKeyFieldEvent | DeleteOpTimestampFieldEvent | DeleteOpWriterFieldEvent> {
    return streamMessage(buf, DeleteOp.codec(), opts)
  }
}

export interface Record {
  key: Uint8Array<ArrayBuffer>
  value?: Uint8Array<ArrayBuffer>
  timestamp: bigint
  writer: Uint8Array<ArrayBuffer>
  expiresAtMs?: bigint
}

export namespace Record {
  let _codec: Codec<Record>

  export const codec = (): Codec<Record> => {
    if (_codec == null) {
      _codec = message<Record>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.key)
        }

        if (obj.value != null) {
          w.uint32(18)
          w.bytes(obj.value)
        }

        if ((obj.timestamp != null && obj.timestamp !== 0n)) {
          w.uint32(24)
          w.uint64(obj.timestamp)
        }

        if ((obj.writer != null && obj.writer.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.writer)
        }

        if (obj.expiresAtMs != null) {
          w.uint32(40)
          w.uint64(obj.expiresAtMs)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          key: uint8ArrayAlloc(0),
          timestamp: 0n,
          writer: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.key = reader.bytes()
              break
            }
            case 2: {
              obj.value = reader.bytes()
              break
            }
            case 3: {
              obj.timestamp = reader.uint64()
              break
            }
            case 4: {
              obj.writer = reader.bytes()
              break
            }
            case 5: {
              obj.expiresAtMs = reader.uint64()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.key`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.value`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.timestamp`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.writer`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.expiresAtMs`,
                value: reader.uint64()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RecordKeyFieldEvent {
    field: '$.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RecordValueFieldEvent {
    field: '$.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RecordTimestampFieldEvent {
    field: '$.timestamp'
    value: bigint
  }

  export interface RecordWriterFieldEvent {
    field: '$.writer'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RecordExpiresAtMsFieldEvent {
    field: '$.expiresAtMs'
    value: bigint
  }

  export function encode (obj: Partial<Record>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Record.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Record>): Record {
    return decodeMessage(buf, Record.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Record>): Generator<RecordKeyFieldEvent | RecordValueFieldEvent | RecordTimestampFieldEvent | RecordWriterFieldEvent | RecordExpiresAtMsFieldEvent> {
    return streamMessage(buf, Record.codec(), opts)
  }
}

export interface Digest {
  key: Uint8Array<ArrayBuffer>
  timestamp: bigint
  writer: Uint8Array<ArrayBuffer>
}

export namespace Digest {
  let _codec: Codec<Digest>

  export const codec = (): Codec<Digest> => {
    if (_codec == null) {
      _codec = message<Digest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.key)
        }

        if ((obj.timestamp != null && obj.timestamp !== 0n)) {
          w.uint32(16)
          w.uint64(obj.timestamp)
        }

        if ((obj.writer != null && obj.writer.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.writer)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          key: uint8ArrayAlloc(0),
          timestamp: 0n,
          writer: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.key = reader.bytes()
              break
            }
            case 2: {
              obj.timestamp = reader.uint64()
              break
            }
            case 3: {
              obj.writer = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.key`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.timestamp`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.writer`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface DigestKeyFieldEvent {
    field: '$.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface DigestTimestampFieldEvent {
    field: '$.timestamp'
    value: bigint
  }

  export interface DigestWriterFieldEvent {
    field: '$.writer'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Digest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Digest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Digest>): Digest {
    return decodeMessage(buf, Digest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Digest>): Generator<DigestKeyFieldEvent | DigestTimestampFieldEvent | DigestWriterFieldEvent> {
    return streamMessage(buf, Digest.codec(), opts)
  }
}

export interface OfferRequest {
  digests: Digest[]
}

export namespace OfferRequest {
  let _codec: Codec<OfferRequest>

  export const codec = (): Codec<OfferRequest> => {
    if (_codec == null) {
      _codec = message<OfferRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.digests != null && obj.digests.length > 0) {
          for (const value of obj.digests) {
            w.uint32(10)
            Digest.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          digests: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.digests != null && obj.digests.length === opts.limits.digests) {
                throw new MaxLengthError('Decode error - repeated field "digests" had too many elements')
              }

              obj.digests.push(Digest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.digests$
              }))
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          digests: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.digests != null && obj.digests === opts.limits.digests) {
                throw new MaxLengthError('Streaming decode error - repeated field "digests" had too many elements')
              }

              for (const evt of Digest.codec().stream(reader, reader.uint32(), `${prefix}.digests[]`, {
                limits: opts.limits?.digests$
              })) {
                yield {
                  ...evt,
                  index: obj.digests
                }
              }

              obj.digests++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface OfferRequestDigestsKeyFieldEvent {
    field: '$.digests[].key'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface OfferRequestDigestsTimestampFieldEvent {
    field: '$.digests[].timestamp'
    value: bigint
    index: number
  }

  export interface OfferRequestDigestsWriterFieldEvent {
    field: '$.digests[].writer'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export function encode (obj: Partial<OfferRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, OfferRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OfferRequest>): OfferRequest {
    return decodeMessage(buf, OfferRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OfferRequest>): Generator<OfferRequestDigestsKeyFieldEvent | OfferRequestDigestsTimestampFieldEvent | OfferRequestDigestsWriterFieldEvent> {
    return streamMessage(buf, OfferRequest.codec(), opts)
  }
}

export interface OfferResponse {
  wanted: number[]
}

export namespace OfferResponse {
  let _codec: Codec<OfferResponse>

  export const codec = (): Codec<OfferResponse> => {
    if (_codec == null) {
      _codec = message<OfferResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.wanted != null && obj.wanted.length > 0) {
          for (const value of obj.wanted) {
            w.uint32(8)
            w.uint32(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          wanted: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.wanted != null && obj.wanted.length === opts.limits.wanted) {
                throw new MaxLengthError('Decode error - repeated field "wanted" had too many elements')
              }

              obj.wanted.push(reader.uint32())
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          wanted: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.wanted != null && obj.wanted === opts.limits.wanted) {
                throw new MaxLengthError('Streaming decode error - repeated field "wanted" had too many elements')
              }

              yield {
                field: `${prefix}.wanted[]`,
                index: obj.wanted,
                value: reader.uint32()
              }

              obj.wanted++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface OfferResponseWantedFieldEvent {
    field: '$.wanted[]'
    index: number
    value: number
  }

  export function encode (obj: Partial<OfferResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, OfferResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OfferResponse>): OfferResponse {
    return decodeMessage(buf, OfferResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OfferResponse>): Generator<OfferResponseWantedFieldEvent> {
    return streamMessage(buf, OfferResponse.codec(), opts)
  }
}

export interface StoreRequest {
  records: Record[]
}

export namespace StoreRequest {
  let _codec: Codec<StoreRequest>

  export const codec = (): Codec<StoreRequest> => {
    if (_codec == null) {
      _codec = message<StoreRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.records != null && obj.records.length > 0) {
          for (const value of obj.records) {
            w.uint32(10)
            Record.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          records: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.records != null && obj.records.length === opts.limits.records) {
                throw new MaxLengthError('Decode error - repeated field "records" had too many elements')
              }

              obj.records.push(Record.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.records$
              }))
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          records: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.records != null && obj.records === opts.limits.records) {
                throw new MaxLengthError('Streaming decode error - repeated field "records" had too many elements')
              }

              for (const evt of Record.codec().stream(reader, reader.uint32(), `${prefix}.records[]`, {
                limits: opts.limits?.records$
              })) {
                yield {
                  ...evt,
                  index: obj.records
                }
              }

              obj.records++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface StoreRequestRecordsKeyFieldEvent {
    field: '$.records[].key'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface StoreRequestRecordsValueFieldEvent {
    field: '$.records[].value'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface StoreRequestRecordsTimestampFieldEvent {
    field: '$.records[].timestamp'
    value: bigint
    index: number
  }

  export interface StoreRequestRecordsWriterFieldEvent {
    field: '$.records[].writer'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface StoreRequestRecordsExpiresAtMsFieldEvent {
    field: '$.records[].expiresAtMs'
    value: bigint
    index: number
  }

  export function encode (obj: Partial<StoreRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, StoreRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoreRequest>): StoreRequest {
    return decodeMessage(buf, StoreRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoreRequest>): Generator<StoreRequestRecordsKeyFieldEvent | StoreRequestRecordsValueFieldEvent | StoreRequestRecordsTimestampFieldEvent | StoreRequestRecordsWriterFieldEvent | StoreRequestRecordsExpiresAtMsFieldEvent> {
    return streamMessage(buf, StoreRequest.codec(), opts)
  }
}

export interface RangeRequest {
  from: Uint8Array<ArrayBuffer>
  to: Uint8Array<ArrayBuffer>
  after: Uint8Array<ArrayBuffer>
  limit: number
}

export namespace RangeRequest {
  let _codec: Codec<RangeRequest>

  export const codec = (): Codec<RangeRequest> => {
    if (_codec == null) {
      _codec = message<RangeRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.from != null && obj.from.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.from)
        }

        if ((obj.to != null && obj.to.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.to)
        }

        if ((obj.after != null && obj.after.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.after)
        }

        if ((obj.limit != null && obj.limit !== 0)) {
          w.uint32(32)
          w.uint32(obj.limit)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          from: uint8ArrayAlloc(0),
          to: uint8ArrayAlloc(0),
          after: uint8ArrayAlloc(0),
          limit: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.from = reader.bytes()
              break
            }
            case 2: {
              obj.to = reader.bytes()
              break
            }
            case 3: {
              obj.after = reader.bytes()
              break
            }
            case 4: {
              obj.limit = reader.uint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.from`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.to`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.after`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.limit`,
                value: reader.uint32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RangeRequestFromFieldEvent {
    field: '$.from'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RangeRequestToFieldEvent {
    field: '$.to'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RangeRequestAfterFieldEvent {
    field: '$.after'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RangeRequestLimitFieldEvent {
    field: '$.limit'
    value: number
  }

  export function encode (obj: Partial<RangeRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RangeRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RangeRequest>): RangeRequest {
    return decodeMessage(buf, RangeRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RangeRequest>): Generator<RangeRequestFromFieldEvent | RangeRequestToFieldEvent | RangeRequestAfterFieldEvent | RangeRequestLimitFieldEvent> {
    return streamMessage(buf, RangeRequest.codec(), opts)
  }
}

export interface RangeResponse {
  records: Record[]
  more: boolean
}

export namespace RangeResponse {
  let _codec: Codec<RangeResponse>

  export const codec = (): Codec<RangeResponse> => {
    if (_codec == null) {
      _codec = message<RangeResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.records != null && obj.records.length > 0) {
          for (const value of obj.records) {
            w.uint32(10)
            Record.codec().encode(value, w)
          }
        }

        if ((obj.more != null && obj.more !== false)) {
          w.uint32(16)
          w.bool(obj.more)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          records: [],
          more: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.records != null && obj.records.length === opts.limits.records) {
                throw new MaxLengthError('Decode error - repeated field "records" had too many elements')
              }

              obj.records.push(Record.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.records$
              }))
              break
            }
            case 2: {
              obj.more = reader.bool()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          records: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.records != null && obj.records === opts.limits.records) {
                throw new MaxLengthError('Streaming decode error - repeated field "records" had too many elements')
              }

              for (const evt of Record.codec().stream(reader, reader.uint32(), `${prefix}.records[]`, {
                limits: opts.limits?.records$
              })) {
                yield {
                  ...evt,
                  index: obj.records
                }
              }

              obj.records++

              break
            }
            case 2: {
              yield {
                field: `${prefix}.more`,
                value: reader.bool()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RangeResponseRecordsKeyFieldEvent {
    field: '$.records[].key'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RangeResponseRecordsValueFieldEvent {
    field: '$.records[].value'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RangeResponseRecordsTimestampFieldEvent {
    field: '$.records[].timestamp'
    value: bigint
    index: number
  }

  export interface RangeResponseRecordsWriterFieldEvent {
    field: '$.records[].writer'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RangeResponseRecordsExpiresAtMsFieldEvent {
    field: '$.records[].expiresAtMs'
    value: bigint
    index: number
  }

  export interface RangeResponseMoreFieldEvent {
    field: '$.more'
    value: boolean
  }

  export function encode (obj: Partial<RangeResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RangeResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RangeResponse>): RangeResponse {
    return decodeMessage(buf, RangeResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RangeResponse>): Generator<RangeResponseRecordsKeyFieldEvent | RangeResponseRecordsValueFieldEvent | RangeResponseRecordsTimestampFieldEvent | RangeResponseRecordsWriterFieldEvent | RangeResponseRecordsExpiresAtMsFieldEvent | RangeResponseMoreFieldEvent> {
    return streamMessage(buf, RangeResponse.codec(), opts)
  }
}

export interface SummaryRequest {
  from: Uint8Array<ArrayBuffer>
  to: Uint8Array<ArrayBuffer>
  parts: number
  ownerArc: boolean
}

export namespace SummaryRequest {
  let _codec: Codec<SummaryRequest>

  export const codec = (): Codec<SummaryRequest> => {
    if (_codec == null) {
      _codec = message<SummaryRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.from != null && obj.from.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.from)
        }

        if ((obj.to != null && obj.to.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.to)
        }

        if ((obj.parts != null && obj.parts !== 0)) {
          w.uint32(24)
          w.uint32(obj.parts)
        }

        if ((obj.ownerArc != null && obj.ownerArc !== false)) {
          w.uint32(32)
          w.bool(obj.ownerArc)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          from: uint8ArrayAlloc(0),
          to: uint8ArrayAlloc(0),
          parts: 0,
          ownerArc: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.from = reader.bytes()
              break
            }
            case 2: {
              obj.to = reader.bytes()
              break
            }
            case 3: {
              obj.parts = reader.uint32()
              break
            }
            case 4: {
              obj.ownerArc = reader.bool()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.from`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.to`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.parts`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.ownerArc`,
                value: reader.bool()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface SummaryRequestFromFieldEvent {
    field: '$.from'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SummaryRequestToFieldEvent {
    field: '$.to'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SummaryRequestPartsFieldEvent {
    field: '$.parts'
    value: number
  }

  export interface SummaryRequestOwnerArcFieldEvent {
    field: '$.ownerArc'
    value: boolean
  }

  export function encode (obj: Partial<SummaryRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SummaryRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SummaryRequest>): SummaryRequest {
    return decodeMessage(buf, SummaryRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SummaryRequest>): Generator<SummaryRequestFromFieldEvent | SummaryRequestToFieldEvent | SummaryRequestPartsFieldEvent | SummaryRequestOwnerArcFieldEvent> {
    return streamMessage(buf, SummaryRequest.codec(), opts)
  }
}

export interface ArcSummary {
  hash: Uint8Array<ArrayBuffer>
  count: number
}

export namespace ArcSummary {
  let _codec: Codec<ArcSummary>

  export const codec = (): Codec<ArcSummary> => {
    if (_codec == null) {
      _codec = message<ArcSummary>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.hash != null && obj.hash.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.hash)
        }

        if ((obj.count != null && obj.count !== 0)) {
          w.uint32(16)
          w.uint32(obj.count)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          hash: uint8ArrayAlloc(0),
          count: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.hash = reader.bytes()
              break
            }
            case 2: {
              obj.count = reader.uint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.hash`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.count`,
                value: reader.uint32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ArcSummaryHashFieldEvent {
    field: '$.hash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ArcSummaryCountFieldEvent {
    field: '$.count'
    value: number
  }

  export function encode (obj: Partial<ArcSummary>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ArcSummary.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ArcSummary>): ArcSummary {
    return decodeMessage(buf, ArcSummary.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ArcSummary>): Generator<ArcSummaryHashFieldEvent | ArcSummaryCountFieldEvent> {
    return streamMessage(buf, ArcSummary.codec(), opts)
  }
}

export interface SummaryResponse {
  arcs: ArcSummary[]
}

export namespace SummaryResponse {
  let _codec: Codec<SummaryResponse>

  export const codec = (): Codec<SummaryResponse> => {
    if (_codec == null) {
      _codec = message<SummaryResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.arcs != null && obj.arcs.length > 0) {
          for (const value of obj.arcs) {
            w.uint32(10)
            ArcSummary.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          arcs: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.arcs != null && obj.arcs.length === opts.limits.arcs) {
                throw new MaxLengthError('Decode error - repeated field "arcs" had too many elements')
              }

              obj.arcs.push(ArcSummary.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.arcs$
              }))
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          arcs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.arcs != null && obj.arcs === opts.limits.arcs) {
                throw new MaxLengthError('Streaming decode error - repeated field "arcs" had too many elements')
              }

              for (const evt of ArcSummary.codec().stream(reader, reader.uint32(), `${prefix}.arcs[]`, {
                limits: opts.limits?.arcs$
              })) {
                yield {
                  ...evt,
                  index: obj.arcs
                }
              }

              obj.arcs++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface SummaryResponseArcsHashFieldEvent {
    field: '$.arcs[].hash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SummaryResponseArcsCountFieldEvent {
    field: '$.arcs[].count'
    value: number
    index: number
  }

  export function encode (obj: Partial<SummaryResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SummaryResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SummaryResponse>): SummaryResponse {
    return decodeMessage(buf, SummaryResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SummaryResponse>): Generator<SummaryResponseArcsHashFieldEvent | SummaryResponseArcsCountFieldEvent> {
    return streamMessage(buf, SummaryResponse.codec(), opts)
  }
}

export interface DigestsRequest {
  from: Uint8Array<ArrayBuffer>
  to: Uint8Array<ArrayBuffer>
  after: Uint8Array<ArrayBuffer>
  limit: number
}

export namespace DigestsRequest {
  let _codec: Codec<DigestsRequest>

  export const codec = (): Codec<DigestsRequest> => {
    if (_codec == null) {
      _codec = message<DigestsRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.from != null && obj.from.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.from)
        }

        if ((obj.to != null && obj.to.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.to)
        }

        if ((obj.after != null && obj.after.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.after)
        }

        if ((obj.limit != null && obj.limit !== 0)) {
          w.uint32(32)
          w.uint32(obj.limit)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          from: uint8ArrayAlloc(0),
          to: uint8ArrayAlloc(0),
          after: uint8ArrayAlloc(0),
          limit: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.from = reader.bytes()
              break
            }
            case 2: {
              obj.to = reader.bytes()
              break
            }
            case 3: {
              obj.after = reader.bytes()
              break
            }
            case 4: {
              obj.limit = reader.uint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.from`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.to`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.after`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.limit`,
                value: reader.uint32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface DigestsRequestFromFieldEvent {
    field: '$.from'
    value: Uint8Array<ArrayBuffer>
  }

  export interface DigestsRequestToFieldEvent {
    field: '$.to'
    value: Uint8Array<ArrayBuffer>
  }

  export interface DigestsRequestAfterFieldEvent {
    field: '$.after'
    value: Uint8Array<ArrayBuffer>
  }

  export interface DigestsRequestLimitFieldEvent {
    field: '$.limit'
    value: number
  }

  export function encode (obj: Partial<DigestsRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, DigestsRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DigestsRequest>): DigestsRequest {
    return decodeMessage(buf, DigestsRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DigestsRequest>): Generator<DigestsRequestFromFieldEvent | DigestsRequestToFieldEvent | DigestsRequestAfterFieldEvent | DigestsRequestLimitFieldEvent> {
    return streamMessage(buf, DigestsRequest.codec(), opts)
  }
}

export interface DigestsResponse {
  digests: Digest[]
  more: boolean
}

export namespace DigestsResponse {
  let _codec: Codec<DigestsResponse>

  export const codec = (): Codec<DigestsResponse> => {
    if (_codec == null) {
      _codec = message<DigestsResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.digests != null && obj.digests.length > 0) {
          for (const value of obj.digests) {
            w.uint32(10)
            Digest.codec().encode(value, w)
          }
        }

        if ((obj.more != null && obj.more !== false)) {
          w.uint32(16)
          w.bool(obj.more)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          digests: [],
          more: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.digests != null && obj.digests.length === opts.limits.digests) {
                throw new MaxLengthError('Decode error - repeated field "digests" had too many elements')
              }

              obj.digests.push(Digest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.digests$
              }))
              break
            }
            case 2: {
              obj.more = reader.bool()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          digests: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.digests != null && obj.digests === opts.limits.digests) {
                throw new MaxLengthError('Streaming decode error - repeated field "digests" had too many elements')
              }

              for (const evt of Digest.codec().stream(reader, reader.uint32(), `${prefix}.digests[]`, {
                limits: opts.limits?.digests$
              })) {
                yield {
                  ...evt,
                  index: obj.digests
                }
              }

              obj.digests++

              break
            }
            case 2: {
              yield {
                field: `${prefix}.more`,
                value: reader.bool()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface DigestsResponseDigestsKeyFieldEvent {
    field: '$.digests[].key'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface DigestsResponseDigestsTimestampFieldEvent {
    field: '$.digests[].timestamp'
    value: bigint
    index: number
  }

  export interface DigestsResponseDigestsWriterFieldEvent {
    field: '$.digests[].writer'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface DigestsResponseMoreFieldEvent {
    field: '$.more'
    value: boolean
  }

  export function encode (obj: Partial<DigestsResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, DigestsResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DigestsResponse>): DigestsResponse {
    return decodeMessage(buf, DigestsResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DigestsResponse>): Generator<DigestsResponseDigestsKeyFieldEvent | DigestsResponseDigestsTimestampFieldEvent | DigestsResponseDigestsWriterFieldEvent | DigestsResponseMoreFieldEvent> {
    return streamMessage(buf, DigestsResponse.codec(), opts)
  }
}

export interface FetchRequest {
  keys: Uint8Array<ArrayBuffer>[]
}

export namespace FetchRequest {
  let _codec: Codec<FetchRequest>

  export const codec = (): Codec<FetchRequest> => {
    if (_codec == null) {
      _codec = message<FetchRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.keys != null && obj.keys.length > 0) {
          for (const value of obj.keys) {
            w.uint32(10)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          keys: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.keys != null && obj.keys.length === opts.limits.keys) {
                throw new MaxLengthError('Decode error - repeated field "keys" had too many elements')
              }

              obj.keys.push(reader.bytes())
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          keys: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.keys != null && obj.keys === opts.limits.keys) {
                throw new MaxLengthError('Streaming decode error - repeated field "keys" had too many elements')
              }

              yield {
                field: `${prefix}.keys[]`,
                index: obj.keys,
                value: reader.bytes()
              }

              obj.keys++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface FetchRequestKeysFieldEvent {
    field: '$.keys[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<FetchRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FetchRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchRequest>): FetchRequest {
    return decodeMessage(buf, FetchRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchRequest>): Generator<FetchRequestKeysFieldEvent> {
    return streamMessage(buf, FetchRequest.codec(), opts)
  }
}

export interface FetchResponse {
  records: Record[]
  served: number
}

export namespace FetchResponse {
  let _codec: Codec<FetchResponse>

  export const codec = (): Codec<FetchResponse> => {
    if (_codec == null) {
      _codec = message<FetchResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.records != null && obj.records.length > 0) {
          for (const value of obj.records) {
            w.uint32(10)
            Record.codec().encode(value, w)
          }
        }

        if ((obj.served != null && obj.served !== 0)) {
          w.uint32(16)
          w.uint32(obj.served)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          records: [],
          served: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.records != null && obj.records.length === opts.limits.records) {
                throw new MaxLengthError('Decode error - repeated field "records" had too many elements')
              }

              obj.records.push(Record.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.records$
              }))
              break
            }
            case 2: {
              obj.served = reader.uint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          records: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.records != null && obj.records === opts.limits.records) {
                throw new MaxLengthError('Streaming decode error - repeated field "records" had too many elements')
              }

              for (const evt of Record.codec().stream(reader, reader.uint32(), `${prefix}.records[]`, {
                limits: opts.limits?.records$
              })) {
                yield {
                  ...evt,
                  index: obj.records
                }
              }

              obj.records++

              break
            }
            case 2: {
              yield {
                field: `${prefix}.served`,
                value: reader.uint32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface FetchResponseRecordsKeyFieldEvent {
    field: '$.records[].key'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface FetchResponseRecordsValueFieldEvent {
    field: '$.records[].value'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface FetchResponseRecordsTimestampFieldEvent {
    field: '$.records[].timestamp'
    value: bigint
    index: number
  }

  export interface FetchResponseRecordsWriterFieldEvent {
    field: '$.records[].writer'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface FetchResponseRecordsExpiresAtMsFieldEvent {
    field: '$.records[].expiresAtMs'
    value: bigint
    index: number
  }

  export interface FetchResponseServedFieldEvent {
    field: '$.served'
    value: number
  }

  export function encode (obj: Partial<FetchResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FetchResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchResponse>): FetchResponse {
    return decodeMessage(buf, FetchResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchResponse>): Generator<FetchResponseRecordsKeyFieldEvent | FetchResponseRecordsValueFieldEvent | FetchResponseRecordsTimestampFieldEvent | FetchResponseRecordsWriterFieldEvent | FetchResponseRecordsExpiresAtMsFieldEvent | FetchResponseServedFieldEvent> {
    return streamMessage(buf, FetchResponse.codec(), opts)
  }
}

export interface LeaveRequest {
  predecessor?: Peer
  successor?: Peer
}

export namespace LeaveRequest {
  let _codec: Codec<LeaveRequest>

  export const codec = (): Codec<LeaveRequest> => {
    if (_codec == null) {
      _codec = message<LeaveRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.predecessor != null) {
          w.uint32(10)
          Peer.codec().encode(obj.predecessor, w)
        }

        if (obj.successor != null) {
          w.uint32(18)
          Peer.codec().encode(obj.successor, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.predecessor = Peer.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.predecessor
              })
              break
            }
            case 2: {
              obj.successor = Peer.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.successor
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * Peer.codec().stream(reader, reader.uint32(), `${prefix}.predecessor`, {
                limits: opts.limits?.predecessor
              })

              break
            }
            case 2: {
              yield * Peer.codec().stream(reader, reader.uint32(), `${prefix}.successor`, {
                limits: opts.limits?.successor
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface LeaveRequestPredecessorIdFieldEvent {
    field: '$.predecessor.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface LeaveRequestPredecessorAddrsFieldEvent {
    field: '$.predecessor.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface LeaveRequestSuccessorIdFieldEvent {
    field: '$.successor.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface LeaveRequestSuccessorAddrsFieldEvent {
    field: '$.successor.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<LeaveRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, LeaveRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LeaveRequest>): LeaveRequest {
    return decodeMessage(buf, LeaveRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LeaveRequest>): Generator<LeaveRequestPredecessorIdFieldEvent | LeaveRequestPredecessorAddrsFieldEvent | LeaveRequestSuccessorIdFieldEvent | LeaveRequestSuccessorAddrsFieldEvent> {
    return streamMessage(buf, LeaveRequest.codec(), opts)
  }
}

export interface RouteRequest {
  key: Uint8Array<ArrayBuffer>
  path: Uint8Array<ArrayBuffer>[]
  claim: Claim
  deadThrough: Uint8Array<ArrayBuffer>
  budgetMs: number
  lookup?: LookupOp
  put?: PutOp
  get?: GetOp
  del?: DeleteOp
}

export namespace RouteRequest {
  let _codec: Codec<RouteRequest>

  export const codec = (): Codec<RouteRequest> => {
    if (_codec == null) {
      _codec = message<RouteRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        obj = { ...obj }

        if (obj.del != null) {
          obj.get = undefined
          obj.put = undefined
          obj.lookup = undefined
        }

        if (obj.get != null) {
          obj.del = undefined
          obj.put = undefined
          obj.lookup = undefined
        }

        if (obj.put != null) {
          obj.del = undefined
          obj.get = undefined
          obj.lookup = undefined
        }

        if (obj.lookup != null) {
          obj.del = undefined
          obj.get = undefined
          obj.put = undefined
        }

        if ((obj.key != null && obj.key.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.key)
        }

        if (obj.path != null && obj.path.length > 0) {
          for (const value of obj.path) {
            w.uint32(18)
            w.bytes(value)
          }
        }

        if (obj.claim != null && __ClaimValues[obj.claim] !== 0) {
          w.uint32(24)
          Claim.codec().encode(obj.claim, w)
        }

        if ((obj.deadThrough != null && obj.deadThrough.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.deadThrough)
        }

        if ((obj.budgetMs != null && obj.budgetMs !== 0)) {
          w.uint32(40)
          w.uint32(obj.budgetMs)
        }

        if (obj.lookup != null) {
          w.uint32(82)
          LookupOp.codec().encode(obj.lookup, w)
        }

        if (obj.put != null) {
          w.uint32(90)
          PutOp.codec().encode(obj.put, w)
        }

        if (obj.get != null) {
          w.uint32(98)
          GetOp.codec().encode(obj.get, w)
        }

        if (obj.del != null) {
          w.uint32(106)
          DeleteOp.codec().encode(obj.del, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          key: uint8ArrayAlloc(0),
          path: [],
          claim: Claim.NONE,
          deadThrough: uint8ArrayAlloc(0),
          budgetMs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.key = reader.bytes()
              break
            }
            case 2: {
              if (opts.limits?.path != null && obj.path.length === opts.limits.path) {
                throw new MaxLengthError('Decode error - repeated field "path" had too many elements')
              }

              obj.path.push(reader.bytes())
              break
            }
            case 3: {
              obj.claim = Claim.codec().decode(reader)
              break
            }
            case 4: {
              obj.deadThrough = reader.bytes()
              break
            }
            case 5: {
              obj.budgetMs = reader.uint32()
              break
            }
            case 10: {
              obj.lookup = LookupOp.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.lookup
              })
              break
            }
            case 11: {
              obj.put = PutOp.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.put
              })
              break
            }
            case 12: {
              obj.get = GetOp.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.get
              })
              break
            }
            case 13: {
              obj.del = DeleteOp.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.del
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        if (obj.del != null) {
          delete obj.get
          delete obj.put
          delete obj.lookup
        }

        if (obj.get != null) {
          delete obj.del
          delete obj.put
          delete obj.lookup
        }

        if (obj.put != null) {
          delete obj.del
          delete obj.get
          delete obj.lookup
        }

        if (obj.lookup != null) {
          delete obj.del
          delete obj.get
          delete obj.put
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          path: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.key`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              if (opts.limits?.path != null && obj.path === opts.limits.path) {
                throw new MaxLengthError('Streaming decode error - repeated field "path" had too many elements')
              }

              yield {
                field: `${prefix}.path[]`,
                index: obj.path,
                value: reader.bytes()
              }

              obj.path++

              break
            }
            case 3: {
              yield {
                field: `${prefix}.claim`,
                value: Claim.codec().decode(reader)
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.deadThrough`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.budgetMs`,
                value: reader.uint32()
              }
              break
            }
            case 10: {
              yield * LookupOp.codec().stream(reader, reader.uint32(), `${prefix}.lookup`, {
                limits: opts.limits?.lookup
              })

              break
            }
            case 11: {
              yield * PutOp.codec().stream(reader, reader.uint32(), `${prefix}.put`, {
                limits: opts.limits?.put
              })

              break
            }
            case 12: {
              yield * GetOp.codec().stream(reader, reader.uint32(), `${prefix}.get`, {
                limits: opts.limits?.get
              })

              break
            }
            case 13: {
              yield * DeleteOp.codec().stream(reader, reader.uint32(), `${prefix}.del`, {
                limits: opts.limits?.del
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RouteRequestKeyFieldEvent {
    field: '$.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RouteRequestPathFieldEvent {
    field: '$.path[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface RouteRequestClaimFieldEvent {
    field: '$.claim'
    value: Claim
  }

  export interface RouteRequestDeadThroughFieldEvent {
    field: '$.deadThrough'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RouteRequestBudgetMsFieldEvent {
    field: '$.budgetMs'
    value: number
  }

  export interface RouteRequestPutKeyFieldEvent {
    field: '$.put.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RouteRequestPutValueFieldEvent {
    field: '$.put.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RouteRequestPutTimestampFieldEvent {
    field: '$.put.timestamp'
    value: bigint
  }

  export interface RouteRequestPutWriterFieldEvent {
    field: '$.put.writer'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RouteRequestPutTtlMsFieldEvent {
    field: '$.put.ttlMs'
    value: bigint
  }

  export interface RouteRequestGetKeyFieldEvent {
    field: '$.get.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RouteRequestDelKeyFieldEvent {
    field: '$.del.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RouteRequestDelTimestampFieldEvent {
    field: '$.del.timestamp'
    value: bigint
  }

  export interface RouteRequestDelWriterFieldEvent {
    field: '$.del.writer'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<RouteRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RouteRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RouteRequest>): RouteRequest {
    return decodeMessage(buf, RouteRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RouteRequest>): Generator<RouteRequestKeyFieldEvent | RouteRequestPathFieldEvent | RouteRequestClaimFieldEvent | RouteRequestDeadThroughFieldEvent | RouteRequestBudgetMsFieldEvent | RouteRequestPutKeyFieldEvent | RouteRequestPutValueFieldEvent | RouteRequestPutTimestampFieldEvent | RouteRequestPutWriterFieldEvent | RouteRequestPutTtlMsFieldEvent | RouteRequestGetKeyFieldEvent | RouteRequestDelKeyFieldEvent | RouteRequestDelTimestampFieldEvent | RouteRequestDelWriterFieldEvent> {
    return streamMessage(buf, RouteRequest.codec(), opts)
  }
}

export interface RouteResponse {
  owner?: Peer
  hops: number
  path: Uint8Array<ArrayBuffer>[]
  record?: Record
  existed: boolean
  replicas: number
  ownerPredecessor?: Uint8Array<ArrayBuffer>
}

export namespace RouteResponse {
  let _codec: Codec<RouteResponse>

  export const codec = (): Codec<RouteResponse> => {
    if (_codec == null) {
      _codec = message<RouteResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.owner != null) {
          w.uint32(10)
          Peer.codec().encode(obj.owner, w)
        }

        if ((obj.hops != null && obj.hops !== 0)) {
          w.uint32(16)
          w.uint32(obj.hops)
        }

        if (obj.path != null && obj.path.length > 0) {
          for (const value of obj.path) {
            w.uint32(26)
            w.bytes(value)
          }
        }

        if (obj.record != null) {
          w.uint32(34)
          Record.codec().encode(obj.record, w)
        }

        if ((obj.existed != null && obj.existed !== false)) {
          w.uint32(40)
          w.bool(obj.existed)
        }

        if ((obj.replicas != null && obj.replicas !== 0)) {
          w.uint32(48)
          w.uint32(obj.replicas)
        }

        if (obj.ownerPredecessor != null) {
          w.uint32(58)
          w.bytes(obj.ownerPredecessor)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          hops: 0,
          path: [],
          existed: false,
          replicas: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.owner = Peer.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.owner
              })
              break
            }
            case 2: {
              obj.hops = reader.uint32()
              break
            }
            case 3: {
              if (opts.limits?.path != null && obj.path.length === opts.limits.path) {
                throw new MaxLengthError('Decode error - repeated field "path" had too many elements')
              }

              obj.path.push(reader.bytes())
              break
            }
            case 4: {
              obj.record = Record.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.record
              })
              break
            }
            case 5: {
              obj.existed = reader.bool()
              break
            }
            case 6: {
              obj.replicas = reader.uint32()
              break
            }
            case 7: {
              obj.ownerPredecessor = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          path: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * Peer.codec().stream(reader, reader.uint32(), `${prefix}.owner`, {
                limits: opts.limits?.owner
              })

              break
            }
            case 2: {
              yield {
                field: `${prefix}.hops`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              if (opts.limits?.path != null && obj.path === opts.limits.path) {
                throw new MaxLengthError('Streaming decode error - repeated field "path" had too many elements')
              }

              yield {
                field: `${prefix}.path[]`,
                index: obj.path,
                value: reader.bytes()
              }

              obj.path++

              break
            }
            case 4: {
              yield * Record.codec().stream(reader, reader.uint32(), `${prefix}.record`, {
                limits: opts.limits?.record
              })

              break
            }
            case 5: {
              yield {
                field: `${prefix}.existed`,
                value: reader.bool()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.replicas`,
                value: reader.uint32()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.ownerPredecessor`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RouteResponseOwnerIdFieldEvent {
    field: '$.owner.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RouteResponseOwnerAddrsFieldEvent {
    field: '$.owner.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface RouteResponseHopsFieldEvent {
    field: '$.hops'
    value: number
  }

  export interface RouteResponsePathFieldEvent {
    field: '$.path[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface RouteResponseRecordKeyFieldEvent {
    field: '$.record.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RouteResponseRecordValueFieldEvent {
    field: '$.record.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RouteResponseRecordTimestampFieldEvent {
    field: '$.record.timestamp'
    value: bigint
  }

  export interface RouteResponseRecordWriterFieldEvent {
    field: '$.record.writer'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RouteResponseRecordExpiresAtMsFieldEvent {
    field: '$.record.expiresAtMs'
    value: bigint
  }

  export interface RouteResponseExistedFieldEvent {
    field: '$.existed'
    value: boolean
  }

  export interface RouteResponseReplicasFieldEvent {
    field: '$.replicas'
    value: number
  }

  export interface RouteResponseOwnerPredecessorFieldEvent {
    field: '$.ownerPredecessor'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<RouteResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RouteResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RouteResponse>): RouteResponse {
    return decodeMessage(buf, RouteResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RouteResponse>): Generator<RouteResponseOwnerIdFieldEvent | RouteResponseOwnerAddrsFieldEvent | RouteResponseHopsFieldEvent | RouteResponsePathFieldEvent | RouteResponseRecordKeyFieldEvent | RouteResponseRecordValueFieldEvent | RouteResponseRecordTimestampFieldEvent | RouteResponseRecordWriterFieldEvent | RouteResponseRecordExpiresAtMsFieldEvent | RouteResponseExistedFieldEvent | RouteResponseReplicasFieldEvent | RouteResponseOwnerPredecessorFieldEvent> {
    return streamMessage(buf, RouteResponse.codec(), opts)
  }
}

export interface MemberInfoRequest {}

export namespace MemberInfoRequest {
  let _codec: Codec<MemberInfoRequest>

  export const codec = (): Codec<MemberInfoRequest> => {
    if (_codec == null) {
      _codec = message<MemberInfoRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export function encode (obj: Partial<MemberInfoRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, MemberInfoRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MemberInfoRequest>): MemberInfoRequest {
    return decodeMessage(buf, MemberInfoRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MemberInfoRequest>): Generator<{}> {
    return streamMessage(buf, MemberInfoRequest.codec(), opts)
  }
}

export interface MemberInfoResponse {
  self?: Peer
  predecessor?: Peer
  successors: Peer[]
  fingers: Peer[]
  member: boolean
  leaving: boolean
  successorListLength: number
  replicationFactor: number
  keys: bigint
  keysOwned: bigint
  tombstones: bigint
  version: string
}

export namespace MemberInfoResponse {
  let _codec: Codec<MemberInfoResponse>

  export const codec = (): Codec<MemberInfoResponse> => {
    if (_codec == null) {
      _codec = message<MemberInfoResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.self != null) {
          w.uint32(10)
          Peer.codec().encode(obj.self, w)
        }

        if (obj.predecessor != null) {
          w.uint32(18)
          Peer.codec().encode(obj.predecessor, w)
        }

        if (obj.successors != null && obj.successors.length > 0) {
          for (const value of obj.successors) {
            w.uint32(26)
            Peer.codec().encode(value, w)
          }
        }

        if (obj.fingers != null && obj.fingers.length > 0) {
          for (const value of obj.fingers) {
            w.uint32(34)
            Peer.codec().encode(value, w)
          }
        }

        if ((obj.member != null && obj.member !== false)) {
          w.uint32(40)
          w.bool(obj.member)
        }

        if ((obj.leaving != null && obj.leaving !== false)) {
          w.uint32(48)
          w.bool(obj.leaving)
        }

        if ((obj.successorListLength != null && obj.successorListLength !== 0)) {
          w.uint32(56)
          w.uint32(obj.successorListLength)
        }

        if ((obj.replicationFactor != null && obj.replicationFactor !== 0)) {
          w.uint32(64)
          w.uint32(obj.replicationFactor)
        }

        if ((obj.keys != null && obj.keys !== 0n)) {
          w.uint32(72)
          w.uint64(obj.keys)
        }

        if ((obj.keysOwned != null && obj.keysOwned !== 0n)) {
          w.uint32(80)
          w.uint64(obj.keysOwned)
        }

        if ((obj.tombstones != null && obj.tombstones !== 0n)) {
          w.uint32(88)
          w.uint64(obj.tombstones)
        }

        if ((obj.version != null && obj.version !== '')) {
          w.uint32(98)
          w.string(obj.version)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          successors: [],
          fingers: [],
          member: false,
          leaving: false,
          successorListLength: 0,
          replicationFactor: 0,
          keys: 0n,
          keysOwned: 0n,
          tombstones: 0n,
          version: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.self = Peer.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.self
              })
              break
            }
            case 2: {
              obj.predecessor = Peer.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.predecessor
              })
              break
            }
            case 3: {
              if (opts.limits?.successors != null && obj.successors.length === opts.limits.successors) {
                throw new MaxLengthError('Decode error - repeated field "successors" had too many elements')
              }

              obj.successors.push(Peer.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.successors$
              }))
              break
            }
            case 4: {
              if (opts.limits?.fingers != null && obj.fingers.length === opts.limits.fingers) {
                throw new MaxLengthError('Decode error - repeated field "fingers" had too many elements')
              }

              obj.fingers.push(Peer.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.fingers$
              }))
              break
            }
            case 5: {
              obj.member = reader.bool()
              break
            }
            case 6: {
              obj.leaving = reader.bool()
              break
            }
            case 7: {
              obj.successorListLength = reader.uint32()
              break
            }
            case 8: {
              obj.replicationFactor = reader.uint32()
              break
            }
            case 9: {
              obj.keys = reader.uint64()
              break
            }
            case 10: {
              obj.keysOwned = reader.uint64()
              break
            }
            case 11: {
              obj.tombstones = reader.uint64()
              break
            }
            case 12: {
              obj.version = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          successors: 0,
          fingers: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * Peer.codec().stream(reader, reader.uint32(), `${prefix}.self`, {
                limits: opts.limits?.self
              })

              break
            }
            case 2: {
              yield * Peer.codec().stream(reader, reader.uint32(), `${prefix}.predecessor`, {
                limits: opts.limits?.predecessor
              })

              break
            }
            case 3: {
              if (opts.limits?.successors != null && obj.successors === opts.limits.successors) {
                throw new MaxLengthError('Streaming decode error - repeated field "successors" had too many elements')
              }

              for (const evt of Peer.codec().stream(reader, reader.uint32(), `${prefix}.successors[]`, {
                limits: opts.limits?.successors$
              })) {
                yield {
                  ...evt,
                  index: obj.successors
                }
              }

              obj.successors++

              break
            }
            case 4: {
              if (opts.limits?.fingers != null && obj.fingers === opts.limits.fingers) {
                throw new MaxLengthError('Streaming decode error - repeated field "fingers" had too many elements')
              }

              for (const evt of Peer.codec().stream(reader, reader.uint32(), `${prefix}.fingers[]`, {
                limits: opts.limits?.fingers$
              })) {
                yield {
                  ...evt,
                  index: obj.fingers
                }
              }

              obj.fingers++

              break
            }
            case 5: {
              yield {
                field: `${prefix}.member`,
                value: reader.bool()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.leaving`,
                value: reader.bool()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.successorListLength`,
                value: reader.uint32()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.replicationFactor`,
                value: reader.uint32()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.keys`,
                value: reader.uint64()
              }
              break
            }
            case 10: {
              yield {
                field: `${prefix}.keysOwned`,
                value: reader.uint64()
              }
              break
            }
            case 11: {
              yield {
                field: `${prefix}.tombstones`,
                value: reader.uint64()
              }
              break
            }
            case 12: {
              yield {
                field: `${prefix}.version`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface MemberInfoResponseSelfIdFieldEvent {
    field: '$.self.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MemberInfoResponseSelfAddrsFieldEvent {
    field: '$.self.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface MemberInfoResponsePredecessorIdFieldEvent {
    field: '$.predecessor.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MemberInfoResponsePredecessorAddrsFieldEvent {
    field: '$.predecessor.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface MemberInfoResponseSuccessorsIdFieldEvent {
    field: '$.successors[].id'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface MemberInfoResponseSuccessorsAddrsFieldEvent {
    field: '$.successors[].addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface MemberInfoResponseFingersIdFieldEvent {
    field: '$.fingers[].id'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface MemberInfoResponseFingersAddrsFieldEvent {
    field: '$.fingers[].addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface MemberInfoResponseMemberFieldEvent {
    field: '$.member'
    value: boolean
  }

  export interface MemberInfoResponseLeavingFieldEvent {
    field: '$.leaving'
    value: boolean
  }

  export interface MemberInfoResponseSuccessorListLengthFieldEvent {
    field: '$.successorListLength'
    value: number
  }

  export interface MemberInfoResponseReplicationFactorFieldEvent {
    field: '$.replicationFactor'
    value: number
  }

  export interface MemberInfoResponseKeysFieldEvent {
    field: '$.keys'
    value: bigint
  }

  export interface MemberInfoResponseKeysOwnedFieldEvent {
    field: '$.keysOwned'
    value: bigint
  }

  export interface MemberInfoResponseTombstonesFieldEvent {
    field: '$.tombstones'
    value: bigint
  }

  export interface MemberInfoResponseVersionFieldEvent {
    field: '$.version'
    value: string
  }

  export function encode (obj: Partial<MemberInfoResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, MemberInfoResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MemberInfoResponse>): MemberInfoResponse {
    return decodeMessage(buf, MemberInfoResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MemberInfoResponse>): Generator<MemberInfoResponseSelfIdFieldEvent | MemberInfoResponseSelfAddrsFieldEvent | MemberInfoResponsePredecessorIdFieldEvent | MemberInfoResponsePredecessorAddrsFieldEvent | MemberInfoResponseSuccessorsIdFieldEvent | MemberInfoResponseSuccessorsAddrsFieldEvent | MemberInfoResponseFingersIdFieldEvent | MemberInfoResponseFingersAddrsFieldEvent | MemberInfoResponseMemberFieldEvent | MemberInfoResponseLeavingFieldEvent | MemberInfoResponseSuccessorListLengthFieldEvent | MemberInfoResponseReplicationFactorFieldEvent | MemberInfoResponseKeysFieldEvent | MemberInfoResponseKeysOwnedFieldEvent | MemberInfoResponseTombstonesFieldEvent | MemberInfoResponseVersionFieldEvent> {
    return streamMessage(buf, MemberInfoResponse.codec(), opts)
  }
}

export interface WatchRequest {
  key: Uint8Array<ArrayBuffer>
  sinceTimestamp?: bigint
  sinceWriter?: Uint8Array<ArrayBuffer>
  ttlMs: number
}

export namespace WatchRequest {
  let _codec: Codec<WatchRequest>

  export const codec = (): Codec<WatchRequest> => {
    if (_codec == null) {
      _codec = message<WatchRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.key)
        }

        if (obj.sinceTimestamp != null) {
          w.uint32(16)
          w.uint64(obj.sinceTimestamp)
        }

        if (obj.sinceWriter != null) {
          w.uint32(26)
          w.bytes(obj.sinceWriter)
        }

        if ((obj.ttlMs != null && obj.ttlMs !== 0)) {
          w.uint32(32)
          w.uint32(obj.ttlMs)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          key: uint8ArrayAlloc(0),
          ttlMs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.key = reader.bytes()
              break
            }
            case 2: {
              obj.sinceTimestamp = reader.uint64()
              break
            }
            case 3: {
              obj.sinceWriter = reader.bytes()
              break
            }
            case 4: {
              obj.ttlMs = reader.uint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.key`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.sinceTimestamp`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.sinceWriter`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.ttlMs`,
                value: reader.uint32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface WatchRequestKeyFieldEvent {
    field: '$.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface WatchRequestSinceTimestampFieldEvent {
    field: '$.sinceTimestamp'
    value: bigint
  }

  export interface WatchRequestSinceWriterFieldEvent {
    field: '$.sinceWriter'
    value: Uint8Array<ArrayBuffer>
  }

  export interface WatchRequestTtlMsFieldEvent {
    field: '$.ttlMs'
    value: number
  }

  export function encode (obj: Partial<WatchRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, WatchRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<WatchRequest>): WatchRequest {
    return decodeMessage(buf, WatchRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<WatchRequest>): Generator<WatchRequestKeyFieldEvent | WatchRequestSinceTimestampFieldEvent | WatchRequestSinceWriterFieldEvent | WatchRequestTtlMsFieldEvent> {
    return streamMessage(buf, WatchRequest.codec(), opts)
  }
}

export interface WatchResponse {
  record?: Record
}

export namespace WatchResponse {
  let _codec: Codec<WatchResponse>

  export const codec = (): Codec<WatchResponse> => {
    if (_codec == null) {
      _codec = message<WatchResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.record != null) {
          w.uint32(10)
          Record.codec().encode(obj.record, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.record = Record.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.record
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * Record.codec().stream(reader, reader.uint32(), `${prefix}.record`, {
                limits: opts.limits?.record
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface WatchResponseRecordKeyFieldEvent {
    field: '$.record.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface WatchResponseRecordValueFieldEvent {
    field: '$.record.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface WatchResponseRecordTimestampFieldEvent {
    field: '$.record.timestamp'
    value: bigint
  }

  export interface WatchResponseRecordWriterFieldEvent {
    field: '$.record.writer'
    value: Uint8Array<ArrayBuffer>
  }

  export interface WatchResponseRecordExpiresAtMsFieldEvent {
    field: '$.record.expiresAtMs'
    value: bigint
  }

  export function encode (obj: Partial<WatchResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, WatchResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<WatchResponse>): WatchResponse {
    return decodeMessage(buf, WatchResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<WatchResponse>): Generator<WatchResponseRecordKeyFieldEvent | WatchResponseRecordValueFieldEvent | WatchResponseRecordTimestampFieldEvent | WatchResponseRecordWriterFieldEvent | WatchResponseRecordExpiresAtMsFieldEvent> {
    return streamMessage(buf, WatchResponse.codec(), opts)
  }
}

export interface WatchEventRequest {
  record?: Record
}

export namespace WatchEventRequest {
  let _codec: Codec<WatchEventRequest>

  export const codec = (): Codec<WatchEventRequest> => {
    if (_codec == null) {
      _codec = message<WatchEventRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.record != null) {
          w.uint32(10)
          Record.codec().encode(obj.record, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.record = Record.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.record
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * Record.codec().stream(reader, reader.uint32(), `${prefix}.record`, {
                limits: opts.limits?.record
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface WatchEventRequestRecordKeyFieldEvent {
    field: '$.record.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface WatchEventRequestRecordValueFieldEvent {
    field: '$.record.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface WatchEventRequestRecordTimestampFieldEvent {
    field: '$.record.timestamp'
    value: bigint
  }

  export interface WatchEventRequestRecordWriterFieldEvent {
    field: '$.record.writer'
    value: Uint8Array<ArrayBuffer>
  }

  export interface WatchEventRequestRecordExpiresAtMsFieldEvent {
    field: '$.record.expiresAtMs'
    value: bigint
  }

  export function encode (obj: Partial<WatchEventRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, WatchEventRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<WatchEventRequest>): WatchEventRequest {
    return decodeMessage(buf, WatchEventRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<WatchEventRequest>): Generator<WatchEventRequestRecordKeyFieldEvent | WatchEventRequestRecordValueFieldEvent | WatchEventRequestRecordTimestampFieldEvent | WatchEventRequestRecordWriterFieldEvent | WatchEventRequestRecordExpiresAtMsFieldEvent> {
    return streamMessage(buf, WatchEventRequest.codec(), opts)
  }
}

export interface Request {
  id: number
  ping?: PingRequest
  getState?: GetStateRequest
  notify?: NotifyRequest
  route?: RouteRequest
  changed?: ChangedRequest
  offer?: OfferRequest
  store?: StoreRequest
  range?: RangeRequest
  leave?: LeaveRequest
  summary?: SummaryRequest
  digests?: DigestsRequest
  fetch?: FetchRequest
  merge?: MergeRequest
  watch?: WatchRequest
  watchEvent?: WatchEventRequest
  memberInfo?: MemberInfoRequest
}

export namespace Request {
  let _codec: Codec<Request>

  export const codec = (): Codec<Request> => {
    if (_codec == null) {
      _codec = message<Request>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        obj = { ...obj }

        if (obj.memberInfo != null) {
          obj.watchEvent = undefined
          obj.watch = undefined
          obj.merge = undefined
          obj.fetch = undefined
          obj.digests = undefined
          obj.summary = undefined
          obj.leave = undefined
          obj.range = undefined
          obj.store = undefined
          obj.offer = undefined
          obj.changed = undefined
          obj.route = undefined
          obj.notify = undefined
          obj.getState = undefined
          obj.ping = undefined
        }

        if (obj.watchEvent != null) {
          obj.memberInfo = undefined
          obj.watch = undefined
          obj.merge = undefined
          obj.fetch = undefined
          obj.digests = undefined
          obj.summary = undefined
          obj.leave = undefined
          obj.range = undefined
          obj.store = undefined
          obj.offer = undefined
          obj.changed = undefined
          obj.route = undefined
          obj.notify = undefined
          obj.getState = undefined
          obj.ping = undefined
        }

        if (obj.watch != null) {
          obj.memberInfo = undefined
          obj.watchEvent = undefined
          obj.merge = undefined
          obj.fetch = undefined
          obj.digests = undefined
          obj.summary = undefined
          obj.leave = undefined
          obj.range = undefined
          obj.store = undefined
          obj.offer = undefined
          obj.changed = undefined
          obj.route = undefined
          obj.notify = undefined
          obj.getState = undefined
          obj.ping = undefined
        }

        if (obj.merge != null) {
          obj.memberInfo = undefined
          obj.watchEvent = undefined
          obj.watch = undefined
          obj.fetch = undefined
          obj.digests = undefined
          obj.summary = undefined
          obj.leave = undefined
          obj.range = undefined
          obj.store = undefined
          obj.offer = undefined
          obj.changed = undefined
          obj.route = undefined
          obj.notify = undefined
          obj.getState = undefined
          obj.ping = undefined
        }

        if (obj.fetch != null) {
          obj.memberInfo = undefined
          obj.watchEvent = undefined
          obj.watch = undefined
          obj.merge = undefined
          obj.digests = undefined
          obj.summary = undefined
          obj.leave = undefined
          obj.range = undefined
          obj.store = undefined
          obj.offer = undefined
          obj.changed = undefined
          obj.route = undefined
          obj.notify = undefined
          obj.getState = undefined
          obj.ping = undefined
        }

        if (obj.digests != null) {
          obj.memberInfo = undefined
          obj.watchEvent = undefined
          obj.watch = undefined
          obj.merge = undefined
          obj.fetch = undefined
          obj.summary = undefined
          obj.leave = undefined
          obj.range = undefined
          obj.store = undefined
          obj.offer = undefined
          obj.changed = undefined
          obj.route = undefined
          obj.notify = undefined
          obj.getState = undefined
          obj.ping = undefined
        }

        if (obj.summary != null) {
          obj.memberInfo = undefined
          obj.watchEvent = undefined
          obj.watch = undefined
          obj.merge = undefined
          obj.fetch = undefined
          obj.digests = undefined
          obj.leave = undefined
          obj.range = undefined
          obj.store = undefined
          obj.offer = undefined
          obj.changed = undefined
          obj.route = undefined
          obj.notify = undefined
          obj.getState = undefined
          obj.ping = undefined
        }

        if (obj.leave != null) {
          obj.memberInfo = undefined
          obj.watchEvent = undefined
          obj.watch = undefined
          obj.merge = undefined
          obj.fetch = undefined
          obj.digests = undefined
          obj.summary = undefined
          obj.range = undefined
          obj.store = undefined
          obj.offer = undefined
          obj.changed = undefined
          obj.route = undefined
          obj.notify = undefined
          obj.getState = undefined
          obj.ping = undefined
        }

        if (obj.range != null) {
          obj.memberInfo = undefined
          obj.watchEvent = undefined
          obj.watch = undefined
          obj.merge = undefined
          obj.fetch = undefined
          obj.digests = undefined
          obj.summary = undefined
          obj.leave = undefined
          obj.store = undefined
          obj.offer = undefined
          obj.changed = undefined
          obj.route = undefined
          obj.notify = undefined
          obj.getState = undefined
          obj.ping = undefined
        }

        if (obj.store != null) {
          obj.memberInfo = undefined
          obj.watchEvent = undefined
          obj.watch = undefined
          obj.merge = undefined
          obj.fetch = undefined
          obj.digests = undefined
          obj.summary = undefined
          obj.leave = undefined
          obj.range = undefined
          obj.offer = undefined
          obj.changed = undefined
          obj.route = undefined
          obj.notify = undefined
          obj.getState = undefined
          obj.ping = undefined
        }

        if (obj.offer != null) {
          obj.memberInfo = undefined
          obj.watchEvent = undefined
          obj.watch = undefined
          obj.merge = undefined
          obj.fetch = undefined
          obj.digests = undefined
          obj.summary = undefined
          obj.leave = undefined
          obj.range = undefined
          obj.store = undefined
          obj.changed = undefined
          obj.route = undefined
          obj.notify = undefined
          obj.getState = undefined
          obj.ping = undefined
        }

        if (obj.changed != null) {
          obj.memberInfo = undefined
          obj.watchEvent = undefined
          obj.watch = undefined
          obj.merge = undefined
          obj.fetch = undefined
          obj.digests = undefined
          obj.summary = undefined
          obj.leave = undefined
          obj.range = undefined
          obj.store = undefined
          obj.offer = undefined
          obj.route = undefined
          obj.notify = undefined
          obj.getState = undefined
          obj.ping = undefined
        }

        if (obj.route != null) {
          obj.memberInfo = undefined
          obj.watchEvent = undefined
          obj.watch = undefined
          obj.merge = undefined
          obj.fetch = undefined
          obj.digests = undefined
          obj.summary = undefined
          obj.leave = undefined
          obj.range = undefined
          obj.store = undefined
          obj.offer = undefined
          obj.changed = undefined
          obj.notify = undefined
          obj.getState = undefined
          obj.ping = undefined
        }

        if (obj.notify != null) {
          obj.memberInfo = undefined
          obj.watchEvent = undefined
          obj.watch = undefined
          obj.merge = undefined
          obj.fetch = undefined
          obj.digests = undefined
          obj.summary = undefined
          obj.leave = undefined
          obj.range = undefined
          obj.store = undefined
          obj.offer = undefined
          obj.changed = undefined
          obj.route = undefined
          obj.getState = undefined
          obj.ping = undefined
        }

        if (obj.getState != null) {
          obj.memberInfo = undefined
          obj.watchEvent = undefined
          obj.watch = undefined
          obj.merge = undefined
          obj.fetch = undefined
          obj.digests = undefined
          obj.summary = undefined
          obj.leave = undefined
          obj.range = undefined
          obj.store = undefined
          obj.offer = undefined
          obj.changed = undefined
          obj.route = undefined
          obj.notify = undefined
          obj.ping = undefined
        }

        if (obj.ping != null) {
          obj.memberInfo = undefined
          obj.watchEvent = undefined
          obj.watch = undefined
          obj.merge = undefined
          obj.fetch = undefined
          obj.digests = undefined
          obj.summary = undefined
          obj.leave = undefined
          obj.range = undefined
          obj.store = undefined
          obj.offer = undefined
          obj.changed = undefined
          obj.route = undefined
          obj.notify = undefined
          obj.getState = undefined
        }

        if ((obj.id != null && obj.id !== 0)) {
          w.uint32(8)
          w.uint32(obj.id)
        }

        if (obj.ping != null) {
          w.uint32(18)
          PingRequest.codec().encode(obj.ping, w)
        }

        if (obj.getState != null) {
          w.uint32(26)
          GetStateRequest.codec().encode(obj.getState, w)
        }

        if (obj.notify != null) {
          w.uint32(34)
          NotifyRequest.codec().encode(obj.notify, w)
        }

        if (obj.route != null) {
          w.uint32(42)
          RouteRequest.codec().encode(obj.route, w)
        }

        if (obj.changed != null) {
          w.uint32(50)
          ChangedRequest.codec().encode(obj.changed, w)
        }

        if (obj.offer != null) {
          w.uint32(58)
          OfferRequest.codec().encode(obj.offer, w)
        }

        if (obj.store != null) {
          w.uint32(66)
          StoreRequest.codec().encode(obj.store, w)
        }

        if (obj.range != null) {
          w.uint32(74)
          RangeRequest.codec().encode(obj.range, w)
        }

        if (obj.leave != null) {
          w.uint32(82)
          LeaveRequest.codec().encode(obj.leave, w)
        }

        if (obj.summary != null) {
          w.uint32(90)
          SummaryRequest.codec().encode(obj.summary, w)
        }

        if (obj.digests != null) {
          w.uint32(98)
          DigestsRequest.codec().encode(obj.digests, w)
        }

        if (obj.fetch != null) {
          w.uint32(106)
          FetchRequest.codec().encode(obj.fetch, w)
        }

        if (obj.merge != null) {
          w.uint32(114)
          MergeRequest.codec().encode(obj.merge, w)
        }

        if (obj.watch != null) {
          w.uint32(122)
          WatchRequest.codec().encode(obj.watch, w)
        }

        if (obj.watchEvent != null) {
          w.uint32(130)
          WatchEventRequest.codec().encode(obj.watchEvent, w)
        }

        if (obj.memberInfo != null) {
          w.uint32(162)
          MemberInfoRequest.codec().encode(obj.memberInfo, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.uint32()
              break
            }
            case 2: {
              obj.ping = PingRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.ping
              })
              break
            }
            case 3: {
              obj.getState = GetStateRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.getState
              })
              break
            }
            case 4: {
              obj.notify = NotifyRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.notify
              })
              break
            }
            case 5: {
              obj.route = RouteRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.route
              })
              break
            }
            case 6: {
              obj.changed = ChangedRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.changed
              })
              break
            }
            case 7: {
              obj.offer = OfferRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.offer
              })
              break
            }
            case 8: {
              obj.store = StoreRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.store
              })
              break
            }
            case 9: {
              obj.range = RangeRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.range
              })
              break
            }
            case 10: {
              obj.leave = LeaveRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.leave
              })
              break
            }
            case 11: {
              obj.summary = SummaryRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.summary
              })
              break
            }
            case 12: {
              obj.digests = DigestsRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.digests
              })
              break
            }
            case 13: {
              obj.fetch = FetchRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.fetch
              })
              break
            }
            case 14: {
              obj.merge = MergeRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.merge
              })
              break
            }
            case 15: {
              obj.watch = WatchRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.watch
              })
              break
            }
            case 16: {
              obj.watchEvent = WatchEventRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.watchEvent
              })
              break
            }
            case 20: {
              obj.memberInfo = MemberInfoRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.memberInfo
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        if (obj.memberInfo != null) {
          delete obj.watchEvent
          delete obj.watch
          delete obj.merge
          delete obj.fetch
          delete obj.digests
          delete obj.summary
          delete obj.leave
          delete obj.range
          delete obj.store
          delete obj.offer
          delete obj.changed
          delete obj.route
          delete obj.notify
          delete obj.getState
          delete obj.ping
        }

        if (obj.watchEvent != null) {
          delete obj.memberInfo
          delete obj.watch
          delete obj.merge
          delete obj.fetch
          delete obj.digests
          delete obj.summary
          delete obj.leave
          delete obj.range
          delete obj.store
          delete obj.offer
          delete obj.changed
          delete obj.route
          delete obj.notify
          delete obj.getState
          delete obj.ping
        }

        if (obj.watch != null) {
          delete obj.memberInfo
          delete obj.watchEvent
          delete obj.merge
          delete obj.fetch
          delete obj.digests
          delete obj.summary
          delete obj.leave
          delete obj.range
          delete obj.store
          delete obj.offer
          delete obj.changed
          delete obj.route
          delete obj.notify
          delete obj.getState
          delete obj.ping
        }

        if (obj.merge != null) {
          delete obj.memberInfo
          delete obj.watchEvent
          delete obj.watch
          delete obj.fetch
          delete obj.digests
          delete obj.summary
          delete obj.leave
          delete obj.range
          delete obj.store
          delete obj.offer
          delete obj.changed
          delete obj.route
          delete obj.notify
          delete obj.getState
          delete obj.ping
        }

        if (obj.fetch != null) {
          delete obj.memberInfo
          delete obj.watchEvent
          delete obj.watch
          delete obj.merge
          delete obj.digests
          delete obj.summary
          delete obj.leave
          delete obj.range
          delete obj.store
          delete obj.offer
          delete obj.changed
          delete obj.route
          delete obj.notify
          delete obj.getState
          delete obj.ping
        }

        if (obj.digests != null) {
          delete obj.memberInfo
          delete obj.watchEvent
          delete obj.watch
          delete obj.merge
          delete obj.fetch
          delete obj.summary
          delete obj.leave
          delete obj.range
          delete obj.store
          delete obj.offer
          delete obj.changed
          delete obj.route
          delete obj.notify
          delete obj.getState
          delete obj.ping
        }

        if (obj.summary != null) {
          delete obj.memberInfo
          delete obj.watchEvent
          delete obj.watch
          delete obj.merge
          delete obj.fetch
          delete obj.digests
          delete obj.leave
          delete obj.range
          delete obj.store
          delete obj.offer
          delete obj.changed
          delete obj.route
          delete obj.notify
          delete obj.getState
          delete obj.ping
        }

        if (obj.leave != null) {
          delete obj.memberInfo
          delete obj.watchEvent
          delete obj.watch
          delete obj.merge
          delete obj.fetch
          delete obj.digests
          delete obj.summary
          delete obj.range
          delete obj.store
          delete obj.offer
          delete obj.changed
          delete obj.route
          delete obj.notify
          delete obj.getState
          delete obj.ping
        }

        if (obj.range != null) {
          delete obj.memberInfo
          delete obj.watchEvent
          delete obj.watch
          delete obj.merge
          delete obj.fetch
          delete obj.digests
          delete obj.summary
          delete obj.leave
          delete obj.store
          delete obj.offer
          delete obj.changed
          delete obj.route
          delete obj.notify
          delete obj.getState
          delete obj.ping
        }

        if (obj.store != null) {
          delete obj.memberInfo
          delete obj.watchEvent
          delete obj.watch
          delete obj.merge
          delete obj.fetch
          delete obj.digests
          delete obj.summary
          delete obj.leave
          delete obj.range
          delete obj.offer
          delete obj.changed
          delete obj.route
          delete obj.notify
          delete obj.getState
          delete obj.ping
        }

        if (obj.offer != null) {
          delete obj.memberInfo
          delete obj.watchEvent
          delete obj.watch
          delete obj.merge
          delete obj.fetch
          delete obj.digests
          delete obj.summary
          delete obj.leave
          delete obj.range
          delete obj.store
          delete obj.changed
          delete obj.route
          delete obj.notify
          delete obj.getState
          delete obj.ping
        }

        if (obj.changed != null) {
          delete obj.memberInfo
          delete obj.watchEvent
          delete obj.watch
          delete obj.merge
          delete obj.fetch
          delete obj.digests
          delete obj.summary
          delete obj.leave
          delete obj.range
          delete obj.store
          delete obj.offer
          delete obj.route
          delete obj.notify
          delete obj.getState
          delete obj.ping
        }

        if (obj.route != null) {
          delete obj.memberInfo
          delete obj.watchEvent
          delete obj.watch
          delete obj.merge
          delete obj.fetch
          delete obj.digests
          delete obj.summary
          delete obj.leave
          delete obj.range
          delete obj.store
          delete obj.offer
          delete obj.changed
          delete obj.notify
          delete obj.getState
          delete obj.ping
        }

        if (obj.notify != null) {
          delete obj.memberInfo
          delete obj.watchEvent
          delete obj.watch
          delete obj.merge
          delete obj.fetch
          delete obj.digests
          delete obj.summary
          delete obj.leave
          delete obj.range
          delete obj.store
          delete obj.offer
          delete obj.changed
          delete obj.route
          delete obj.getState
          delete obj.ping
        }

        if (obj.getState != null) {
          delete obj.memberInfo
          delete obj.watchEvent
          delete obj.watch
          delete obj.merge
          delete obj.fetch
          delete obj.digests
          delete obj.summary
          delete obj.leave
          delete obj.range
          delete obj.store
          delete obj.offer
          delete obj.changed
          delete obj.route
          delete obj.notify
          delete obj.ping
        }

        if (obj.ping != null) {
          delete obj.memberInfo
          delete obj.watchEvent
          delete obj.watch
          delete obj.merge
          delete obj.fetch
          delete obj.digests
          delete obj.summary
          delete obj.leave
          delete obj.range
          delete obj.store
          delete obj.offer
          delete obj.changed
          delete obj.route
          delete obj.notify
          delete obj.getState
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.id`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield * PingRequest.codec().stream(reader, reader.uint32(), `${prefix}.ping`, {
                limits: opts.limits?.ping
              })

              break
            }
            case 3: {
              yield * GetStateRequest.codec().stream(reader, reader.uint32(), `${prefix}.getState`, {
                limits: opts.limits?.getState
              })

              break
            }
            case 4: {
              yield * NotifyRequest.codec().stream(reader, reader.uint32(), `${prefix}.notify`, {
                limits: opts.limits?.notify
              })

              break
            }
            case 5: {
              yield * RouteRequest.codec().stream(reader, reader.uint32(), `${prefix}.route`, {
                limits: opts.limits?.route
              })

              break
            }
            case 6: {
              yield * ChangedRequest.codec().stream(reader, reader.uint32(), `${prefix}.changed`, {
                limits: opts.limits?.changed
              })

              break
            }
            case 7: {
              yield * OfferRequest.codec().stream(reader, reader.uint32(), `${prefix}.offer`, {
                limits: opts.limits?.offer
              })

              break
            }
            case 8: {
              yield * StoreRequest.codec().stream(reader, reader.uint32(), `${prefix}.store`, {
                limits: opts.limits?.store
              })

              break
            }
            case 9: {
              yield * RangeRequest.codec().stream(reader, reader.uint32(), `${prefix}.range`, {
                limits: opts.limits?.range
              })

              break
            }
            case 10: {
              yield * LeaveRequest.codec().stream(reader, reader.uint32(), `${prefix}.leave`, {
                limits: opts.limits?.leave
              })

              break
            }
            case 11: {
              yield * SummaryRequest.codec().stream(reader, reader.uint32(), `${prefix}.summary`, {
                limits: opts.limits?.summary
              })

              break
            }
            case 12: {
              yield * DigestsRequest.codec().stream(reader, reader.uint32(), `${prefix}.digests`, {
                limits: opts.limits?.digests
              })

              break
            }
            case 13: {
              yield * FetchRequest.codec().stream(reader, reader.uint32(), `${prefix}.fetch`, {
                limits: opts.limits?.fetch
              })

              break
            }
            case 14: {
              yield * MergeRequest.codec().stream(reader, reader.uint32(), `${prefix}.merge`, {
                limits: opts.limits?.merge
              })

              break
            }
            case 15: {
              yield * WatchRequest.codec().stream(reader, reader.uint32(), `${prefix}.watch`, {
                limits: opts.limits?.watch
              })

              break
            }
            case 16: {
              yield * WatchEventRequest.codec().stream(reader, reader.uint32(), `${prefix}.watchEvent`, {
                limits: opts.limits?.watchEvent
              })

              break
            }
            case 20: {
              yield * MemberInfoRequest.codec().stream(reader, reader.uint32(), `${prefix}.memberInfo`, {
                limits: opts.limits?.memberInfo
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RequestIdFieldEvent {
    field: '$.id'
    value: number
  }

  export interface RequestNotifyNodeIdFieldEvent {
    field: '$.notify.node.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestNotifyNodeAddrsFieldEvent {
    field: '$.notify.node.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestRouteKeyFieldEvent {
    field: '$.route.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestRoutePathFieldEvent {
    field: '$.route.path[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestRouteClaimFieldEvent {
    field: '$.route.claim'
    value: Claim
  }

  export interface RequestRouteDeadThroughFieldEvent {
    field: '$.route.deadThrough'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestRouteBudgetMsFieldEvent {
    field: '$.route.budgetMs'
    value: number
  }

  export interface RequestRoutePutKeyFieldEvent {
    field: '$.route.put.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestRoutePutValueFieldEvent {
    field: '$.route.put.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestRoutePutTimestampFieldEvent {
    field: '$.route.put.timestamp'
    value: bigint
  }

  export interface RequestRoutePutWriterFieldEvent {
    field: '$.route.put.writer'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestRoutePutTtlMsFieldEvent {
    field: '$.route.put.ttlMs'
    value: bigint
  }

  export interface RequestRouteGetKeyFieldEvent {
    field: '$.route.get.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestRouteDelKeyFieldEvent {
    field: '$.route.del.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestRouteDelTimestampFieldEvent {
    field: '$.route.del.timestamp'
    value: bigint
  }

  export interface RequestRouteDelWriterFieldEvent {
    field: '$.route.del.writer'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestOfferDigestsKeyFieldEvent {
    field: '$.offer.digests[].key'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RequestOfferDigestsTimestampFieldEvent {
    field: '$.offer.digests[].timestamp'
    value: bigint
    index: number
  }

  export interface RequestOfferDigestsWriterFieldEvent {
    field: '$.offer.digests[].writer'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RequestStoreRecordsKeyFieldEvent {
    field: '$.store.records[].key'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RequestStoreRecordsValueFieldEvent {
    field: '$.store.records[].value'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RequestStoreRecordsTimestampFieldEvent {
    field: '$.store.records[].timestamp'
    value: bigint
    index: number
  }

  export interface RequestStoreRecordsWriterFieldEvent {
    field: '$.store.records[].writer'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface RequestStoreRecordsExpiresAtMsFieldEvent {
    field: '$.store.records[].expiresAtMs'
    value: bigint
    index: number
  }

  export interface RequestRangeFromFieldEvent {
    field: '$.range.from'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestRangeToFieldEvent {
    field: '$.range.to'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestRangeAfterFieldEvent {
    field: '$.range.after'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestRangeLimitFieldEvent {
    field: '$.range.limit'
    value: number
  }

  export interface RequestLeavePredecessorIdFieldEvent {
    field: '$.leave.predecessor.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestLeavePredecessorAddrsFieldEvent {
    field: '$.leave.predecessor.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestLeaveSuccessorIdFieldEvent {
    field: '$.leave.successor.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestLeaveSuccessorAddrsFieldEvent {
    field: '$.leave.successor.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestSummaryFromFieldEvent {
    field: '$.summary.from'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestSummaryToFieldEvent {
    field: '$.summary.to'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestSummaryPartsFieldEvent {
    field: '$.summary.parts'
    value: number
  }

  export interface RequestSummaryOwnerArcFieldEvent {
    field: '$.summary.ownerArc'
    value: boolean
  }

  export interface RequestDigestsFromFieldEvent {
    field: '$.digests.from'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestDigestsToFieldEvent {
    field: '$.digests.to'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestDigestsAfterFieldEvent {
    field: '$.digests.after'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestDigestsLimitFieldEvent {
    field: '$.digests.limit'
    value: number
  }

  export interface RequestFetchKeysFieldEvent {
    field: '$.fetch.keys[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestMergeRingEpochFieldEvent {
    field: '$.merge.ring.epoch'
    value: number
  }

  export interface RequestMergeRingNonceFieldEvent {
    field: '$.merge.ring.nonce'
    value: bigint
  }

  export interface RequestMergeContactIdFieldEvent {
    field: '$.merge.contact.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestMergeContactAddrsFieldEvent {
    field: '$.merge.contact.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestWatchKeyFieldEvent {
    field: '$.watch.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestWatchSinceTimestampFieldEvent {
    field: '$.watch.sinceTimestamp'
    value: bigint
  }

  export interface RequestWatchSinceWriterFieldEvent {
    field: '$.watch.sinceWriter'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestWatchTtlMsFieldEvent {
    field: '$.watch.ttlMs'
    value: number
  }

  export interface RequestWatchEventRecordKeyFieldEvent {
    field: '$.watchEvent.record.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestWatchEventRecordValueFieldEvent {
    field: '$.watchEvent.record.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestWatchEventRecordTimestampFieldEvent {
    field: '$.watchEvent.record.timestamp'
    value: bigint
  }

  export interface RequestWatchEventRecordWriterFieldEvent {
    field: '$.watchEvent.record.writer'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestWatchEventRecordExpiresAtMsFieldEvent {
    field: '$.watchEvent.record.expiresAtMs'
    value: bigint
  }

  export function encode (obj: Partial<Request>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Request.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Request>): Request {
    return decodeMessage(buf, Request.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Request>): Generator<RequestIdFieldEvent | RequestNotifyNodeIdFieldEvent | RequestNotifyNodeAddrsFieldEvent | RequestRouteKeyFieldEvent | RequestRoutePathFieldEvent | RequestRouteClaimFieldEvent | RequestRouteDeadThroughFieldEvent | RequestRouteBudgetMsFieldEvent | RequestRoutePutKeyFieldEvent | RequestRoutePutValueFieldEvent | RequestRoutePutTimestampFieldEvent | RequestRoutePutWriterFieldEvent | RequestRoutePutTtlMsFieldEvent | RequestRouteGetKeyFieldEvent | RequestRouteDelKeyFieldEvent | RequestRouteDelTimestampFieldEvent | RequestRouteDelWriterFieldEvent | RequestOfferDigestsKeyFieldEvent | RequestOfferDigestsTimestampFieldEvent | RequestOfferDigestsWriterFieldEvent | RequestStoreRecordsKeyFieldEvent | RequestStoreRecordsValueFieldEvent | RequestStoreRecordsTimestampFieldEvent | RequestStoreRecordsWriterFieldEvent | RequestStoreRecordsExpiresAtMsFieldEvent | RequestRangeFromFieldEvent | RequestRangeToFieldEvent | RequestRangeAfterFieldEvent | RequestRangeLimitFieldEvent | RequestLeavePredecessorIdFieldEvent | RequestLeavePredecessorAddrsFieldEvent | RequestLeaveSuccessorIdFieldEvent | RequestLeaveSuccessorAddrsFieldEvent | RequestSummaryFromFieldEvent | RequestSummaryToFieldEvent | RequestSummaryPartsFieldEvent | RequestSummaryOwnerArcFieldEvent | RequestDigestsFromFieldEvent | RequestDigestsToFieldEvent | RequestDigestsAfterFieldEvent | RequestDigestsLimitFieldEvent | RequestFetchKeysFieldEvent | RequestMergeRingEpochFieldEvent | RequestMergeRingNonceFieldEvent | RequestMergeContactIdFieldEvent | RequestMergeContactAddrsFieldEvent | RequestWatchKeyFieldEvent | RequestWatchSinceTimestampFieldEvent | RequestWatchSinceWriterFieldEvent | RequestWatchTtlMsFieldEvent | RequestWatchEventRecordKeyFieldEvent | RequestWatchEventRecordValueFieldEvent | RequestWatchEventRecordTimestampFieldEvent | RequestWatchEventRecordWriterFieldEvent | RequestWatchEventRecordExpiresAtMsFieldEvent> {
    return streamMessage(buf, Request.codec(), opts)
  }
}

export interface Response {
  id: number
  status: Status
  error: string
  state?: GetStateResponse
  route?: RouteResponse
  offer?: OfferResponse
  range?: RangeResponse
  summary?: SummaryResponse
  digests?: DigestsResponse
  fetch?: FetchResponse
  merge?: MergeResponse
  watch?: WatchResponse
  memberInfo?: MemberInfoResponse
}

export namespace Response {
  let _codec: Codec<Response>

  export const codec = (): Codec<Response> => {
    if (_codec == null) {
      _codec = message<Response>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        obj = { ...obj }

        if (obj.memberInfo != null) {
          obj.watch = undefined
          obj.merge = undefined
          obj.fetch = undefined
          obj.digests = undefined
          obj.summary = undefined
          obj.range = undefined
          obj.offer = undefined
          obj.route = undefined
          obj.state = undefined
        }

        if (obj.watch != null) {
          obj.memberInfo = undefined
          obj.merge = undefined
          obj.fetch = undefined
          obj.digests = undefined
          obj.summary = undefined
          obj.range = undefined
          obj.offer = undefined
          obj.route = undefined
          obj.state = undefined
        }

        if (obj.merge != null) {
          obj.memberInfo = undefined
          obj.watch = undefined
          obj.fetch = undefined
          obj.digests = undefined
          obj.summary = undefined
          obj.range = undefined
          obj.offer = undefined
          obj.route = undefined
          obj.state = undefined
        }

        if (obj.fetch != null) {
          obj.memberInfo = undefined
          obj.watch = undefined
          obj.merge = undefined
          obj.digests = undefined
          obj.summary = undefined
          obj.range = undefined
          obj.offer = undefined
          obj.route = undefined
          obj.state = undefined
        }

        if (obj.digests != null) {
          obj.memberInfo = undefined
          obj.watch = undefined
          obj.merge = undefined
          obj.fetch = undefined
          obj.summary = undefined
          obj.range = undefined
          obj.offer = undefined
          obj.route = undefined
          obj.state = undefined
        }

        if (obj.summary != null) {
          obj.memberInfo = undefined
          obj.watch = undefined
          obj.merge = undefined
          obj.fetch = undefined
          obj.digests = undefined
          obj.range = undefined
          obj.offer = undefined
          obj.route = undefined
          obj.state = undefined
        }

        if (obj.range != null) {
          obj.memberInfo = undefined
          obj.watch = undefined
          obj.merge = undefined
          obj.fetch = undefined
          obj.digests = undefined
          obj.summary = undefined
          obj.offer = undefined
          obj.route = undefined
          obj.state = undefined
        }

        if (obj.offer != null) {
          obj.memberInfo = undefined
          obj.watch = undefined
          obj.merge = undefined
          obj.fetch = undefined
          obj.digests = undefined
          obj.summary = undefined
          obj.range = undefined
          obj.route = undefined
          obj.state = undefined
        }

        if (obj.route != null) {
          obj.memberInfo = undefined
          obj.watch = undefined
          obj.merge = undefined
          obj.fetch = undefined
          obj.digests = undefined
          obj.summary = undefined
          obj.range = undefined
          obj.offer = undefined
          obj.state = undefined
        }

        if (obj.state != null) {
          obj.memberInfo = undefined
          obj.watch = undefined
          obj.merge = undefined
          obj.fetch = undefined
          obj.digests = undefined
          obj.summary = undefined
          obj.range = undefined
          obj.offer = undefined
          obj.route = undefined
        }

        if ((obj.id != null && obj.id !== 0)) {
          w.uint32(8)
          w.uint32(obj.id)
        }

        if (obj.status != null && __StatusValues[obj.status] !== 0) {
          w.uint32(16)
          Status.codec().encode(obj.status, w)
        }

        if ((obj.error != null && obj.error !== '')) {
          w.uint32(26)
          w.string(obj.error)
        }

        if (obj.state != null) {
          w.uint32(34)
          GetStateResponse.codec().encode(obj.state, w)
        }

        if (obj.route != null) {
          w.uint32(42)
          RouteResponse.codec().encode(obj.route, w)
        }

        if (obj.offer != null) {
          w.uint32(50)
          OfferResponse.codec().encode(obj.offer, w)
        }

        if (obj.range != null) {
          w.uint32(58)
          RangeResponse.codec().encode(obj.range, w)
        }

        if (obj.summary != null) {
          w.uint32(66)
          SummaryResponse.codec().encode(obj.summary, w)
        }

        if (obj.digests != null) {
          w.uint32(74)
          DigestsResponse.codec().encode(obj.digests, w)
        }

        if (obj.fetch != null) {
          w.uint32(82)
          FetchResponse.codec().encode(obj.fetch, w)
        }

        if (obj.merge != null) {
          w.uint32(90)
          MergeResponse.codec().encode(obj.merge, w)
        }

        if (obj.watch != null) {
          w.uint32(98)
          WatchResponse.codec().encode(obj.watch, w)
        }

        if (obj.memberInfo != null) {
          w.uint32(162)
          MemberInfoResponse.codec().encode(obj.memberInfo, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: 0,
          status: Status.OK,
          error: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.uint32()
              break
            }
            case 2: {
              obj.status = Status.codec().decode(reader)
              break
            }
            case 3: {
              obj.error = reader.string()
              break
            }
            case 4: {
              obj.state = GetStateResponse.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.state
              })
              break
            }
            case 5: {
              obj.route = RouteResponse.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.route
              })
              break
            }
            case 6: {
              obj.offer = OfferResponse.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.offer
              })
              break
            }
            case 7: {
              obj.range = RangeResponse.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.range
              })
              break
            }
            case 8: {
              obj.summary = SummaryResponse.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.summary
              })
              break
            }
            case 9: {
              obj.digests = DigestsResponse.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.digests
              })
              break
            }
            case 10: {
              obj.fetch = FetchResponse.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.fetch
              })
              break
            }
            case 11: {
              obj.merge = MergeResponse.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.merge
              })
              break
            }
            case 12: {
              obj.watch = WatchResponse.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.watch
              })
              break
            }
            case 20: {
              obj.memberInfo = MemberInfoResponse.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.memberInfo
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        if (obj.memberInfo != null) {
          delete obj.watch
          delete obj.merge
          delete obj.fetch
          delete obj.digests
          delete obj.summary
          delete obj.range
          delete obj.offer
          delete obj.route
          delete obj.state
        }

        if (obj.watch != null) {
          delete obj.memberInfo
          delete obj.merge
          delete obj.fetch
          delete obj.digests
          delete obj.summary
          delete obj.range
          delete obj.offer
          delete obj.route
          delete obj.state
        }

        if (obj.merge != null) {
          delete obj.memberInfo
          delete obj.watch
          delete obj.fetch
          delete obj.digests
          delete obj.summary
          delete obj.range
          delete obj.offer
          delete obj.route
          delete obj.state
        }

        if (obj.fetch != null) {
          delete obj.memberInfo
          delete obj.watch
          delete obj.merge
          delete obj.digests
          delete obj.summary
          delete obj.range
          delete obj.offer
          delete obj.route
          delete obj.state
        }

        if (obj.digests != null) {
          delete obj.memberInfo
          delete obj.watch
          delete obj.merge
          delete obj.fetch
          delete obj.summary
          delete obj.range
          delete obj.offer
          delete obj.route
          delete obj.state
        }

        if (obj.summary != null) {
          delete obj.memberInfo
          delete obj.watch
          delete obj.merge
          delete obj.fetch
          delete obj.digests
          delete obj.range
          delete obj.offer
          delete obj.route
          delete obj.state
        }

        if (obj.range != null) {
          delete obj.memberInfo
          delete obj.watch
          delete obj.merge
          delete obj.fetch
          delete obj.digests
          delete obj.summary
          delete obj.offer
          delete obj.route
          delete obj.state
        }

        if (obj.offer != null) {
          delete obj.memberInfo
          delete obj.watch
          delete obj.merge
          delete obj.fetch
          delete obj.digests
          delete obj.summary
          delete obj.range
          delete obj.route
          delete obj.state
        }

        if (obj.route != null) {
          delete obj.memberInfo
          delete obj.watch
          delete obj.merge
          delete obj.fetch
          delete obj.digests
          delete obj.summary
          delete obj.range
          delete obj.offer
          delete obj.state
        }

        if (obj.state != null) {
          delete obj.memberInfo
          delete obj.watch
          delete obj.merge
          delete obj.fetch
          delete obj.digests
          delete obj.summary
          delete obj.range
          delete obj.offer
          delete obj.route
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.id`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.status`,
                value: Status.codec().decode(reader)
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.error`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield * GetStateResponse.codec().stream(reader, reader.uint32(), `${prefix}.state`, {
                limits: opts.limits?.state
              })

              break
            }
            case 5: {
              yield * RouteResponse.codec().stream(reader, reader.uint32(), `${prefix}.route`, {
                limits: opts.limits?.route
              })

              break
            }
            case 6: {
              yield * OfferResponse.codec().stream(reader, reader.uint32(), `${prefix}.offer`, {
                limits: opts.limits?.offer
              })

              break
            }
            case 7: {
              yield * RangeResponse.codec().stream(reader, reader.uint32(), `${prefix}.range`, {
                limits: opts.limits?.range
              })

              break
            }
            case 8: {
              yield * SummaryResponse.codec().stream(reader, reader.uint32(), `${prefix}.summary`, {
                limits: opts.limits?.summary
              })

              break
            }
            case 9: {
              yield * DigestsResponse.codec().stream(reader, reader.uint32(), `${prefix}.digests`, {
                limits: opts.limits?.digests
              })

              break
            }
            case 10: {
              yield * FetchResponse.codec().stream(reader, reader.uint32(), `${prefix}.fetch`, {
                limits: opts.limits?.fetch
              })

              break
            }
            case 11: {
              yield * MergeResponse.codec().stream(reader, reader.uint32(), `${prefix}.merge`, {
                limits: opts.limits?.merge
              })

              break
            }
            case 12: {
              yield * WatchResponse.codec().stream(reader, reader.uint32(), `${prefix}.watch`, {
                limits: opts.limits?.watch
              })

              break
            }
            case 20: {
              yield * MemberInfoResponse.codec().stream(reader, reader.uint32(), `${prefix}.memberInfo`, {
                limits: opts.limits?.memberInfo
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ResponseIdFieldEvent {
    field: '$.id'
    value: number
  }

  export interface ResponseStatusFieldEvent {
    field: '$.status'
    value: Status
  }

  export interface ResponseErrorFieldEvent {
    field: '$.error'
    value: string
  }

  export interface ResponseStatePredecessorIdFieldEvent {
    field: '$.state.predecessor.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseStatePredecessorAddrsFieldEvent {
    field: '$.state.predecessor.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseStateSuccessorsIdFieldEvent {
    field: '$.state.successors[].id'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ResponseStateSuccessorsAddrsFieldEvent {
    field: '$.state.successors[].addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseStateMemberFieldEvent {
    field: '$.state.member'
    value: boolean
  }

  export interface ResponseStateRingEpochFieldEvent {
    field: '$.state.ring.epoch'
    value: number
  }

  export interface ResponseStateRingNonceFieldEvent {
    field: '$.state.ring.nonce'
    value: bigint
  }

  export interface ResponseRouteOwnerIdFieldEvent {
    field: '$.route.owner.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseRouteOwnerAddrsFieldEvent {
    field: '$.route.owner.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseRouteHopsFieldEvent {
    field: '$.route.hops'
    value: number
  }

  export interface ResponseRoutePathFieldEvent {
    field: '$.route.path[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseRouteRecordKeyFieldEvent {
    field: '$.route.record.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseRouteRecordValueFieldEvent {
    field: '$.route.record.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseRouteRecordTimestampFieldEvent {
    field: '$.route.record.timestamp'
    value: bigint
  }

  export interface ResponseRouteRecordWriterFieldEvent {
    field: '$.route.record.writer'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseRouteRecordExpiresAtMsFieldEvent {
    field: '$.route.record.expiresAtMs'
    value: bigint
  }

  export interface ResponseRouteExistedFieldEvent {
    field: '$.route.existed'
    value: boolean
  }

  export interface ResponseRouteReplicasFieldEvent {
    field: '$.route.replicas'
    value: number
  }

  export interface ResponseRouteOwnerPredecessorFieldEvent {
    field: '$.route.ownerPredecessor'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseOfferWantedFieldEvent {
    field: '$.offer.wanted[]'
    index: number
    value: number
  }

  export interface ResponseRangeRecordsKeyFieldEvent {
    field: '$.range.records[].key'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ResponseRangeRecordsValueFieldEvent {
    field: '$.range.records[].value'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ResponseRangeRecordsTimestampFieldEvent {
    field: '$.range.records[].timestamp'
    value: bigint
    index: number
  }

  export interface ResponseRangeRecordsWriterFieldEvent {
    field: '$.range.records[].writer'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ResponseRangeRecordsExpiresAtMsFieldEvent {
    field: '$.range.records[].expiresAtMs'
    value: bigint
    index: number
  }

  export interface ResponseRangeMoreFieldEvent {
    field: '$.range.more'
    value: boolean
  }

  export interface ResponseSummaryArcsHashFieldEvent {
    field: '$.summary.arcs[].hash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ResponseSummaryArcsCountFieldEvent {
    field: '$.summary.arcs[].count'
    value: number
    index: number
  }

  export interface ResponseDigestsDigestsKeyFieldEvent {
    field: '$.digests.digests[].key'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ResponseDigestsDigestsTimestampFieldEvent {
    field: '$.digests.digests[].timestamp'
    value: bigint
    index: number
  }

  export interface ResponseDigestsDigestsWriterFieldEvent {
    field: '$.digests.digests[].writer'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ResponseDigestsMoreFieldEvent {
    field: '$.digests.more'
    value: boolean
  }

  export interface ResponseFetchRecordsKeyFieldEvent {
    field: '$.fetch.records[].key'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ResponseFetchRecordsValueFieldEvent {
    field: '$.fetch.records[].value'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ResponseFetchRecordsTimestampFieldEvent {
    field: '$.fetch.records[].timestamp'
    value: bigint
    index: number
  }

  export interface ResponseFetchRecordsWriterFieldEvent {
    field: '$.fetch.records[].writer'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ResponseFetchRecordsExpiresAtMsFieldEvent {
    field: '$.fetch.records[].expiresAtMs'
    value: bigint
    index: number
  }

  export interface ResponseFetchServedFieldEvent {
    field: '$.fetch.served'
    value: number
  }

  export interface ResponseMergeRingEpochFieldEvent {
    field: '$.merge.ring.epoch'
    value: number
  }

  export interface ResponseMergeRingNonceFieldEvent {
    field: '$.merge.ring.nonce'
    value: bigint
  }

  export interface ResponseWatchRecordKeyFieldEvent {
    field: '$.watch.record.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseWatchRecordValueFieldEvent {
    field: '$.watch.record.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseWatchRecordTimestampFieldEvent {
    field: '$.watch.record.timestamp'
    value: bigint
  }

  export interface ResponseWatchRecordWriterFieldEvent {
    field: '$.watch.record.writer'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseWatchRecordExpiresAtMsFieldEvent {
    field: '$.watch.record.expiresAtMs'
    value: bigint
  }

  export interface ResponseMemberInfoSelfIdFieldEvent {
    field: '$.memberInfo.self.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseMemberInfoSelfAddrsFieldEvent {
    field: '$.memberInfo.self.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseMemberInfoPredecessorIdFieldEvent {
    field: '$.memberInfo.predecessor.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseMemberInfoPredecessorAddrsFieldEvent {
    field: '$.memberInfo.predecessor.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseMemberInfoSuccessorsIdFieldEvent {
    field: '$.memberInfo.successors[].id'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ResponseMemberInfoSuccessorsAddrsFieldEvent {
    field: '$.memberInfo.successors[].addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseMemberInfoFingersIdFieldEvent {
    field: '$.memberInfo.fingers[].id'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ResponseMemberInfoFingersAddrsFieldEvent {
    field: '$.memberInfo.fingers[].addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseMemberInfoMemberFieldEvent {
    field: '$.memberInfo.member'
    value: boolean
  }

  export interface ResponseMemberInfoLeavingFieldEvent {
    field: '$.memberInfo.leaving'
    value: boolean
  }

  export interface ResponseMemberInfoSuccessorListLengthFieldEvent {
    field: '$.memberInfo.successorListLength'
    value: number
  }

  export interface ResponseMemberInfoReplicationFactorFieldEvent {
    field: '$.memberInfo.replicationFactor'
    value: number
  }

  export interface ResponseMemberInfoKeysFieldEvent {
    field: '$.memberInfo.keys'
    value: bigint
  }

  export interface ResponseMemberInfoKeysOwnedFieldEvent {
    field: '$.memberInfo.keysOwned'
    value: bigint
  }

  export interface ResponseMemberInfoTombstonesFieldEvent {
    field: '$.memberInfo.tombstones'
    value: bigint
  }

  export interface ResponseMemberInfoVersionFieldEvent {
    field: '$.memberInfo.version'
    value: string
  }

  export function encode (obj: Partial<Response>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Response.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Response>): Response {
    return decodeMessage(buf, Response.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Response>): Generator<ResponseIdFieldEvent | ResponseStatusFieldEvent | ResponseErrorFieldEvent | ResponseStatePredecessorIdFieldEvent | ResponseStatePredecessorAddrsFieldEvent | ResponseStateSuccessorsIdFieldEvent | ResponseStateSuccessorsAddrsFieldEvent | ResponseStateMemberFieldEvent | ResponseStateRingEpochFieldEvent | ResponseStateRingNonceFieldEvent | ResponseRouteOwnerIdFieldEvent | ResponseRouteOwnerAddrsFieldEvent | ResponseRouteHopsFieldEvent | ResponseRoutePathFieldEvent | ResponseRouteRecordKeyFieldEvent | ResponseRouteRecordValueFieldEvent | ResponseRouteRecordTimestampFieldEvent | ResponseRouteRecordWriterFieldEvent | ResponseRouteRecordExpiresAtMsFieldEvent | ResponseRouteExistedFieldEvent | ResponseRouteReplicasFieldEvent | ResponseRouteOwnerPredecessorFieldEvent | ResponseOfferWantedFieldEvent | ResponseRangeRecordsKeyFieldEvent | ResponseRangeRecordsValueFieldEvent | ResponseRangeRecordsTimestampFieldEvent | ResponseRangeRecordsWriterFieldEvent | ResponseRangeRecordsExpiresAtMsFieldEvent | ResponseRangeMoreFieldEvent | ResponseSummaryArcsHashFieldEvent | ResponseSummaryArcsCountFieldEvent | ResponseDigestsDigestsKeyFieldEvent | ResponseDigestsDigestsTimestampFieldEvent | ResponseDigestsDigestsWriterFieldEvent | ResponseDigestsMoreFieldEvent | ResponseFetchRecordsKeyFieldEvent | ResponseFetchRecordsValueFieldEvent | ResponseFetchRecordsTimestampFieldEvent | ResponseFetchRecordsWriterFieldEvent | ResponseFetchRecordsExpiresAtMsFieldEvent | ResponseFetchServedFieldEvent | ResponseMergeRingEpochFieldEvent | ResponseMergeRingNonceFieldEvent | ResponseWatchRecordKeyFieldEvent | ResponseWatchRecordValueFieldEvent | ResponseWatchRecordTimestampFieldEvent | ResponseWatchRecordWriterFieldEvent | ResponseWatchRecordExpiresAtMsFieldEvent | ResponseMemberInfoSelfIdFieldEvent | ResponseMemberInfoSelfAddrsFieldEvent | ResponseMemberInfoPredecessorIdFieldEvent | ResponseMemberInfoPredecessorAddrsFieldEvent | ResponseMemberInfoSuccessorsIdFieldEvent | ResponseMemberInfoSuccessorsAddrsFieldEvent | ResponseMemberInfoFingersIdFieldEvent | ResponseMemberInfoFingersAddrsFieldEvent | ResponseMemberInfoMemberFieldEvent | ResponseMemberInfoLeavingFieldEvent | ResponseMemberInfoSuccessorListLengthFieldEvent | ResponseMemberInfoReplicationFactorFieldEvent | ResponseMemberInfoKeysFieldEvent | ResponseMemberInfoKeysOwnedFieldEvent | ResponseMemberInfoTombstonesFieldEvent | ResponseMemberInfoVersionFieldEvent> {
    return streamMessage(buf, Response.codec(), opts)
  }
}
