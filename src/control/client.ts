import { createConnection, type Socket } from 'node:net'
import { ChordError, isErrorCode, RemoteError } from '../errors.js'
import type { ControlResponse, Op, ResponseLine } from './protocol.js'

/** No peer listens on the control socket. */
export class NoPeerError extends ChordError {
  override name = 'NoPeerError'

  constructor (path: string, reason: string) {
    super('NO_PEER', `no chordkv peer is listening on ${path} (${reason}); start one with "chordkv start" or point --socket at a running peer's socket`)
  }
}

/** The peer did not answer within the client's time limit (it may be wedged or overloaded). */
export class ClientTimeoutError extends ChordError {
  override name = 'ClientTimeoutError'

  constructor (path: string, timeoutMs: number) {
    super('CLIENT_TIMEOUT', `the peer at ${path} did not answer within ${timeoutMs >= 1000 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`} (--timeout)`)
  }
}

/** The peer closed the connection before answering. */
export class ConnectionClosedError extends ChordError {
  override name = 'ConnectionClosedError'

  constructor () {
    super('CLOSED', 'the peer closed the control connection before answering')
  }
}

/** The control socket may not be opened by this user. */
export class NoAccessError extends ChordError {
  override name = 'NoAccessError'

  constructor (path: string) {
    super('NO_ACCESS', `cannot open the control socket ${path}: permission denied (it is mode 0600: run the command as the user that runs the peer)`)
  }
}

export interface ClientOptions {
  /** Aborting it fails the pending call with the signal's reason. */
  readonly signal?: AbortSignal | undefined
}

/**
 * A client of the control socket: sends JSON requests, numbering them, and
 * resolves each with the response carrying its id.
 */
export class ControlClient {
  private readonly socket: Socket
  private readonly waiting = new Map<number, { resolve: (response: ResponseLine) => void, reject: (err: Error) => void }>()
  /** Listeners to the events of watch requests, by request id. */
  private readonly listeners = new Map<number, (event: Record<string, unknown>) => void>()
  private nextId = 1
  private buffered = ''
  private closedError: Error | undefined
  /** Resolves when the peer has closed the connection. */
  readonly closed: Promise<void>

  private constructor (socket: Socket) {
    this.socket = socket
    const { promise, resolve } = Promise.withResolvers<void>()
    this.closed = promise
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => { this.receive(chunk) })
    socket.on('close', () => {
      this.fail(new ConnectionClosedError())
      resolve()
    })
    socket.on('error', err => { this.fail(err) })
  }

  /**
   * Connects to the socket at `path`; rejects with {@link NoPeerError} when
   * nothing listens there.
   */
  static async connect (path: string, options: ClientOptions = {}): Promise<ControlClient> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(path)
      const onAbort = (): void => {
        socket.destroy()
        reject(options.signal?.reason)
      }
      options.signal?.addEventListener('abort', onAbort, { once: true })
      socket.once('connect', () => {
        options.signal?.removeEventListener('abort', onAbort)
        resolve(new ControlClient(socket))
      })
      socket.once('error', err => {
        options.signal?.removeEventListener('abort', onAbort)
        reject(connectError(path, err))
      })
    })
  }

  /**
   * Sends one request of an op and resolves with its answer, typed as that
   * op's reply (control/replies.ts): the peer speaks the control protocol.
   */
  async call<O extends Op> (request: { readonly op: O } & Readonly<Record<string, unknown>>, options: ClientOptions = {}): Promise<ControlResponse<O>> {
    return await this.request(request, options) as ControlResponse<O>
  }

  /** Sends one request (an id is added) and resolves with its response line, whatever it holds. */
  async request (body: Readonly<Record<string, unknown>>, options: ClientOptions = {}): Promise<ResponseLine> {
    if (this.closedError !== undefined) throw this.closedError
    options.signal?.throwIfAborted()
    const id = this.nextId++
    const response = new Promise<ResponseLine>((resolve, reject) => { this.waiting.set(id, { resolve, reject }) })
    const onAbort = (): void => {
      this.waiting.get(id)?.reject(options.signal?.reason)
      this.waiting.delete(id)
    }
    options.signal?.addEventListener('abort', onAbort, { once: true })
    // The id goes first: a peer that cannot read a whole line (one over its limit) still reads the id.
    this.socket.write(JSON.stringify({ id, ...body }) + '\n')
    return response.finally(() => { options.signal?.removeEventListener('abort', onAbort) })
  }

  /**
   * Sends a watch request; `onEvent` hears each event line that follows
   * its answer. Resolves with the answer.
   */
  async watch (body: Readonly<Record<string, unknown>>, onEvent: (event: Record<string, unknown>) => void, options: ClientOptions = {}): Promise<ResponseLine> {
    const id = this.nextId
    this.listeners.set(id, onEvent)
    const response = await this.request({ ...body, op: 'watch' }, options)
    if (response.ok !== true) this.listeners.delete(id)
    return response
  }

  /** Ends the connection (our side; the peer closes its side once it has answered). */
  close (): void {
    this.socket.end()
  }

  /** Drops the connection at once. */
  destroy (): void {
    this.socket.destroy()
  }

  private receive (chunk: string): void {
    this.buffered += chunk
    let nl: number
    while ((nl = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, nl)
      this.buffered = this.buffered.slice(nl + 1)
      let response: ResponseLine
      try {
        response = JSON.parse(line) as ResponseLine
      } catch {
        this.fail(new Error(`the peer sent a malformed response line: ${line.slice(0, 80)}`))
        this.socket.destroy()
        return
      }
      if (typeof response.id === 'number' && 'event' in response) {
        this.listeners.get(response.id)?.(response)
      } else if (typeof response.id === 'number') {
        this.waiting.get(response.id)?.resolve(response)
        this.waiting.delete(response.id)
      } else {
        this.unattributed(response)
      }
    }
  }

  /**
   * An answer without an id: an error about a line the peer could not read
   * (BAD_REQUEST for a line over its limit). With one request waiting it is
   * that request's answer; with several, none can be told apart, so all fail.
   */
  private unattributed (response: ResponseLine): void {
    if (this.waiting.size === 1) {
      for (const [id, { resolve }] of this.waiting) {
        this.waiting.delete(id)
        resolve(response)
      }
      return
    }
    const error = (response as { error?: { code?: unknown, message?: unknown } }).error
    if (error === undefined || this.waiting.size === 0) return
    const err = new RemoteError(isErrorCode(error.code) ? error.code : 'INTERNAL', `the peer answered one of ${this.waiting.size} requests without its id: ${String(error.message ?? '')}`)
    for (const { reject } of this.waiting.values()) reject(err)
    this.waiting.clear()
  }

  private fail (err: Error): void {
    this.closedError ??= err
    for (const { reject } of this.waiting.values()) reject(err)
    this.waiting.clear()
  }
}

/** A connection failure in words a user can act on. */
function connectError (path: string, err: Error): Error {
  const code = (err as NodeJS.ErrnoException).code
  if (code === 'ENOENT') return new NoPeerError(path, 'no such socket')
  if (code === 'ECONNREFUSED') return new NoPeerError(path, 'connection refused')
  if (code === 'EACCES') return new NoAccessError(path)
  return err
}
