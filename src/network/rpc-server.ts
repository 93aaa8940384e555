import { Request, Response, Status } from '../protocol/chord.js'
import { REQUEST_LIMITS, statusOf } from '../protocol/codec.js'
import { encodeFrame, FrameDecoder } from './frames.js'
import type { PeerBudgets } from './peer-budget.js'
import type { Logger, PeerId, Stream } from '@libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'

/** What a request handler learns about the request besides its body. */
export interface RequestContext {
  readonly remotePeer: PeerId
  /** The request was forwarded: unless its answer comes first, the interim ACCEPTED reply says the answer will follow. */
  accept (): void
}

/** Serves one decoded request; throws a ChordError to answer with its code. */
export type RequestHandler = (request: Request, context: RequestContext) => Promise<Omit<Response, 'id'>>

export interface ServeOptions {
  readonly maxFrameSize: number
  /** Requests served at once per stream; more are answered BUSY. */
  readonly maxInFlight: number
  /** What each remote peer may hold here, over all its streams. */
  readonly budgets: PeerBudgets
  /** Whether a request may bring a large answer (it then waits for one of its peer's heavy slots). */
  readonly isHeavy: (request: Request) => boolean
  /** A frame must arrive whole within this long of its first byte (ms). */
  readonly frameTimeoutMs: number
  /** A peer that reads none of its answers for this long has the stream reset (ms). */
  readonly drainTimeoutMs: number
  /** ACCEPTED is sent only for a request still unanswered this long after accept() (ms). */
  readonly acceptAfterMs: number
  readonly log: Logger
}

/**
 * Serves every request arriving on one inbound stream, concurrently, and
 * writes each reply tagged with its request's id. Nothing a peer sends can
 * throw out of here, and every frame read is answered or the stream is
 * reset with a reason:
 *
 * - a frame that is not a valid request is answered BAD_REQUEST and the
 *   stream keeps serving, since framing is still intact;
 * - a length prefix that is malformed or over the limit, or a frame that
 *   does not arrive whole in time, cannot be resynchronised: it is answered
 *   BAD_REQUEST, requests in flight are answered, and the stream is closed;
 * - beyond `maxInFlight` requests on the stream, or the peer's byte budget
 *   over all its streams, requests are answered BUSY; those that may bring
 *   large answers run a few at a time per peer, the rest wait their turn;
 * - a peer that stops reading its answers gets back-pressure: this side
 *   stops reading the stream until the answers drain, and resets it if they
 *   do not within `drainTimeoutMs` or would exceed the peer's budget.
 */
export function serveStream (stream: Stream, remotePeer: PeerId, handler: RequestHandler, options: ServeOptions): void {
  new InboundStream(stream, remotePeer, handler, options).start()
}

class InboundStream {
  private readonly stream: Stream
  private readonly remotePeer: PeerId
  private readonly peer: string
  private readonly handler: RequestHandler
  private readonly options: ServeOptions
  private readonly decoder: FrameDecoder
  private inFlight = 0
  /** Bytes of the unfinished frame charged to the peer's budget. */
  private partial = 0
  /** No more requests are read: the peer closed its side, or the framing broke. */
  private ending = false
  /** Why the framing broke: the stream is reset once the answers in flight are out. */
  private brokenBy: string | undefined
  private closed = false
  private frameTimer: ReturnType<typeof setTimeout> | undefined
  private drainTimer: ReturnType<typeof setTimeout> | undefined

  constructor (stream: Stream, remotePeer: PeerId, handler: RequestHandler, options: ServeOptions) {
    this.stream = stream
    this.remotePeer = remotePeer
    this.peer = remotePeer.toString()
    this.handler = handler
    this.options = options
    this.decoder = new FrameDecoder(options.maxFrameSize, stream.maxReadBufferLength)
  }

  start (): void {
    const { stream, options } = this
    if (!options.budgets.open(this.peer, stream)) {
      options.log('refusing a stream from %p: it has %d open', this.remotePeer, options.budgets.limits.maxStreams)
      stream.abort(new Error(`more than ${options.budgets.limits.maxStreams} streams from one peer`))
      return
    }
    // Answers waiting for a peer that does not read are bounded here too (libp2p resets beyond it).
    stream.maxWriteBufferLength = options.budgets.limits.maxBytes
    stream.addEventListener('message', evt => { this.receive(evt.data) })
    stream.addEventListener('remoteCloseWrite', () => {
      if (this.decoder.buffered > 0 && !this.ending) this.broken(`the stream ended inside a frame (${this.decoder.buffered} bytes)`)
      this.ending = true
      this.closeIfDone()
    })
    stream.addEventListener('drain', () => { this.drained() })
    stream.addEventListener('close', () => { this.released() })
  }

  private receive (chunk: Uint8Array | Uint8ArrayList): void {
    if (this.ending) return
    let frames = 0
    try {
      for (const frame of this.decoder.push(chunk)) {
        frames++
        this.onFrame(frame)
      }
    } catch (err) {
      this.broken(`bad frame: ${(err as Error).message}`)
      return
    }
    this.chargePartial(frames > 0)
  }

  /**
   * Keeps the unfinished frame charged to the peer's budget, and times it:
   * a frame must be whole within the frame timeout of its first byte.
   */
  private chargePartial (framesDone: boolean): void {
    const { budgets, frameTimeoutMs } = this.options
    const now = this.decoder.buffered
    if (now > this.partial && !budgets.take(this.peer, now - this.partial)) {
      this.reset(`the peer's unfinished frames and requests hold more than ${budgets.limits.maxBytes} bytes here`)
      return
    }
    if (now < this.partial) budgets.give(this.peer, this.partial - now)
    this.partial = now
    if (now === 0 || framesDone) {
      clearTimeout(this.frameTimer)
      this.frameTimer = undefined
    }
    if (now > 0 && this.frameTimer === undefined) {
      this.frameTimer = setTimeout(() => { this.broken(`a frame did not arrive whole within ${frameTimeoutMs} ms`) }, frameTimeoutMs)
    }
  }

  private onFrame (frame: Uint8ArrayList): void {
    let request: Request
    try {
      request = Request.decode(frame, { limits: REQUEST_LIMITS })
    } catch (err) {
      this.reply({ id: 0, status: Status.BAD_REQUEST, error: `malformed request: ${(err as Error).message}` })
      return
    }
    if (request.id === 0) {
      this.reply({ id: 0, status: Status.BAD_REQUEST, error: 'request id must not be 0' })
      return
    }
    const { maxInFlight, budgets } = this.options
    if (this.inFlight >= maxInFlight) {
      this.reply({ id: request.id, status: Status.BUSY, error: `more than ${maxInFlight} requests in flight on one stream` })
      return
    }
    const size = frame.byteLength
    if (!budgets.take(this.peer, size)) {
      this.reply({ id: request.id, status: Status.BUSY, error: `requests from this peer hold more than ${budgets.limits.maxBytes} bytes here` })
      return
    }
    this.serve(request, size)
  }

  private serve (request: Request, size: number): void {
    this.inFlight++
    const { budgets, isHeavy } = this.options
    if (isHeavy(request)) budgets.whenSlot(this.peer, () => { this.run(request, size, true) })
    else this.run(request, size, false)
  }

  private run (request: Request, size: number, heavy: boolean): void {
    const done = (): void => {
      // The request is done with: its bytes go back before its answer is queued.
      this.inFlight--
      this.options.budgets.give(this.peer, size)
      if (heavy) this.options.budgets.freeSlot(this.peer)
    }
    if (this.closed) {
      done()
      return
    }
    let answered = false
    let acceptTimer: ReturnType<typeof setTimeout> | undefined
    const context: RequestContext = {
      remotePeer: this.remotePeer,
      accept: () => {
        if (acceptTimer !== undefined || answered) return
        acceptTimer = setTimeout(() => {
          if (!answered) this.reply({ id: request.id, status: Status.ACCEPTED, error: '' })
        }, this.options.acceptAfterMs)
      }
    }
    this.handler(request, context)
      .then(response => ({ ...response, id: request.id }), (err: unknown) => {
        const status = statusOf(err)
        if (status === Status.INTERNAL) this.options.log.error('request from %p failed - %e', this.remotePeer, err)
        return { id: request.id, status, error: err instanceof Error ? err.message : String(err) }
      })
      .then(response => {
        answered = true
        clearTimeout(acceptTimer)
        done()
        this.reply(response)
        this.closeIfDone()
      })
      .catch((err: unknown) => { this.options.log.error('answering %p failed - %e', this.remotePeer, err) })
  }

  private reply (response: Response): void {
    const { stream, options } = this
    if (stream.writeStatus !== 'writable') return
    let frame = encodeFrame(Response.encode(response))
    if (frame.byteLength > options.maxFrameSize) {
      options.log.error('answer to %p is %d bytes, over the frame limit', this.remotePeer, frame.byteLength)
      frame = encodeFrame(Response.encode({ id: response.id, status: Status.INTERNAL, error: `the answer is ${frame.byteLength} bytes, over the frame limit of ${options.maxFrameSize}` }))
    }
    const unread = options.budgets.unreadOf(this.peer)
    if (unread + frame.byteLength > options.budgets.limits.maxBytes) {
      this.reset(`the peer does not read its answers (${unread} bytes unread)`)
      return
    }
    try {
      if (!stream.send(frame)) this.backPressure()
    } catch (err) {
      options.log.trace('could not reply to %p: %s', this.remotePeer, (err as Error).message)
    }
  }

  /** The peer is not reading: read no more requests until it does, and give up on it after a while. */
  private backPressure (): void {
    if (this.drainTimer !== undefined || this.closed) return
    if (this.stream.readStatus === 'readable') this.stream.pause()
    this.drainTimer = setTimeout(() => { this.reset(`the peer read no answers for ${this.options.drainTimeoutMs} ms`) }, this.options.drainTimeoutMs)
  }

  private drained (): void {
    if (this.drainTimer === undefined) return
    clearTimeout(this.drainTimer)
    this.drainTimer = undefined
    if (!this.ending && this.stream.readStatus === 'paused') this.stream.resume()
  }

  /**
   * The framing cannot be trusted any more: say why, read nothing more, and
   * close once the requests in flight are answered.
   */
  private broken (why: string): void {
    if (this.ending) return
    this.options.log('closing a stream from %p: %s', this.remotePeer, why)
    this.reply({ id: 0, status: Status.BAD_REQUEST, error: `${why}; closing the stream` })
    this.ending = true
    this.brokenBy = why
    this.options.budgets.give(this.peer, this.partial)
    this.partial = 0
    clearTimeout(this.frameTimer)
    if (this.stream.readStatus === 'readable') this.stream.pause()
    this.closeIfDone()
  }

  /**
   * Once nothing more will be asked or answered, close our side (after the
   * answers are written). A peer that will not take them is reset, and so is
   * a stream whose framing broke, since its peer may still be sending.
   */
  private closeIfDone (): void {
    if (!this.ending || this.inFlight > 0 || this.closed) return
    this.stream.close({ signal: AbortSignal.timeout(this.options.drainTimeoutMs) }).then(() => {
      if (this.brokenBy !== undefined) this.reset(this.brokenBy)
    }, (err: unknown) => {
      this.reset(`closing the stream failed: ${(err as Error).message}`)
    })
  }

  private reset (why: string): void {
    if (this.closed) return
    this.options.log('resetting a stream from %p: %s', this.remotePeer, why)
    this.stream.abort(new Error(why))
  }

  /** The stream is gone: return what it held to the peer's budget. */
  private released (): void {
    this.closed = true
    this.ending = true
    clearTimeout(this.frameTimer)
    clearTimeout(this.drainTimer)
    this.options.budgets.give(this.peer, this.partial)
    this.partial = 0
    this.options.budgets.close(this.peer, this.stream)
  }
}
