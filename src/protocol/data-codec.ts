import { BadRequestError } from '../errors.js'
import { idToBytes, SHA256_SPACE, type RingId } from '../ring/ids.js'
import { decodeRingId } from './codec.js'
import { MAX_PARTS } from './constants.js'
import { decodeDigest, decodeRecord, decodeVersion, encodeDigest, encodeRecord, encodeVersion } from './record-codec.js'
import type * as pb from './chord.js'
import type { ArcSummary, DigestPage, FetchResult, KvRecord, RecordDigest, WatchQuery } from './messages.js'

/**
 * The pb↔domain conversions of the messages that move records (offer,
 * store, range, summary, digests, fetch). Requests and replies both ways:
 * the client encodes a request and decodes its reply, the handler the
 * reverse. Every decoder checks what a remote peer could get wrong and
 * throws {@link BadRequestError} naming the field.
 */

/** A page of what a peer holds in the ring arc (from, to]: records or digests after `after`. */
export interface ArcPageQuery {
  readonly from: RingId
  readonly to: RingId
  /** The key the previous page ended with; none starts at the beginning of the arc. */
  readonly after: Uint8Array | undefined
  readonly limit: number
}

/** Digests of `parts` equal sub-arcs of (from, to]; see `DataTransport.summary`. */
export interface SummaryQuery {
  readonly from: RingId
  readonly to: RingId
  readonly parts: number
  readonly ownerArc: boolean
}

export function encodeOffer (digests: readonly RecordDigest[]): pb.OfferRequest {
  return { digests: digests.map(encodeDigest) }
}

export function decodeOffer (offer: pb.OfferRequest): RecordDigest[] {
  return offer.digests.map((d, i) => decodeDigest(d, `digests[${i}]`))
}

/** The indexes of the offered records the peer wants; `offered` is how many were offered. */
export function decodeOfferReply (reply: pb.OfferResponse | undefined, offered: number): number[] {
  // Never read a missing answer as "wants nothing": the offered records would be deleted.
  if (reply === undefined) throw new BadRequestError('offer reply has no body')
  if (reply.wanted.some(i => i >= offered)) throw new BadRequestError('offer reply names records that were not offered')
  return reply.wanted
}

export function encodeStore (records: readonly KvRecord[]): pb.StoreRequest {
  return { records: records.map(r => encodeRecord(r)) }
}

export function decodeStore (store: pb.StoreRequest): KvRecord[] {
  return store.records.map((r, i) => decodeRecord(r, `records[${i}]`))
}

/** A range or digests request (the two page through an arc alike). */
export function encodeArcPageQuery (query: ArcPageQuery): pb.RangeRequest & pb.DigestsRequest {
  return { from: idToBytes(SHA256_SPACE, query.from), to: idToBytes(SHA256_SPACE, query.to), after: new Uint8Array(query.after ?? []), limit: query.limit }
}

export function decodeArcPageQuery (query: pb.RangeRequest | pb.DigestsRequest): ArcPageQuery {
  return {
    from: decodeRingId(query.from, 'from'),
    to: decodeRingId(query.to, 'to'),
    after: query.after.byteLength === 0 ? undefined : query.after,
    limit: query.limit
  }
}

export function encodeSummaryQuery (query: SummaryQuery): pb.SummaryRequest {
  return { from: idToBytes(SHA256_SPACE, query.from), to: idToBytes(SHA256_SPACE, query.to), parts: query.parts, ownerArc: query.ownerArc }
}

export function decodeSummaryQuery (query: pb.SummaryRequest): SummaryQuery {
  const { parts, ownerArc } = query
  if (parts < 1 || parts > MAX_PARTS) throw new BadRequestError(`summary parts must be 1 to ${MAX_PARTS}, got ${parts}`)
  return { from: decodeRingId(query.from, 'from'), to: decodeRingId(query.to, 'to'), parts, ownerArc }
}

export function encodeSummaryReply (arcs: readonly ArcSummary[]): pb.SummaryResponse {
  return { arcs: arcs.map(a => ({ hash: new Uint8Array(a.hash), count: a.count })) }
}

/** The sub-arc digests; exactly `parts` of them. */
export function decodeSummaryReply (reply: pb.SummaryResponse | undefined, parts: number): ArcSummary[] {
  if (reply?.arcs.length !== parts) throw new BadRequestError(`summary reply has ${reply?.arcs.length ?? 'no'} arcs, expected ${parts}`)
  return reply.arcs
}

export function encodeDigestPage (page: DigestPage): pb.DigestsResponse {
  return { digests: page.digests.map(encodeDigest), more: page.more }
}

export function decodeDigestPage (page: pb.DigestsResponse | undefined): DigestPage {
  if (page === undefined) throw new BadRequestError('digests reply has no body')
  return { digests: page.digests.map((d, i) => decodeDigest(d, `digests[${i}]`)), more: page.more }
}

export function encodeFetch (keys: readonly Uint8Array[]): pb.FetchRequest {
  return { keys: keys.map(k => new Uint8Array(k)) }
}

export function encodeFetchResult (result: FetchResult): pb.FetchResponse {
  return { records: result.records.map(r => encodeRecord(r)), served: result.served }
}

/** The records found for a prefix of `asked` keys: at least one key served, at most all. */
export function decodeFetchResult (reply: pb.FetchResponse | undefined, asked: number): FetchResult {
  if (reply === undefined) throw new BadRequestError('fetch reply has no body')
  if (asked > 0 && (reply.served < 1 || reply.served > asked)) throw new BadRequestError(`fetch reply served ${reply.served} of ${asked} keys`)
  return { records: reply.records.map((r, i) => decodeRecord(r, `records[${i}]`)), served: reply.served }
}

export function encodeWatch (query: WatchQuery): pb.WatchRequest {
  const since = query.since === undefined ? {} : (({ timestamp, writer }) => ({ sinceTimestamp: timestamp, sinceWriter: writer }))(encodeVersion(query.since))
  return { key: new Uint8Array(query.key), ttlMs: query.ttlMs, ...since }
}

export function decodeWatch (body: pb.WatchRequest): WatchQuery {
  const { sinceTimestamp, sinceWriter } = body
  if ((sinceTimestamp === undefined) !== (sinceWriter === undefined)) throw new BadRequestError('watch.since needs both its timestamp and its writer')
  const since = sinceTimestamp === undefined || sinceWriter === undefined ? undefined : decodeVersion(sinceTimestamp, sinceWriter, 'watch.since')
  return { key: body.key, since, ttlMs: body.ttlMs }
}

export function encodeWatchReply (record: KvRecord | undefined): pb.WatchResponse {
  return { record: record === undefined ? undefined : encodeRecord(record) }
}

/** The record a replica holds of the key watched, when newer than the watcher's; it must be of that key. */
export function decodeWatchReply (reply: pb.WatchResponse | undefined, key: Uint8Array): KvRecord | undefined {
  if (reply === undefined) throw new BadRequestError('watch reply has no body')
  if (reply.record === undefined) return undefined
  const record = decodeRecord(reply.record, 'watch.record')
  if (Buffer.compare(record.key, key) !== 0) throw new BadRequestError('watch reply is for another key')
  return record
}

export function encodeWatchEvent (record: KvRecord): pb.WatchEventRequest {
  return { record: encodeRecord(record) }
}

export function decodeWatchEvent (body: pb.WatchEventRequest): KvRecord {
  if (body.record === undefined) throw new BadRequestError('watch event has no record')
  return decodeRecord(body.record, 'watchEvent.record')
}
