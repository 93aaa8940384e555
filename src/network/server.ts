import { Status } from '../protocol/chord.js'
import { HEAVY_PER_PEER, MAX_OUTBOUND_STREAMS, MAX_STREAMS_PER_PEER, PROTOCOL } from '../protocol/constants.js'
import { dispatch, laneOf, type PeerParts } from './handlers/index.js'
import { PeerBudgets } from './peer-budget.js'
import { serveStream, type RequestContext } from './rpc-server.js'
import type { RecordGuard } from './record-guard.js'
import type { PeerDirectory } from './peer-directory.js'
import type { Request, Response } from '../protocol/chord.js'
import type { ComponentLogger, Logger } from '@libp2p/interface'
import type { Registrar } from '@libp2p/interface-internal'

/** The libp2p components the server registers with. */
export interface ServerComponents {
  readonly registrar: Registrar
  readonly logger: ComponentLogger
}

export interface ServerOptions {
  readonly maxFrameSize: number
  /** Requests served at once per stream before BUSY (requests whose caller gave up may still be running). */
  readonly maxInFlight: number
  /** An inbound frame must arrive whole within this long of its first byte (ms). */
  readonly frameTimeoutMs: number
  /** A peer that reads none of its answers for this long has its stream reset (ms). */
  readonly drainTimeoutMs: number
  /** A forwarded request's ACCEPTED goes out only once it is unanswered this long (ms). */
  readonly acceptAfterMs: number
  /** What one peer may hold here (unfinished frames and requests; unread answers), in frames. */
  readonly peerBudgetFrames: number
}

/**
 * The serving side of `/chordkv/1.0.0`: registers the protocol, serves each
 * inbound stream (rpc-server.ts bounds what a peer may hold) and hands
 * every request to the handler of its body (handlers/). Before start
 * nothing is registered; requests on a stream opened meanwhile get NOT_READY.
 */
export class PeerServer {
  /** What each remote peer holds on this peer's inbound streams. */
  readonly budgets: PeerBudgets
  private readonly components: ServerComponents
  private readonly directory: PeerDirectory
  private readonly options: ServerOptions
  private readonly log: Logger
  private parts: PeerParts | undefined
  private guard: RecordGuard | undefined

  constructor (components: ServerComponents, directory: PeerDirectory, options: ServerOptions) {
    this.components = components
    this.directory = directory
    this.options = options
    this.log = components.logger.forComponent('chordkv:transport')
    this.budgets = new PeerBudgets({ maxStreams: MAX_STREAMS_PER_PEER, maxBytes: options.peerBudgetFrames * options.maxFrameSize, maxHeavy: HEAVY_PER_PEER })
  }

  /** Serves the peer's `parts`; records are exchanged only with the peers `guard` lets through. */
  async start (parts: PeerParts, guard?: RecordGuard): Promise<void> {
    this.parts = parts
    this.guard = guard
    await this.components.registrar.handle(PROTOCOL, (stream, connection) => {
      serveStream(stream, connection.remotePeer, async (req, ctx) => this.serve(req, ctx), {
        maxFrameSize: this.options.maxFrameSize,
        maxInFlight: this.options.maxInFlight,
        budgets: this.budgets,
        isHeavy: request => laneOf(request) === 'data',
        frameTimeoutMs: this.options.frameTimeoutMs,
        drainTimeoutMs: this.options.drainTimeoutMs,
        acceptAfterMs: this.options.acceptAfterMs,
        log: this.log
      })
    }, { maxInboundStreams: MAX_STREAMS_PER_PEER, maxOutboundStreams: MAX_OUTBOUND_STREAMS })
  }

  async stop (): Promise<void> {
    await this.components.registrar.unhandle(PROTOCOL)
  }

  private async serve (request: Request, context: RequestContext): Promise<Omit<Response, 'id'>> {
    const parts = this.parts
    if (parts === undefined) return { status: Status.NOT_READY, error: 'not started' }
    const reply = await dispatch(request, {
      from: this.directory.nodeOf(context.remotePeer),
      peers: this.directory,
      parts,
      guard: this.guard,
      accept: () => { context.accept() }
    })
    return { status: Status.OK, error: '', ...reply }
  }
}
