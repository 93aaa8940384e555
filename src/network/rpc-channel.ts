import { RequestTimeoutError, UnreachableError } from '../errors.js'
import { Request, Response, Status } from '../protocol/chord.js'
import { RESPONSE_LIMITS } from '../protocol/codec.js'
import { encodeFrame, FrameDecoder } from './frames.js'
import { peerTimer } from './peer-timer.js'
import type { Stream } from '@libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'

/** How long one call may take. */
export interface CallOptions {
  /** Milliseconds to wait for the reply, or for an ACCEPTED interim reply. */
  readonly timeoutMs: number
  /**
   * Called when the peer answers ACCEPTED (it forwarded the request); returns
   * how many milliseconds to wait from then on for the final reply.
   */
  readonly onAccepted?: () => number
}

interface Pending {
  readonly resolve: (response: Response) => void
  readonly reject: (err: Error) => void
  readonly options: CallOptions
  /** Bytes of the request frame. */
  readonly bytes: number
  /** Cancels the wait's timer. */
  cancelTimer: () => void
}

/** Requests up to this size go out whatever bulk is outstanding, so maintenance never waits behind values (bytes). */
const SMALL_REQUEST = 16 * 1024
/** Extra time a request gets per byte it carries, as if the link moved about 8 MB/s (ms per byte). */
const MS_PER_BYTE = 1 / (8 * 1024)

/**
 * The client end of one outbound stream: requests are tagged with ids, many
 * may be in flight, and replies are matched back to their callers whatever
 * their order. When the stream closes every pending call fails with
 * {@link UnreachableError}, so callers can treat the peer as dead at once
 * instead of waiting for a timeout.
 */
export class RpcChannel {
  private readonly stream: Stream
  private readonly decoder: FrameDecoder
  private readonly pending = new Map<number, Pending>()
  private readonly peerName: string
  private nextId = 1
  private drained: Promise<void> | undefined
  /**
   * Why the channel failed, made into an error only once a caller is told:
   * a closing connection fails each of its channels, most with nothing in
   * flight, and an error's stack cost more than the rest of the close.
   */
  private failure: Error | (() => Error) | undefined
  /** Requests in flight at most: the server answers BUSY beyond its own limit. */
  private readonly window: number
  /** Bytes of requests in flight at most (a larger request goes alone): the server's per-peer budget is larger. */
  private readonly maxBytes: number
  private bytes = 0
  private readonly queue: Array<() => void> = []

  constructor (stream: Stream, peerName: string, maxFrameSize: number, window: number, maxBytes = 2 * maxFrameSize) {
    this.stream = stream
    this.peerName = peerName
    this.window = window
    this.maxBytes = maxBytes
    this.decoder = new FrameDecoder(maxFrameSize)
    stream.addEventListener('message', evt => { this.receive(evt.data) })
    stream.addEventListener('close', evt => {
      this.fail(() => new UnreachableError(`stream to ${peerName} closed${evt.error === undefined ? '' : `: ${evt.error.message}`}`))
    })
    stream.addEventListener('remoteCloseWrite', () => {
      this.fail(() => new UnreachableError(`${peerName} closed its side of the stream`))
    })
  }

  /** Whether the channel can still carry requests. */
  get open (): boolean {
    return this.failure === undefined && this.stream.status === 'open' && this.stream.writeStatus === 'writable'
  }

  /** Number of calls waiting for replies. */
  get inFlight (): number {
    return this.pending.size
  }

  /**
   * Sends one request and resolves with its final reply (any status). A
   * request waits for room in the window, by count and, unless it is small,
   * by bytes; the wait does not count against its timeout, which grows with
   * the bytes it carries.
   */
  async call (body: Omit<Request, 'id'>, options: CallOptions): Promise<Response> {
    const id = this.nextId
    this.nextId = this.nextId >= 0xffffffff ? 1 : this.nextId + 1
    const frame = encodeFrame(Request.encode({ ...body, id }))
    while (!this.fits(frame.byteLength) && this.failure === undefined) {
      await new Promise<void>(resolve => { this.queue.push(resolve) })
    }
    if (this.failure !== undefined) throw this.failed()
    const reply = Promise.withResolvers<Response>()
    const timeoutMs = options.timeoutMs + frame.byteLength * MS_PER_BYTE
    const pending: Pending = {
      resolve: reply.resolve,
      reject: reply.reject,
      options: { ...options, timeoutMs },
      bytes: frame.byteLength,
      cancelTimer: this.startTimer(id, timeoutMs)
    }
    this.pending.set(id, pending)
    this.bytes += frame.byteLength
    try {
      await this.write(frame)
    } catch (err) {
      this.settle(id)?.reject(err instanceof Error ? err : new Error(String(err)))
    }
    return reply.promise
  }

  /** Whether a request of this many bytes may go now. */
  private fits (bytes: number): boolean {
    if (this.pending.size >= this.window) return false
    return bytes <= SMALL_REQUEST || this.bytes === 0 || this.bytes + bytes <= this.maxBytes
  }

  /** Gives the stream up as dead: pending and waiting calls fail with `err` at once. */
  abandon (err: Error): void {
    this.fail(err)
    this.stream.abort(err)
  }

  /** Closes the stream; pending calls fail. */
  close (): void {
    this.fail(() => new UnreachableError(`stream to ${this.peerName} closed locally`))
    this.stream.close().catch(() => { this.stream.abort(new Error('close failed')) })
  }

  private async write (frame: Uint8ArrayList): Promise<void> {
    while (this.drained !== undefined) await this.drained
    if (this.failure !== undefined) throw this.failed()
    try {
      if (!this.stream.send(frame)) {
        // A close while draining fails the pending calls through the 'close' listener.
        this.drained = this.stream.onDrain().catch(() => {}).finally(() => { this.drained = undefined })
      }
    } catch (err) {
      throw new UnreachableError(`cannot write to ${this.peerName}: ${(err as Error).message}`)
    }
  }

  private receive (chunk: Uint8Array | Uint8ArrayList): void {
    try {
      for (const frame of this.decoder.push(chunk)) this.dispatch(Response.decode(frame, { limits: RESPONSE_LIMITS }))
    } catch (err) {
      const failure = new UnreachableError(`${this.peerName} sent a malformed reply: ${(err as Error).message}`)
      this.fail(failure)
      this.stream.abort(failure)
    }
  }

  private dispatch (response: Response): void {
    const pending = this.pending.get(response.id)
    if (pending === undefined) return // reply to a call that already timed out
    if (response.status === Status.ACCEPTED) {
      pending.cancelTimer()
      pending.cancelTimer = this.startTimer(response.id, pending.options.onAccepted?.() ?? pending.options.timeoutMs)
      return
    }
    this.settle(response.id)?.resolve(response)
  }

  private startTimer (id: number, ms: number): () => void {
    return peerTimer(ms, () => {
      this.settle(id)?.reject(new RequestTimeoutError(`${this.peerName} did not answer within ${Math.round(ms)} ms`))
    })
  }

  private settle (id: number): Pending | undefined {
    const pending = this.pending.get(id)
    if (pending === undefined) return undefined
    pending.cancelTimer()
    this.pending.delete(id)
    this.bytes -= pending.bytes
    // Every waiter checks again: a freed slot may fit several small requests or one large one.
    for (const wake of this.queue.splice(0)) wake()
    return pending
  }

  private fail (why: Error | (() => Error)): void {
    this.failure ??= why
    if (this.pending.size > 0) {
      const err = typeof why === 'function' ? why() : why
      for (const id of [...this.pending.keys()]) this.settle(id)?.reject(err)
    }
    for (const wake of this.queue.splice(0)) wake()
  }

  /** The failure as an error, made the first time a caller is told. */
  private failed (): Error {
    if (typeof this.failure === 'function') this.failure = this.failure()
    return this.failure as Error
  }
}
