import { StringDecoder } from 'node:string_decoder'
import { BadRequestError, ChordError } from '../errors.js'
import { errorResponse, parseRequest, type ControlRequest, type ControlResponse, type RequestId } from './protocol.js'
import type { WriteBudget } from './write-budget.js'
import type { Logger } from '@libp2p/interface'
import type { Socket } from 'node:net'

export interface ConnectionOptions {
  /** Longest request line accepted (bytes, without the newline). */
  readonly maxLineBytes: number
  /** Largest value accepted (bytes): named in the answer to a line over the limit. */
  readonly maxValueBytes?: number | undefined
  /** A connection that sent part of a line and then nothing for this long is answered and closed (ms). */
  readonly idleLineMs: number
  /** Requests in flight before reading pauses. */
  readonly maxInFlight: number
  /**
   * Bytes before reading pauses: of the request lines in flight, and of the
   * answers the client has not read yet.
   */
  readonly maxBytesInFlight: number
  /** Room for puts, shared with the peer's other connections. */
  readonly writes: WriteBudget
  readonly log: Logger
}

const NEWLINE = 0x0a
/** How much of an over-long line is searched for its id. */
const ID_SEARCH_CHARS = 256
/** An id at the very start of a request line: `{"id":12,…` or `{"id":"a",…`. */
const LEADING_ID = /^\s*\{\s*"id"\s*:\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|"(?:[^"\\]|\\.)*")\s*[,}]/

/** What a request may do on its connection besides answering. */
export interface RequestContext {
  readonly id: RequestId | undefined
  /** Watches open on this connection. */
  readonly watches: number
  /**
   * Opens a stream of events for this request, sent after its answer, each
   * line carrying its id: `start` gets the function that sends one and
   * resolves with the one that ends the stream (on unwatch, on overflow,
   * when the connection closes).
   */
  watch (start: (push: (event: Record<string, unknown>) => void) => Promise<() => void>): Promise<void>
  /** Ends the stream of the request `id` on this connection; false when there is none. */
  unwatch (id: RequestId): boolean
}

/** A stream of events open on a connection. */
interface Stream {
  cancel: () => void
  /** Its request was answered: events go out as they come (before, they wait). */
  answered: boolean
  readonly queued: string[]
}

/** Events kept for a watch whose answer is not out yet. */
const MAX_QUEUED_EVENTS = 1024

/**
 * One client of the control socket. It reads request lines, runs them
 * concurrently and writes each answer as it is ready. The server's side of
 * the connection ends only once every request read has been answered: a
 * client may half-close right after writing (`echo … | socat`, `nc -q`) and
 * still get its answers. Bad input gets a BAD_REQUEST answer and the
 * connection keeps going. A watch streams events after its answer until it
 * is ended (unwatch, or the client closing its side); a client that reads them too slowly (its unread bytes past the
 * connection's bound) gets an `overflow` event, and the watch ends.
 */
export class Connection {
  readonly socket: Socket
  private readonly options: ConnectionOptions
  private readonly execute: (request: ControlRequest, context: RequestContext) => Promise<ControlResponse>
  /** Watches streaming events, by the id of their request. */
  private readonly streams = new Map<RequestId, Stream>()
  /**
   * The current line so far, decoded piece by piece (V8 strings, so a long
   * line is never copied into one more large buffer), before its newline.
   */
  private pending = ''
  private readonly decoder = new StringDecoder('utf8')
  private pendingBytes = 0
  /** Skipping the rest of an oversized line. */
  private discarding = false
  private inFlight = 0
  private bytesInFlight = 0
  /** The unread rest of a chunk, kept while the in-flight bounds are reached. */
  private backlog: Buffer | undefined
  /** The client half-closed: what is left of the backlog and the last line are all there will be. */
  private ended = false
  /** The client will send nothing more (it half-closed), or the server is closing. */
  private noMoreRequests = false
  /** Kept open although answered, until the server closes (see hold). */
  private held = false
  /** A put of ours was answered BUSY: nothing more is read until the write budget frees room. */
  private throttled = false
  private readonly unthrottle = (): void => {
    this.throttled = false
    this.resumeIfRoom()
  }

  /** Fires when a started line got no more bytes for `idleLineMs`. */
  private idleTimer: ReturnType<typeof setTimeout> | undefined

  constructor (socket: Socket, options: ConnectionOptions, execute: (request: ControlRequest, context: RequestContext) => Promise<ControlResponse>) {
    this.socket = socket
    this.options = options
    this.execute = execute
    socket.on('error', () => {})
    socket.on('data', (chunk: Buffer) => {
      const backlog = this.backlog
      this.backlog = undefined
      this.receive(backlog === undefined ? chunk : Buffer.concat([backlog, chunk]))
      this.watchIdleLine()
    })
    socket.on('end', () => {
      // A client done sending is done watching: its watches end, and the connection with its last answer.
      this.endStreams()
      this.ended = true
      this.watchIdleLine()
      this.endOfRequests()
    })
    socket.on('drain', () => { this.resumeIfRoom() })
    socket.on('close', () => {
      clearTimeout(this.idleTimer)
      options.writes.forget(this.unthrottle)
      this.endStreams()
    })
  }

  /**
   * A client that sends part of a line and then nothing would hold its
   * connection and the line's bytes for ever: while a line is unfinished
   * (and the peer is reading), it has `idleLineMs` to send more.
   */
  private watchIdleLine (): void {
    clearTimeout(this.idleTimer)
    this.idleTimer = undefined
    const unfinished = this.pendingBytes > 0 || this.discarding
    // Only while the peer reads: a paused connection waits on the peer, not on the client.
    if (!unfinished || this.ended || this.backlog !== undefined || !this.hasRoom()) return
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined
      const seconds = this.options.idleLineMs / 1000
      this.send(undefined, errorResponse(undefined, 'BAD_REQUEST', `request line unfinished: no byte for ${seconds} s; closing the connection`))
      this.clearLine()
      this.discarding = false
      this.finish()
    }, this.options.idleLineMs)
    this.idleTimer.unref()
  }

  /** Once the client half-closed and its backlog is read: a last line without its newline is still a request. */
  private endOfRequests (): void {
    if (!this.ended || this.backlog !== undefined || this.noMoreRequests) return
    if (!this.discarding && this.pendingBytes > 0) this.line()
    this.noMoreRequests = true
    this.endIfAnswered()
  }

  /** Reads no more requests, and ends the connection once those read are answered. */
  finish (): void {
    this.held = false
    this.noMoreRequests = true
    this.endStreams()
    this.socket.pause()
    this.endIfAnswered()
  }

  /**
   * Reads no more requests and keeps the connection open, answered or not,
   * until {@link finish}: the peer is stopping, and a client waiting for it
   * to stop sees the connection end only once it has.
   */
  hold (): void {
    this.held = true
    this.noMoreRequests = true
    this.socket.pause()
  }

  /** Reads the chunk's lines while the in-flight bounds leave room; the rest waits in the backlog. */
  private receive (chunk: Buffer): void {
    let start = 0
    while (start <= chunk.length) {
      if (!this.hasRoom()) {
        this.backlog = start < chunk.length ? chunk.subarray(start) : undefined
        this.socket.pause()
        return
      }
      const nl = chunk.indexOf(NEWLINE, start)
      const piece = chunk.subarray(start, nl < 0 ? chunk.length : nl)
      if (!this.discarding) {
        this.pendingBytes += piece.length
        if (this.pendingBytes > this.options.maxLineBytes) {
          const id = leadingId(this.pending, piece)
          this.discarding = true
          this.clearLine()
          this.send(id, errorResponse(id, 'BAD_REQUEST', this.tooLong()))
        } else if (piece.length > 0) {
          this.pending += this.decoder.write(piece)
        }
      }
      if (nl < 0) return
      if (this.discarding) this.discarding = false
      else this.line()
      start = nl + 1
    }
  }

  /** Handles the line collected so far. */
  private line (): void {
    const text = (this.pending + this.decoder.end()).replace(/\r$/, '')
    const lineBytes = this.pendingBytes
    this.clearLine()
    if (text.trim() === '') return
    let parsed: ReturnType<typeof parseRequest>
    try {
      parsed = parseRequest(text)
    } catch (err) {
      this.options.log.error('cannot parse a control request - %e', err)
      this.send(undefined, errorResponse(undefined, 'INTERNAL', `the request could not be parsed: ${(err as Error).message}`))
      return
    }
    if ('error' in parsed) {
      this.send(parsed.id, errorResponse(parsed.id, parsed.error.code, parsed.error.message))
      return
    }
    const { request } = parsed
    const writeBytes = request.op === 'put' ? request.value.byteLength : 0
    if (writeBytes > 0 && !this.options.writes.take(writeBytes)) {
      const { writes } = this.options
      this.send(parsed.id, errorResponse(parsed.id, 'BUSY', `the peer is busy: ${writes.bytes} bytes of writes are under way (at most ${writes.maxBytes}); retry later`))
      this.throttled = true
      writes.whenFreed(this.unthrottle)
      this.socket.pause()
      return
    }
    this.inFlight++
    this.bytesInFlight += lineBytes
    if (!this.hasRoom()) this.socket.pause()
    this.execute(request, this.contextOf(parsed.id))
      .catch((err: unknown) => {
        const code = err instanceof ChordError ? err.code : 'INTERNAL'
        if (code === 'INTERNAL') this.options.log.error('control request failed - %e', err)
        return errorResponse(undefined, code, err instanceof Error ? err.message : String(err))
      })
      .then(response => {
        this.inFlight--
        this.bytesInFlight -= lineBytes
        if (writeBytes > 0) this.options.writes.give(writeBytes)
        this.send(parsed.id, response)
        this.answered(parsed.id)
        this.resumeIfRoom()
        this.endIfAnswered()
      })
  }

  /** What the request `id` may do on this connection. */
  private contextOf (id: RequestId | undefined): RequestContext {
    return {
      id,
      watches: this.streams.size,
      watch: async start => {
        if (id === undefined) throw new BadRequestError('a watch needs an "id": its events carry it')
        if (this.streams.has(id)) throw new BadRequestError(`a watch with id ${JSON.stringify(id)} is already open on this connection`)
        const stream: Stream = { cancel: () => {}, answered: false, queued: [] }
        this.streams.set(id, stream)
        try {
          stream.cancel = await start(event => { this.push(id, stream, event) })
        } catch (err) {
          this.streams.delete(id)
          throw err
        }
        // Ended while it was being set up (the connection closed, an overflow).
        if (this.streams.get(id) !== stream) stream.cancel()
      },
      unwatch: watched => {
        const stream = this.streams.get(watched)
        if (stream === undefined) return false
        this.streams.delete(watched)
        stream.cancel()
        this.endIfAnswered()
        return true
      }
    }
  }

  private endStreams (): void {
    for (const stream of this.streams.values()) stream.cancel()
    this.streams.clear()
  }

  /** Sends a watch's event, after its answer; a client too far behind ends the watch with an overflow event. */
  private push (id: RequestId, stream: Stream, event: Record<string, unknown>): void {
    if (this.streams.get(id) !== stream || !this.socket.writable) return
    const line = JSON.stringify({ id, ...event }) + '\n'
    if (!stream.answered) {
      if (stream.queued.length < MAX_QUEUED_EVENTS) stream.queued.push(line)
      else this.overflow(id, stream)
      return
    }
    if (this.socket.writableLength > this.options.maxBytesInFlight) {
      this.overflow(id, stream)
      return
    }
    this.socket.write(line)
  }

  private overflow (id: RequestId, stream: Stream): void {
    this.streams.delete(id)
    stream.cancel()
    const message = `the client read too slowly (over ${this.options.maxBytesInFlight} bytes unread): the watch ended; watch again with "since" the last version read`
    this.socket.write(JSON.stringify({ id, event: 'overflow', message }) + '\n')
    this.endIfAnswered()
  }

  /** The answer to `id` is out: its watch's queued events follow. */
  private answered (id: RequestId | undefined): void {
    const stream = id === undefined ? undefined : this.streams.get(id)
    if (stream === undefined || stream.answered) return
    stream.answered = true
    for (const line of stream.queued.splice(0)) this.socket.write(line)
  }

  /**
   * Whether another request may be read: below the in-flight bounds, and the
   * client reads its answers (so the answers of the requests in flight, at
   * most `maxInFlight`, are all a client that stops reading can hold here).
   */
  private hasRoom (): boolean {
    const { maxInFlight, maxBytesInFlight } = this.options
    return !this.throttled && this.inFlight < maxInFlight && this.bytesInFlight < maxBytesInFlight && this.socket.writableLength < maxBytesInFlight
  }

  private resumeIfRoom (): void {
    if (!this.hasRoom() || this.noMoreRequests) return
    const backlog = this.backlog
    this.backlog = undefined
    if (backlog !== undefined) this.receive(backlog)
    if (this.backlog === undefined) {
      if (this.ended) this.endOfRequests()
      else this.socket.resume()
    }
    this.watchIdleLine()
  }

  /** The answer to a line over the limit, naming the limit and the value limit behind it. */
  private tooLong (): string {
    const { maxLineBytes, maxValueBytes } = this.options
    const values = maxValueBytes === undefined ? '' : ` (values of up to ${maxValueBytes} bytes fit: limits.maxValueBytes)`
    return `request line exceeds the limit of ${maxLineBytes} bytes${values}`
  }

  private clearLine (): void {
    this.pending = ''
    this.decoder.end()
    this.pendingBytes = 0
  }

  private send (id: RequestId | undefined, response: ControlResponse): void {
    if (!this.socket.writable) return
    const line = JSON.stringify(id === undefined ? response : { id, ...response }) + '\n'
    if (!this.socket.write(line)) this.socket.pause()
  }

  /** Ends our side (after the queued answers are written) once nothing more will be asked or answered. */
  private endIfAnswered (): void {
    if (this.noMoreRequests && !this.held && this.inFlight === 0 && this.streams.size === 0 && this.socket.writable) this.socket.end()
  }
}

/**
 * The id of an over-long line, if the line starts with it (the chordkv
 * client writes it first): read from the line's first bytes, so the answer
 * reaches the request that caused it.
 */
function leadingId (pending: string, piece: Buffer): RequestId | undefined {
  const head = (pending.length >= ID_SEARCH_CHARS ? pending : pending + piece.subarray(0, ID_SEARCH_CHARS).toString('utf8')).slice(0, ID_SEARCH_CHARS)
  const match = LEADING_ID.exec(head)
  if (match === null) return undefined
  try {
    const id = JSON.parse(match[1] as string) as unknown
    return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : undefined
  } catch {
    return undefined
  }
}
