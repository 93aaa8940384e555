import { ChordError } from '../errors.js'
import { errorResponse, parseRequest, type ControlRequest, type ControlResponse, type RequestId } from './protocol.js'
import type { Logger } from '@libp2p/interface'
import type { Socket } from 'node:net'

export interface ConnectionOptions {
  /** Longest request line accepted (bytes, without the newline). */
  readonly maxLineBytes: number
  /** Requests in flight before reading pauses. */
  readonly maxInFlight: number
  readonly log: Logger
}

const NEWLINE = 0x0a

/**
 * One client of the control socket. It reads request lines, runs them
 * concurrently and writes each answer as it is ready. The server's side of
 * the connection ends only once every request read has been answered: a
 * client may half-close right after writing (`echo … | socat`, `nc -q`) and
 * still get its answers. Bad input gets a BAD_REQUEST answer and the
 * connection keeps going.
 */
export class Connection {
  readonly socket: Socket
  private readonly options: ConnectionOptions
  private readonly execute: (request: ControlRequest) => Promise<ControlResponse>
  /** The current line's pieces, before its newline arrives. */
  private readonly pending: Buffer[] = []
  private pendingBytes = 0
  /** Skipping the rest of an oversized line. */
  private discarding = false
  private inFlight = 0
  /** The client will send nothing more (it half-closed), or the server is closing. */
  private noMoreRequests = false

  constructor (socket: Socket, options: ConnectionOptions, execute: (request: ControlRequest) => Promise<ControlResponse>) {
    this.socket = socket
    this.options = options
    this.execute = execute
    socket.on('error', () => {})
    socket.on('data', (chunk: Buffer) => { this.receive(chunk) })
    socket.on('end', () => {
      // A last line without its newline is still a request.
      if (!this.discarding && this.pendingBytes > 0) this.line()
      this.noMoreRequests = true
      this.endIfAnswered()
    })
    socket.on('drain', () => { if (this.inFlight < this.options.maxInFlight && !this.noMoreRequests) socket.resume() })
  }

  /** Reads no more requests, and ends the connection once those read are answered. */
  finish (): void {
    this.noMoreRequests = true
    this.socket.pause()
    this.endIfAnswered()
  }

  private receive (chunk: Buffer): void {
    let start = 0
    while (start <= chunk.length) {
      const nl = chunk.indexOf(NEWLINE, start)
      const piece = chunk.subarray(start, nl < 0 ? chunk.length : nl)
      if (!this.discarding) {
        this.pendingBytes += piece.length
        if (this.pendingBytes > this.options.maxLineBytes) {
          this.discarding = true
          this.clearLine()
          this.send(undefined, errorResponse(undefined, 'BAD_REQUEST', `request line exceeds ${this.options.maxLineBytes} bytes`))
        } else if (piece.length > 0) {
          this.pending.push(piece)
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
    const text = Buffer.concat(this.pending).toString('utf8').replace(/\r$/, '')
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
    this.inFlight++
    if (this.inFlight >= this.options.maxInFlight) this.socket.pause()
    this.execute(parsed.request)
      .catch((err: unknown) => {
        const code = err instanceof ChordError ? err.code : 'INTERNAL'
        if (code === 'INTERNAL') this.options.log.error('control request failed - %e', err)
        return errorResponse(undefined, code, err instanceof Error ? err.message : String(err))
      })
      .then(response => {
        this.inFlight--
        this.send(parsed.id, response)
        if (this.inFlight < this.options.maxInFlight && !this.socket.writableNeedDrain && !this.noMoreRequests) this.socket.resume()
        this.endIfAnswered()
      })
  }

  private clearLine (): void {
    this.pending.length = 0
    this.pendingBytes = 0
  }

  private send (id: RequestId | undefined, response: ControlResponse): void {
    if (!this.socket.writable) return
    const line = JSON.stringify(id === undefined ? response : { id, ...response }) + '\n'
    if (!this.socket.write(line)) this.socket.pause()
  }

  /** Ends our side (after the queued answers are written) once nothing more will be asked or answered. */
  private endIfAnswered (): void {
    if (this.noMoreRequests && this.inFlight === 0 && this.socket.writable) this.socket.end()
  }
}
