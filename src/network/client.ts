import { BadRequestError, isPeerFailure, RemoteError, RequestTimeoutError, UnreachableError } from '../errors.js'
import { Status, type Request, type Response } from '../protocol/chord.js'
import { codeOfStatus, decodeMergeReply, decodeNeighbourState, decodeRangePage, decodeRouteReply, encodeLeaveNotice, encodeMergeInvitation, encodeRouteRequest } from '../protocol/codec.js'
import { PROTOCOL } from '../protocol/constants.js'
import { decodeDigestPage, decodeFetchResult, decodeOfferReply, decodeSummaryReply, decodeWatchReply, encodeArcPageQuery, encodeFetch, encodeOffer, encodeStore, encodeSummaryQuery, encodeWatch, encodeWatchEvent } from '../protocol/data-codec.js'
import { decodeMemberInfo, type MemberInfo } from '../protocol/member-info.js'
import { laneOf, type Lane } from './handlers/index.js'
import { peerTimer } from './peer-timer.js'
import { RpcChannel } from './rpc-channel.js'
import { RttEstimator } from './rtt.js'
import type { PeerDirectory } from './peer-directory.js'
import type { Clock } from '../node/clock.js'
import type { ChordTransport, DataTransport } from '../protocol/ports.js'
import type { ArcSummary, DigestPage, FetchResult, KvRecord, LeaveNotice, MergeInvitation, NeighbourState, RangePage, RecordDigest, RouteReply, RouteRequest, WatchQuery } from '../protocol/messages.js'
import type { RingId } from '../ring/ids.js'
import type { NodeRef } from '../ring/node-ref.js'
import type { RingTag } from '../ring/ring-tag.js'
import { UnsupportedProtocolError, type PeerStore, type Stream } from '@libp2p/interface'
import type { ConnectionManager } from '@libp2p/interface-internal'

/** The libp2p components the client dials with, and the clock it times round trips on. */
export interface ClientComponents {
  readonly connectionManager: ConnectionManager
  readonly peerStore: PeerStore
  readonly clock: Pick<Clock, 'now'>
}

export interface ClientOptions {
  readonly maxFrameSize: number
  /** Requests a channel sends at once (the server serves up to four times as many). */
  readonly maxInFlight: number
  /** Bounds for per-peer request timeouts (ms). */
  readonly rpcTimeout: { readonly initialMs: number, readonly minMs: number, readonly maxMs: number }
  /** Time allowed to open a connection and stream to a peer (ms). */
  readonly dialTimeoutMs: number
}

/**
 * The calling side of `/chordkv/1.0.0`: {@link ChordTransport} and
 * {@link DataTransport} over libp2p streams. Connections are dialled once
 * and kept; each peer has one shared stream per lane. Every failure is
 * classified so the ring logic can tell a dead peer (UnreachableError,
 * RequestTimeoutError) from a live one that refused (RemoteError).
 */
export class PeerClient implements ChordTransport, DataTransport {
  readonly rtt: RttEstimator
  private readonly components: ClientComponents
  private readonly directory: PeerDirectory
  private readonly options: ClientOptions
  private readonly channels = new Map<string, Promise<RpcChannel>>()
  /** The data channels among them that opened, by peer (closed ones are dropped when next asked about). */
  private readonly dataChannels = new Map<string, RpcChannel>()
  /** Pings under way to peers that data requests wait on (watch). */
  private readonly pings = new Map<string, Promise<void>>()

  constructor (components: ClientComponents, directory: PeerDirectory, options: ClientOptions) {
    this.components = components
    this.directory = directory
    this.options = options
    this.rtt = new RttEstimator(options.rpcTimeout)
  }

  /** Closes every channel. */
  close (): void {
    for (const channel of this.channels.values()) channel.then(c => { c.close() }, () => {})
    this.channels.clear()
    this.dataChannels.clear()
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
    const response = await this.call(to, { merge: encodeMergeInvitation(this.directory, invitation) })
    return this.decodeReply(to, () => decodeMergeReply(response.merge))
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
    const response = await this.call(to, { offer: encodeOffer(digests) })
    return this.decodeReply(to, () => decodeOfferReply(response.offer, digests.length))
  }

  async store (to: NodeRef, records: readonly KvRecord[]): Promise<void> {
    await this.call(to, { store: encodeStore(records) })
  }

  async range (to: NodeRef, from: RingId, until: RingId, after: Uint8Array | undefined, limit: number): Promise<RangePage> {
    const response = await this.call(to, { range: encodeArcPageQuery({ from, to: until, after, limit }) })
    return this.decodeReply(to, () => decodeRangePage(response.range))
  }

  async summary (to: NodeRef, from: RingId, until: RingId, parts: number, ownerArc = false): Promise<ArcSummary[]> {
    const response = await this.call(to, { summary: encodeSummaryQuery({ from, to: until, parts, ownerArc }) })
    return this.decodeReply(to, () => decodeSummaryReply(response.summary, parts))
  }

  async digests (to: NodeRef, from: RingId, until: RingId, after: Uint8Array | undefined, limit: number): Promise<DigestPage> {
    const response = await this.call(to, { digests: encodeArcPageQuery({ from, to: until, after, limit }) })
    return this.decodeReply(to, () => decodeDigestPage(response.digests))
  }

  async fetch (to: NodeRef, keys: readonly Uint8Array[]): Promise<FetchResult> {
    const response = await this.call(to, { fetch: encodeFetch(keys) })
    return this.decodeReply(to, () => decodeFetchResult(response.fetch, keys.length))
  }

  async watch (to: NodeRef, query: WatchQuery): Promise<KvRecord | undefined> {
    const response = await this.call(to, { watch: encodeWatch(query) })
    return this.decodeReply(to, () => decodeWatchReply(response.watch, query.key))
  }

  async watchEvent (to: NodeRef, record: KvRecord): Promise<void> {
    await this.call(to, { watchEvent: encodeWatchEvent(record) })
  }

  /** What `to` reports about itself. */
  async memberInfo (to: NodeRef): Promise<MemberInfo> {
    const response = await this.call(to, { memberInfo: {} })
    return this.decodeReply(to, () => decodeMemberInfo(this.directory, to, response.memberInfo, node => this.directory.addressesOf(node).map(a => a.toString())))
  }

  reachable (to: NodeRef, dial = false): boolean {
    if (this.dataChannels.get(to.peer)?.open === true) return true
    this.dataChannels.delete(to.peer)
    // Opened for the next request (`channel` shares one already opening, and replaces a
    // closed one): a new stream costs a multistream round trip, more than a hop; a dial, more still.
    if (dial || this.components.connectionManager.getConnections(this.directory.peerIdOf(to)).length > 0) this.channel(to, 'data').catch(() => {})
    return false
  }

  /** Number of open or opening channels (each peer has up to one per lane). */
  get channelCount (): number {
    return this.channels.size
  }

  /** Requests to `to` on `lane` sent and not yet answered; undefined while no channel to it is open. */
  async inFlight (to: NodeRef, lane: Lane): Promise<number | undefined> {
    const channel = await this.channels.get(channelKey(to, lane))?.catch(() => undefined)
    return channel?.open === true ? channel.inFlight : undefined
  }

  private async call (to: NodeRef, body: Omit<Request, 'id'>, onAccepted?: () => number): Promise<Response> {
    const started = this.components.clock.now()
    const lane = laneOf(body)
    const channel = await this.channel(to, lane)
    // Only maintenance measures round trips and detects dead peers: a data
    // request's time includes queueing behind other records at a busy peer,
    // so it gets the longest request timeout (and time for its bytes).
    const observe = lane === 'ring' ? (): void => { this.rtt.observe(to.peer, this.components.clock.now() - started) } : () => {}
    const timeoutMs = lane === 'ring' ? this.rtt.timeout(to.peer) : Math.max(this.rtt.timeout(to.peer), this.options.rpcTimeout.maxMs)
    let response: Response
    const unwatch = lane === 'data' ? this.watchLiveness(to, channel) : undefined
    try {
      response = await channel.call(body, { timeoutMs, onAccepted })
    } finally {
      unwatch?.()
    }
    if (response.status !== Status.OK) throw new RemoteError(codeOfStatus(response.status), `${to.peer}: ${response.error}`)
    // A route's answer comes after the whole rest of the route, and its ACCEPTED only after a
    // hop held it a while (rpc-server.ts): neither is a round trip to `to`.
    if (onAccepted === undefined) observe()
    return response
  }

  /**
   * A data request may wait long (a busy peer queues records), but a peer
   * that died without closing its connection (a host or container gone)
   * would hold every request on the stream for the whole timeout, and the
   * ones queued behind them for more. Once a request has waited a ring
   * request's timeout, a ping on the ring lane asks whether the peer is
   * there; if it does not answer either, the stream is given up and its
   * requests fail at once as a dead peer's. Returns the canceller.
   */
  private watchLiveness (to: NodeRef, channel: RpcChannel): () => void {
    return peerTimer(this.rtt.timeout(to.peer), () => {
      this.stillThere(to).catch((err: unknown) => {
        if (isPeerFailure(err)) channel.abandon(new RequestTimeoutError(`${to.peer} answered neither a request nor a ping`))
      })
    })
  }

  /** One ping at a time per peer, however many requests wait on it; bounded by a ring request's timeout. */
  private async stillThere (to: NodeRef): Promise<void> {
    let ping = this.pings.get(to.peer)
    if (ping === undefined) {
      const timeoutMs = this.rtt.timeout(to.peer)
      let cancel = (): void => {}
      const timedOut = new Promise<never>((_resolve, reject) => {
        cancel = peerTimer(timeoutMs, () => { reject(new RequestTimeoutError(`${to.peer} did not answer a ping within ${timeoutMs} ms`)) })
      })
      ping = Promise.race([this.ping(to), timedOut]).finally(() => {
        cancel()
        this.pings.delete(to.peer)
      })
      this.pings.set(to.peer, ping)
    }
    await ping
  }

  /**
   * The channel to `to` for a lane: one long-lived stream per peer and lane
   * carries every request to it, tagged with ids (about 6× cheaper per
   * request than a stream each on loopback: `npm run bench`).
   */
  private async channel (to: NodeRef, lane: Lane): Promise<RpcChannel> {
    const key = channelKey(to, lane)
    const cached = this.channels.get(key)
    if (cached !== undefined) {
      const channel = await cached.catch(() => undefined)
      if (channel?.open === true) return channel
      if (this.channels.get(key) === cached) this.channels.delete(key)
    }
    const opening = this.openChannel(to, lane)
    this.channels.set(key, opening)
    opening.catch(() => { if (this.channels.get(key) === opening) this.channels.delete(key) })
    if (lane === 'data') opening.then(channel => { this.dataChannels.set(to.peer, channel) }, () => {})
    // A peer the ring lane reaches is in the routing table (successor, predecessor, finger):
    // routes and replicas pass through it, so its data lane opens now rather than on a route's path.
    if (lane === 'ring') opening.then(() => { this.reachable(to) }, () => {})
    return opening
  }

  private async openChannel (to: NodeRef, lane: Lane): Promise<RpcChannel> {
    const peerId = this.directory.peerIdOf(to)
    let stream: Stream
    // Over an open connection a live peer takes a stream within a round trip;
    // one whose host vanished without a word never does, and would hold the
    // request for a whole dial timeout.
    const connected = this.components.connectionManager.getConnections(peerId).length > 0
    try {
      if (!connected) {
        const multiaddrs = this.directory.addressesOf(to)
        if (multiaddrs.length > 0) await this.components.peerStore.merge(peerId, { multiaddrs })
      }
      stream = await this.components.connectionManager.openStream(peerId, PROTOCOL, {
        signal: AbortSignal.timeout(connected ? this.streamTimeout(to, lane) : this.options.dialTimeoutMs)
      })
    } catch (err) {
      // The connection is dead: the next request dials afresh. One whose peer
      // refused the protocol is alive, and may carry that peer's own requests.
      if (connected && (err as Error).name !== UnsupportedProtocolError.name) this.components.connectionManager.closeConnections(peerId).catch(() => {})
      throw new UnreachableError(`cannot reach ${to.peer}: ${(err as Error).message}`, { cause: err })
    }
    return new RpcChannel(stream, to.peer, this.options.maxFrameSize, this.options.maxInFlight)
  }

  /**
   * How long a new stream over an open connection may take: a data stream a
   * ring request's timeout (a read must get past a vanished peer within its
   * route budget); a ring stream at least the first request timeout, since
   * maintenance on a busy peer that is starting up negotiates slowly and
   * giving up early would split a forming ring.
   */
  private streamTimeout (to: NodeRef, lane: Lane): number {
    const ring = this.rtt.timeout(to.peer)
    return lane === 'data' ? ring : Math.max(ring, this.options.rpcTimeout.initialMs)
  }

  /** A reply that does not decode means the peer is broken: treated as unreachable. */
  private decodeReply<T> (from: NodeRef, decode: () => T): T {
    try {
      return decode()
    } catch (err) {
      if (err instanceof BadRequestError) throw new UnreachableError(`${from.peer} sent an invalid reply: ${err.message}`)
      throw err
    }
  }
}

/** The channels map's key: one channel per peer and lane. */
function channelKey (to: NodeRef, lane: Lane): string {
  return `${to.peer}/${lane}`
}
