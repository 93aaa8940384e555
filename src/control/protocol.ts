import { BadRequestError, type ErrorCode } from '../errors.js'
import type { Replies } from './replies.js'
import type { Version } from '../protocol/record.js'

/**
 * The control-socket protocol: one JSON object per line each way. Every
 * request may carry an `id` (number or string) that its response echoes, so
 * requests can be pipelined and answered out of order.
 *
 *   {"id":1,"op":"put","key":"k","value":"v"}  → {"id":1,"ok":true,"replicas":3}
 *   (+ "ttlMs":30000: the value expires 30 s after it was written)
 *   {"id":2,"op":"get","key":"k"}              → {"id":2,"ok":true,"value":"v"}
 *   {"id":3,"op":"del","key":"k"}              → {"id":3,"ok":true}  (+ "existed":false if nothing was there)
 *   {"id":4,"op":"lookup","key":"k"}           → {"id":4,"ok":true,"keyId":…,"peerId":…,"ringId":…,"replicas":[…],"hops":…,"path":[…]}
 *   {"id":5,"op":"status"}                     → {"id":5,"ok":true,"peerId":…,…}
 *   {"id":8,"op":"ring"}                       → {"id":8,"ok":true,"closed":true,"members":[…],"warnings":[]}
 *   {"id":7,"op":"health"}                     → {"id":7,"ok":true,"healthy":true,"state":"joined","reasons":[]}
 *   {"id":6,"op":"leave"}                      → {"id":6,"ok":true,"handoff":true}, then the peer hands off and exits
 *   {"id":6,"op":"leave","wait":true}          → the same once the hand-off is done (HANDOFF_FAILED if it failed)
 *   {"id":9,"op":"watch","key":"k"}            → {"id":9,"ok":true}, then events on the same connection:
 *       {"id":9,"event":"put","value":"v","version":"…"}, "del", "expired", "resync", "overflow" (the end)
 *   {"id":10,"op":"unwatch","watch":9}         → {"id":10,"ok":true}: no more events for 9
 * Errors: {"id":…,"ok":false,"error":{"code":"BAD_REQUEST","message":"…"}}.
 * A kad-mode peer answers del with the code NOT_SUPPORTED, put with a
 * `replicas` count, and lookup and status with kad's view (docs/overlays.md).
 * With "encoding":"base64", keys and values in the request and its
 * response are base64.
 */

export type RequestId = number | string

export const OPS = ['put', 'get', 'del', 'lookup', 'status', 'ring', 'health', 'leave', 'watch', 'unwatch'] as const
export type Op = typeof OPS[number]

export type ControlRequest =
  | { readonly op: 'put', readonly key: Uint8Array, readonly value: Uint8Array, readonly ttlMs?: number, readonly base64: boolean }
  | { readonly op: 'get' | 'del' | 'lookup', readonly key: Uint8Array, readonly base64: boolean }
  | { readonly op: 'status' | 'ring' | 'health', readonly base64: boolean }
  | { readonly op: 'leave', readonly wait: boolean, readonly base64: boolean }
  | { readonly op: 'watch', readonly key: Uint8Array, readonly since: Version | undefined, readonly base64: boolean }
  | { readonly op: 'unwatch', readonly watch: RequestId, readonly base64: boolean }

export interface ErrorBody {
  readonly code: ErrorCode
  readonly message: string
}

/**
 * A response line (control/replies.ts has each op's reply): `"ok":true`
 * and the op's reply, or `"ok":false` and the error. The id is the
 * request's, added as the line is sent.
 */
export type ControlResponse<O extends Op = Op> =
  | ({ readonly id?: RequestId, readonly ok: true } & Replies[O])
  | { readonly id?: RequestId, readonly ok: false, readonly error: ErrorBody }

/** A response line as read off a socket, before its op's reply type is known (raw clients, tests). */
export type ResponseLine = Readonly<Record<string, unknown>> & { readonly ok: boolean, readonly id?: RequestId }

/** An op's answer line. */
export function okResponse<O extends Op> (_op: O, reply: Replies[O]): ControlResponse<O> {
  return { ok: true, ...reply }
}

/** The result of reading one request line: the request, or an error to answer, with the id if one was read. */
export type Parsed =
  | { readonly id?: RequestId, readonly request: ControlRequest }
  | { readonly id?: RequestId, readonly error: BadRequestError }

/** Parses and checks one request line (without its newline). */
export function parseRequest (line: string): Parsed {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch (err) {
    return { error: new BadRequestError(`malformed JSON: ${(err as Error).message}`) }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { error: new BadRequestError(`a request must be a JSON object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`) }
  }
  const obj = value as Record<string, unknown>
  const rawId = obj.id
  if (rawId !== undefined && typeof rawId !== 'string' && !(typeof rawId === 'number' && Number.isFinite(rawId))) {
    return { error: new BadRequestError('id must be a number or a string') }
  }
  const id = rawId as RequestId | undefined
  try {
    return { id, request: checkRequest(obj) }
  } catch (err) {
    if (err instanceof BadRequestError) return { id, error: err }
    throw err
  }
}

/** The fields each op takes besides id, op and encoding. */
const FIELDS: Readonly<Record<Op, readonly string[]>> = {
  put: ['key', 'value', 'ttlMs'],
  get: ['key'],
  del: ['key'],
  lookup: ['key'],
  status: [],
  ring: [],
  health: [],
  leave: ['wait'],
  watch: ['key', 'since'],
  unwatch: ['watch']
}

/**
 * Refuses a field the op does not take: served as if absent, a misspelt or
 * newer field would silently change what the request means.
 */
function refuseUnknownFields (op: Op, obj: Record<string, unknown>): void {
  const known = FIELDS[op]
  for (const field of Object.keys(obj)) {
    if (field === 'id' || field === 'op' || field === 'encoding' || known.includes(field)) continue
    const takes = known.length === 0 ? 'takes no fields' : `takes ${known.map(f => `"${f}"`).join(', ')}`
    throw new BadRequestError(`unknown field ${JSON.stringify(field)}: ${op} ${takes} (besides "id" and "encoding")`)
  }
}

function checkRequest (obj: Record<string, unknown>): ControlRequest {
  const { op, encoding } = obj
  if (op === undefined) throw new BadRequestError('missing field "op"')
  if (typeof op !== 'string') throw new BadRequestError('field "op" must be a string')
  if (!(OPS as readonly string[]).includes(op)) throw new BadRequestError(`unknown op ${JSON.stringify(op)}; expected one of ${OPS.join(', ')}`)
  refuseUnknownFields(op as Op, obj)
  if (encoding !== undefined && encoding !== 'utf8' && encoding !== 'base64') {
    throw new BadRequestError(`field "encoding" must be "utf8" or "base64", got ${JSON.stringify(encoding)}`)
  }
  const base64 = encoding === 'base64'
  switch (op as Op) {
    case 'status':
    case 'ring':
    case 'health':
      return { op: op as 'status' | 'ring' | 'health', base64 }
    case 'leave': {
      const { wait } = obj
      if (wait !== undefined && typeof wait !== 'boolean') throw new BadRequestError(`field "wait" must be true or false, got ${JSON.stringify(wait)}`)
      return { op: 'leave', wait: wait === true, base64 }
    }
    case 'watch': {
      const { since } = obj
      if (since !== undefined && typeof since !== 'string') throw new BadRequestError(`field "since" must be a version string as events carry it, got ${JSON.stringify(since)}`)
      return { op: 'watch', key: bytesField(obj, 'key', base64), since: since === undefined ? undefined : parseVersion(since), base64 }
    }
    case 'unwatch': {
      const { watch } = obj
      if (typeof watch !== 'string' && !(typeof watch === 'number' && Number.isFinite(watch))) throw new BadRequestError(`field "watch" must be the id of a watch request on this connection, got ${JSON.stringify(watch)}`)
      return { op: 'unwatch', watch, base64 }
    }
    case 'put': {
      const put = { op: 'put' as const, key: bytesField(obj, 'key', base64), value: bytesField(obj, 'value', base64, true), base64 }
      const { ttlMs } = obj
      if (ttlMs === undefined) return put
      if (typeof ttlMs !== 'number' || !Number.isSafeInteger(ttlMs) || ttlMs < 1) throw new BadRequestError(`field "ttlMs" must be a whole number of milliseconds ≥ 1, got ${JSON.stringify(ttlMs)}`)
      return { ...put, ttlMs }
    }
    default:
      return { op: op as 'get' | 'del' | 'lookup', key: bytesField(obj, 'key', base64), base64 }
  }
}

function bytesField (obj: Record<string, unknown>, name: string, base64: boolean, emptyOk = false): Uint8Array {
  const value = obj[name]
  if (value === undefined) throw new BadRequestError(`missing field "${name}"`)
  if (typeof value !== 'string') throw new BadRequestError(`field "${name}" must be a string${base64 ? ' of base64' : ''}, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`)
  if (!emptyOk && value === '') throw new BadRequestError(`field "${name}" must not be empty`)
  if (!base64) return new TextEncoder().encode(value)
  // Canonical base64 only: decoding and encoding again must give the text back
  // (linear time; a regular expression over a multi-MiB value overflowed the stack).
  const bytes = Buffer.from(value, 'base64')
  if (bytes.toString('base64') !== value) throw new BadRequestError(`field "${name}" is not valid base64`)
  // A small Buffer is a slice of Node's shared pool: copy it, so a stored value does not pin the pool.
  return bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes)
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Encodes bytes for a response, as the request asked; bytes that are not UTF-8 need base64. */
export function encodeBytes (bytes: Uint8Array, base64: boolean, field: string): string {
  if (base64) return Buffer.from(bytes).toString('base64')
  try {
    return utf8.decode(bytes)
  } catch {
    throw new BadRequestError(`the ${field} is not valid UTF-8; ask again with "encoding":"base64"`)
  }
}

/** The longest request line a peer with these limits must accept: base64 of the largest value plus the key and the JSON around them. */
export function maxRequestLineBytes (limits: { readonly maxKeyBytes: number, readonly maxValueBytes: number }): number {
  return Math.ceil((limits.maxValueBytes + limits.maxKeyBytes) * 4 / 3) + 4096
}

/** An error response line. */
export function errorResponse (id: RequestId | undefined, code: ErrorCode, message: string): ControlResponse {
  return { ...(id === undefined ? {} : { id }), ok: false, error: { code, message } }
}

/** A version as events carry it: `<timestamp>/<writer peer ID>`. */
export function formatVersion (version: Version): string {
  return `${version.timestamp}/${version.writer}`
}

/** A version an event carried (see {@link formatVersion}); anything else is refused by name. */
export function parseVersion (text: string): Version {
  const match = /^(\d{1,20})\/([1-9A-HJ-NP-Za-km-z]{1,128})$/.exec(text)
  if (match === null) throw new BadRequestError(`field "since" must be a version as events carry it (<timestamp>/<peer ID>), got ${JSON.stringify(text)}`)
  return { timestamp: BigInt(match[1] as string), writer: match[2] as string }
}
