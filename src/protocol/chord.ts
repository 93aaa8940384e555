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
  INTERNAL = 'INTERNAL'
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
  INTERNAL = 9
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

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          successors: []
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

  export function encode (obj: Partial<GetStateResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GetStateResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GetStateResponse>): GetStateResponse {
    return decodeMessage(buf, GetStateResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GetStateResponse>): Generator<GetStateResponsePredecessorIdFieldEvent | GetStateResponsePredecessorAddrsFieldEvent | GetStateResponseSuccessorsIdFieldEvent | GetStateResponseSuccessorsAddrsFieldEvent> {
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

export interface RouteRequest {
  key: Uint8Array<ArrayBuffer>
  path: Uint8Array<ArrayBuffer>[]
  claim: Claim
  deadThrough: Uint8Array<ArrayBuffer>
  budgetMs: number
  lookup?: LookupOp
}

export namespace RouteRequest {
  let _codec: Codec<RouteRequest>

  export const codec = (): Codec<RouteRequest> => {
    if (_codec == null) {
      _codec = message<RouteRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
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

  export function encode (obj: Partial<RouteRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RouteRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RouteRequest>): RouteRequest {
    return decodeMessage(buf, RouteRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RouteRequest>): Generator<RouteRequestKeyFieldEvent | RouteRequestPathFieldEvent | RouteRequestClaimFieldEvent | RouteRequestDeadThroughFieldEvent | RouteRequestBudgetMsFieldEvent> {
    return streamMessage(buf, RouteRequest.codec(), opts)
  }
}

export interface RouteResponse {
  owner?: Peer
  hops: number
  path: Uint8Array<ArrayBuffer>[]
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

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          hops: 0,
          path: []
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

  export function encode (obj: Partial<RouteResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RouteResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RouteResponse>): RouteResponse {
    return decodeMessage(buf, RouteResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RouteResponse>): Generator<RouteResponseOwnerIdFieldEvent | RouteResponseOwnerAddrsFieldEvent | RouteResponseHopsFieldEvent | RouteResponsePathFieldEvent> {
    return streamMessage(buf, RouteResponse.codec(), opts)
  }
}

export interface Request {
  id: number
  ping?: PingRequest
  getState?: GetStateRequest
  notify?: NotifyRequest
  route?: RouteRequest
  changed?: ChangedRequest
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

        if (obj.changed != null) {
          obj.route = undefined
          obj.notify = undefined
          obj.getState = undefined
          obj.ping = undefined
        }

        if (obj.route != null) {
          obj.changed = undefined
          obj.notify = undefined
          obj.getState = undefined
          obj.ping = undefined
        }

        if (obj.notify != null) {
          obj.changed = undefined
          obj.route = undefined
          obj.getState = undefined
          obj.ping = undefined
        }

        if (obj.getState != null) {
          obj.changed = undefined
          obj.route = undefined
          obj.notify = undefined
          obj.ping = undefined
        }

        if (obj.ping != null) {
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
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        if (obj.changed != null) {
          delete obj.route
          delete obj.notify
          delete obj.getState
          delete obj.ping
        }

        if (obj.route != null) {
          delete obj.changed
          delete obj.notify
          delete obj.getState
          delete obj.ping
        }

        if (obj.notify != null) {
          delete obj.changed
          delete obj.route
          delete obj.getState
          delete obj.ping
        }

        if (obj.getState != null) {
          delete obj.changed
          delete obj.route
          delete obj.notify
          delete obj.ping
        }

        if (obj.ping != null) {
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

  export function encode (obj: Partial<Request>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Request.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Request>): Request {
    return decodeMessage(buf, Request.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Request>): Generator<RequestIdFieldEvent | RequestNotifyNodeIdFieldEvent | RequestNotifyNodeAddrsFieldEvent | RequestRouteKeyFieldEvent | RequestRoutePathFieldEvent | RequestRouteClaimFieldEvent | RequestRouteDeadThroughFieldEvent | RequestRouteBudgetMsFieldEvent> {
    return streamMessage(buf, Request.codec(), opts)
  }
}

export interface Response {
  id: number
  status: Status
  error: string
  state?: GetStateResponse
  route?: RouteResponse
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

        if (obj.route != null) {
          obj.state = undefined
        }

        if (obj.state != null) {
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
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        if (obj.route != null) {
          delete obj.state
        }

        if (obj.state != null) {
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

  export function encode (obj: Partial<Response>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Response.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Response>): Response {
    return decodeMessage(buf, Response.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Response>): Generator<ResponseIdFieldEvent | ResponseStatusFieldEvent | ResponseErrorFieldEvent | ResponseStatePredecessorIdFieldEvent | ResponseStatePredecessorAddrsFieldEvent | ResponseStateSuccessorsIdFieldEvent | ResponseStateSuccessorsAddrsFieldEvent | ResponseRouteOwnerIdFieldEvent | ResponseRouteOwnerAddrsFieldEvent | ResponseRouteHopsFieldEvent | ResponseRoutePathFieldEvent> {
    return streamMessage(buf, Response.codec(), opts)
  }
}
