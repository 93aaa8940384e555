import { BadRequestError, RemoteError, RequestTimeoutError, UnreachableError } from '../errors.js'
import { Status, type Request, type Response } from '../protocol/chord.js'
import { decodeLeaveNotice, decodeNeighbourState, decodeRangePage, decodeRingId, decodeRouteReply, decodeRouteRequest, decodeTag, encodeLeaveNotice, encodeNeighbourState, encodeRangePage, encodeRouteReply, encodeRouteRequest, encodeTag } from '../protocol/codec.js'
import { decodeMemberInfo, encodeMemberInfo, type MemberInfo } from '../protocol/member-info.js'
import { decodeDigest, decodeRecord, encodeDigest, encodeRecord } from '../protocol/record-codec.js'
import { idToBytes, SHA256_SPACE, type RingId } from '../ring/ids.js'
import { HEAVY_PER_PEER, MAX_OUTBOUND_STREAMS, MAX_PARTS, MAX_STREAMS_PER_PEER, PEER_BUDGET_FRAMES, PROTOCOL } from '../protocol/constants.js'
import { ringIdOfKey } from '../ring/hash.js'
import { PeerBudgets } from './peer-budget.js'
import { RpcChannel } from './rpc-channel.js'
import { serveStream, type RequestContext } from './rpc-server.js'
import { RttEstimator } from './rtt.js'
import type { MemberGuard } from './member-guard.js'
import type { PeerDirectory } from './peer-directory.js'
import type { ChordTransport, DataTransport, PeerHandlers } from './transport.js'
import type { ArcSummary, DigestPage, FetchResult, KvRecord, LeaveNotice, MergeInvitation, NeighbourState, RangePage, RecordDigest, RouteReply, RouteRequest } from '../protocol/messages.js'
import type { RingTag } from '../ring/ring-tag.js'
import type { NodeRef } from '../ring/node-ref.js'
import type { ComponentLogger, Logger, PeerStore, Stream } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'

/** The libp2p components the transport uses. */
export interface TransportComponents {
  readonly connectionManager: ConnectionManager
  readonly registrar: Registrar
  readonly peerStore: PeerStore
  readonly logger: ComponentLogger
}

/**
 * `shared`: one long-lived stream per peer carries every request to it, tagged
 * with ids (the default; about 7× cheaper per request on loopback).
 * `per-request`: a new stream per request, closed after the reply.
 */
export type StreamMode = 'shared' | 'per-request'

export interface TransportOptions {
  readonly streamMode: StreamMode
  readonly maxFrameSize: number
  /**
   * Requests in flight per stream: a channel sends at most this many, and a
   * server serves up to four times as many (requests whose caller gave up
   * may still be running) before it answers BUSY.
   */
  readonly maxInFlight: number
  /** Bounds for per-peer request timeouts (ms). */
  readonly rpcTimeout: { readonly initialMs: number, readonly minMs: number, readonly maxMs: number }
  /** Time allowed to open a connection and stream to a peer (ms). */
  readonly dialTimeoutMs: number
  /** An inbound frame must arrive whole within this long of its first byte (ms). */
  readonly frameTimeoutMs: number
  /** A peer that reads none of its answers for this long has its stream reset (ms). */
  readonly drainTimeoutMs: number
}

/**
 * {@link ChordTransport} over libp2p streams, and the server side of the same
 * protocol. Connections are dialled once and kept; streams follow
 * {@link StreamMode}. Every outbound failure is classified so the ring logic
 * can tell a dead peer (UnreachableError, RequestTimeoutError) from a live
 * one that refused (RemoteError).
 */
export class Libp2pTransport implements ChordTransport, DataTransport {
  readonly rtt: RttEstimator
  private readonly components: TransportComponents
  private readonly directory: PeerDirectory
  private readonly options: TransportOptions
  private readonly log: Logger
  private readonly channels = new Map<string, Promise<RpcChannel>>()
  /** What each remote peer holds on our inbound streams. */
  readonly budgets: PeerBudgets
  private handlers: PeerHandlers | undefined
  private guard: MemberGuard | undefined

  constructor (components: TransportComponents, directory: PeerDirectory, options: TransportOptions) {
    this.components = components
    this.directory = directory
    this.options = options
    this.log = components.logger.forComponent('chordkv:transport')
    this.rtt = new RttEstimator(options.rpcTimeout)
    this.budgets = new PeerBudgets({ maxStreams: MAX_STREAMS_PER_PEER, maxBytes: PEER_BUDGET_FRAMES * options.maxFrameSize, maxHeavy: HEAVY_PER_PEER })
  }

  /**
   * Registers the protocol handler; requests go to `handlers`, and records
   * are exchanged only with the peers `guard` lets through.
   */
  async start (handlers: PeerHandlers, guard?: MemberGuard): Promise<void> {
    this.handlers = handlers
    this.guard = guard
    await this.components.registrar.handle(PROTOCOL, (stream, connection) => {
      serveStream(stream, connection.remotePeer, (req, ctx) => this.serve(req, ctx), {
        maxFrameSize: this.options.maxFrameSize,
        maxInFlight: 4 * this.options.maxInFlight,
        budgets: this.budgets,
        isHeavy: request => laneOf(request) === 'data',
        frameTimeoutMs: this.options.frameTimeoutMs,
        drainTimeoutMs: this.options.drainTimeoutMs,
        log: this.log
      })
    }, { maxInboundStreams: MAX_STREAMS_PER_PEER, maxOutboundStreams: MAX_OUTBOUND_STREAMS })
  }

  async stop (): Promise<void> {
    await this.components.registrar.unhandle(PROTOCOL)
    for (const channel of this.channels.values()) channel.then(c => { c.close() }, () => {})
    this.channels.clear()
  }

  async ping (to: NodeRef): Promise<void> {
    await this.call(to, { ping: {} })
  }

  async getState (to: NodeRef): Promise<NeighbourState> {
    const response = await this.call(to, { getState: {} })
    return this.decodeReply(to, () => decodeNeighbourState(this.directory, response.state))
  }

  async notify (to: NodeRef): Promise<void> {
    await this.call(to, { notify: { node: this.directory.encodePeer(this.directory.self) } })
  }

  async changed (to: NodeRef): Promise<void> {
    await this.call(to, { changed: {} })
  }

  async merge (to: NodeRef, invitation: MergeInvitation): Promise<RingTag> {
    const response = await this.call(to, { merge: { ring: encodeTag(invitation.tag), contact: this.directory.encodePeer(invitation.contact) } })
    return this.decodeReply(to, () => {
      if (response.merge?.ring === undefined) throw new BadRequestError('merge reply has no ring tag')
      return decodeTag(response.merge.ring)
    })
  }

  async route (to: NodeRef, request: RouteRequest, onAccepted?: () => void): Promise<RouteReply> {
    let accepted = false
    let response: Response
    try {
      response = await this.call(to, { route: encodeRouteRequest(this.directory, request) }, () => {
        accepted = true
        onAccepted?.()
        return request.budgetMs
      })
    } catch (err) {
      // The hop took the route and is alive; the time ran out further on.
      if (accepted && err instanceof RequestTimeoutError) throw new RemoteError('TIMEOUT', `route timed out beyond ${to.peer}`)
      throw err
    }
    return this.decodeReply(to, () => decodeRouteReply(this.directory, response.route))
  }

  async leave (to: NodeRef, notice: LeaveNotice): Promise<void> {
    await this.call(to, { leave: encodeLeaveNotice(this.directory, notice) })
  }

  async offer (to: NodeRef, digests: readonly RecordDigest[]): Promise<number[]> {
    const response = await this.call(to, { offer: { digests: digests.map(encodeDigest) } })
    // Never read a missing answer as "wants nothing": the offered records would be deleted.
    return this.decodeReply(to, () => {
      if (response.offer === undefined) throw new BadRequestError('offer reply has no body')
      if (response.offer.wanted.some(i => i >= digests.length)) throw new BadRequestError('offer reply names records that were not offered')
      return response.offer.wanted
    })
  }

  async store (to: NodeRef, records: readonly KvRecord[]): Promise<void> {
    await this.call(to, { store: { records: records.map(r => encodeRecord(r)) } })
  }

  async range (to: NodeRef, from: RingId, until: RingId, after: Uint8Array | undefined, limit: number): Promise<RangePage> {
    const response = await this.call(to, {
      range: { from: idToBytes(SHA256_SPACE, from), to: idToBytes(SHA256_SPACE, until), after: new Uint8Array(after ?? []), limit }
    })
    return this.decodeReply(to, () => decodeRangePage(response.range))
  }

  async summary (to: NodeRef, from: RingId, until: RingId, parts: number, ownerArc = false): Promise<ArcSummary[]> {
    const response = await this.call(to, { summary: { from: idToBytes(SHA256_SPACE, from), to: idToBytes(SHA256_SPACE, until), parts, ownerArc } })
    return this.decodeReply(to, () => {
      if (response.summary?.arcs.length !== parts) throw new BadRequestError(`summary reply has ${response.summary?.arcs.length ?? 'no'} arcs, expected ${parts}`)
      return response.summary.arcs
    })
  }

  async digests (to: NodeRef, from: RingId, until: RingId, after: Uint8Array | undefined, limit: number): Promise<DigestPage> {
    const response = await this.call(to, {
      digests: { from: idToBytes(SHA256_SPACE, from), to: idToBytes(SHA256_SPACE, until), after: new Uint8Array(after ?? []), limit }
    })
    return this.decodeReply(to, () => {
      if (response.digests === undefined) throw new BadRequestError('digests reply has no body')
      return { digests: response.digests.digests.map((d, i) => decodeDigest(d, `digests[${i}]`)), more: response.digests.more }
    })
  }

  async fetch (to: NodeRef, keys: readonly Uint8Array[]): Promise<FetchResult> {
    const response = await this.call(to, { fetch: { keys: keys.map(k => new Uint8Array(k)) } })
    return this.decodeReply(to, () => {
      const reply = response.fetch
      if (reply === undefined) throw new BadRequestError('fetch reply has no body')
      if (keys.length > 0 && (reply.served < 1 || reply.served > keys.length)) throw new BadRequestError(`fetch reply served ${reply.served} of ${keys.length} keys`)
      return { records: reply.records.map((r, i) => decodeRecord(r, `records[${i}]`)), served: reply.served }
    })
  }

  /** What `to` reports about itself. */
  async memberInfo (to: NodeRef): Promise<MemberInfo> {
    const response = await this.call(to, { memberInfo: {} })
    return this.decodeReply(to, () => decodeMemberInfo(this.directory, to, response.memberInfo, node => this.directory.addressesOf(node).map(a => a.toString())))
  }

  /** Number of open or opening channels (each peer has up to one per lane). */
  get channelCount (): number {
    return this.channels.size
  }

  private async call (to: NodeRef, body: Omit<Request, 'id'>, onAccepted?: () => number): Promise<Response> {
    const started = performance.now()
    const lane = laneOf(body)
    const channel = await this.channel(to, lane)
    // Only maintenance measures round trips and detects dead peers: a data
    // request's time includes queueing behind other records at a busy peer,
    // so it gets the longest request timeout (and time for its bytes).
    const observe = lane === 'ring' ? (): void => { this.rtt.observe(to.peer, performance.now() - started) } : () => {}
    const timeoutMs = lane === 'ring' ? this.rtt.timeout(to.peer) : Math.max(this.rtt.timeout(to.peer), this.options.rpcTimeout.maxMs)
    let response: Response
    try {
      response = await channel.call(body, {
        timeoutMs,
        onAccepted: onAccepted === undefined
          ? undefined
          : () => {
            observe()
            return onAccepted()
          }
      })
    } finally {
      if (this.options.streamMode === 'per-request') channel.close()
    }
    if (response.status !== Status.OK) throw new RemoteError(response.status, `${to.peer}: ${response.error}`)
    if (onAccepted === undefined) observe()
    return response
  }

  /** A channel to `to` for a lane: the shared one, or a fresh stream in per-request mode. */
  private async channel (to: NodeRef, lane: Lane): Promise<RpcChannel> {
    if (this.options.streamMode === 'per-request') return this.openChannel(to)
    const key = `${to.peer}/${lane}`
    const cached = this.channels.get(key)
    if (cached !== undefined) {
      const channel = await cached.catch(() => undefined)
      if (channel?.open === true) return channel
      if (this.channels.get(key) === cached) this.channels.delete(key)
    }
    const opening = this.openChannel(to)
    this.channels.set(key, opening)
    opening.catch(() => { if (this.channels.get(key) === opening) this.channels.delete(key) })
    return opening
  }

  private async openChannel (to: NodeRef): Promise<RpcChannel> {
    const peerId = this.directory.peerIdOf(to)
    let stream: Stream
    try {
      if (this.components.connectionManager.getConnections(peerId).length === 0) {
        const multiaddrs = this.directory.addressesOf(to)
        if (multiaddrs.length > 0) await this.components.peerStore.merge(peerId, { multiaddrs })
      }
      stream = await this.components.connectionManager.openStream(peerId, PROTOCOL, {
        signal: AbortSignal.timeout(this.options.dialTimeoutMs)
      })
    } catch (err) {
      throw new UnreachableError(`cannot reach ${to.peer}: ${(err as Error).message}`, { cause: err })
    }
    return new RpcChannel(stream, to.peer, this.options.maxFrameSize, this.options.maxInFlight)
  }

  private decodeReply<T> (from: NodeRef, decode: () => T): T {
    try {
      return decode()
    } catch (err) {
      if (err instanceof BadRequestError) throw new UnreachableError(`${from.peer} sent an invalid reply: ${err.message}`)
      throw err
    }
  }

  /** Serves one inbound request. */
  private async serve (request: Request, context: RequestContext): Promise<Omit<Response, 'id'>> {
    const handlers = this.handlers
    if (handlers === undefined) return { status: Status.NOT_READY, error: 'not started' }
    const from = this.directory.nodeOf(context.remotePeer)
    handlers.seen(from)
    if (request.ping !== undefined) return ok()
    if (request.getState !== undefined) return { ...ok(), state: encodeNeighbourState(this.directory, handlers.getState(from)) }
    if (request.notify !== undefined) {
      const node = this.directory.decodePeer(request.notify.node, 'notify.node')
      if (node.peer !== from.peer) throw new BadRequestError('notify.node must be the sender itself')
      await handlers.notify(from)
      return ok()
    }
    if (request.changed !== undefined) {
      handlers.changed(from)
      return ok()
    }
    if (request.merge !== undefined) {
      if (request.merge.ring === undefined) throw new BadRequestError('merge request has no ring tag')
      const invitation = { tag: decodeTag(request.merge.ring), contact: this.directory.decodePeer(request.merge.contact, 'merge.contact') }
      return { ...ok(), merge: { ring: encodeTag(handlers.merge(from, invitation)) } }
    }
    if (request.leave !== undefined) {
      const notice = decodeLeaveNotice(this.directory, request.leave)
      this.guard?.left(from)
      handlers.leave(from, notice)
      return ok()
    }
    // Records: members of this node's replica neighbourhood only (member-guard.ts).
    if (request.offer !== undefined) {
      const digests = request.offer.digests.map((d, i) => decodeDigest(d, `digests[${i}]`))
      await this.guard?.check(from, { kind: 'write' })
      return { ...ok(), offer: { wanted: await handlers.offer(from, digests) } }
    }
    if (request.store !== undefined) {
      const records = request.store.records.map((r, i) => decodeRecord(r, `records[${i}]`))
      await this.guard?.check(from, { kind: 'write' })
      await handlers.store(from, records)
      return ok()
    }
    if (request.summary !== undefined) {
      const { from: start, to: until, parts, ownerArc } = request.summary
      if (parts < 1 || parts > MAX_PARTS) throw new BadRequestError(`summary parts must be 1 to ${MAX_PARTS}, got ${parts}`)
      const arc = { from: decodeRingId(start, 'from'), to: decodeRingId(until, 'to') }
      await this.guard?.check(from, { kind: 'read-arc', ...arc })
      const arcs = await handlers.summary(from, arc.from, arc.to, parts, ownerArc)
      return { ...ok(), summary: { arcs: arcs.map(a => ({ hash: new Uint8Array(a.hash), count: a.count })) } }
    }
    if (request.digests !== undefined) {
      const { from: start, to: until, after, limit } = request.digests
      const arc = { from: decodeRingId(start, 'from'), to: decodeRingId(until, 'to') }
      await this.guard?.check(from, { kind: 'read-arc', ...arc })
      const page = await handlers.digests(from, arc.from, arc.to, after.byteLength === 0 ? undefined : after, limit)
      return { ...ok(), digests: { digests: page.digests.map(encodeDigest), more: page.more } }
    }
    if (request.fetch !== undefined) {
      await this.guard?.check(from, { kind: 'read-keys', keys: request.fetch.keys.map(k => ringIdOfKey(k)) })
      const result = await handlers.fetch(from, request.fetch.keys)
      return { ...ok(), fetch: { records: result.records.map(r => encodeRecord(r)), served: result.served } }
    }
    if (request.range !== undefined) {
      const { from: start, to: until, after, limit } = request.range
      const arc = { from: decodeRingId(start, 'from'), to: decodeRingId(until, 'to') }
      await this.guard?.check(from, { kind: 'read-arc', ...arc })
      const page = await handlers.range(from, arc.from, arc.to, after.byteLength === 0 ? undefined : after, limit)
      return { ...ok(), range: encodeRangePage(page) }
    }
    if (request.route !== undefined) {
      const route = decodeRouteRequest(this.directory, request.route)
      if (route.path.at(-1) !== from.peer) throw new BadRequestError('route path must end with the sender')
      const reply = await handlers.route(route, from, () => { context.accept() })
      return { ...ok(), route: encodeRouteReply(this.directory, reply) }
    }
    if (request.memberInfo !== undefined) return { ...ok(), memberInfo: encodeMemberInfo(this.directory, await handlers.memberInfo(from)) }
    throw new BadRequestError('request has no known body')
  }
}

/**
 * Which shared stream a request travels on. Records and values go on the
 * data lane, so a flood of large values never holds up stabilization's
 * small requests behind it on one stream (they would time out, and the
 * ring would drop live neighbours); everything else on the ring lane.
 */
type Lane = 'ring' | 'data'

function laneOf (body: Omit<Request, 'id'>): Lane {
  if (body.route !== undefined) return body.route.lookup === undefined ? 'data' : 'ring'
  const data = body.store ?? body.offer ?? body.range ?? body.fetch ?? body.digests ?? body.summary
  return data === undefined ? 'ring' : 'data'
}

function ok (): { status: Status, error: string } {
  return { status: Status.OK, error: '' }
}
