import { createConnection, type Socket } from 'node:net'
import { ChordError } from '../errors.js'
import type { ControlResponse } from './protocol.js'

/** No peer listens on the control socket. */
export class NoPeerError extends ChordError {
  override name = 'NoPeerError'

  constructor (path: string, reason: string) {
    super('NO_PEER', `no chordkv peer is listening on ${path} (${reason}); start one with "chordkv start" or point --socket at a running peer's socket`)
  }
}

/**
 * A client of the control socket: sends JSON requests, numbering them, and
 * resolves each with the response carrying its id.
 */
export class ControlClient {
  private readonly socket: Socket
  private readonly waiting = new Map<number, { resolve: (response: ControlResponse) => void, reject: (err: Error) => void }>()
  private nextId = 1
  private buffered = ''
  private closedError: Error | undefined

  private constructor (socket: Socket) {
    this.socket = socket
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => { this.receive(chunk) })
    socket.on('close', () => { this.fail(new Error('the peer closed the control connection')) })
    socket.on('error', err => { this.fail(err) })
  }

  /** Connects to the socket at `path`; rejects with {@link NoPeerError} when nothing listens there. */
  static async connect (path: string): Promise<ControlClient> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(path)
      socket.once('connect', () => { resolve(new ControlClient(socket)) })
      socket.once('error', err => {
        const code = (err as NodeJS.ErrnoException).code
        reject(code === 'ENOENT' || code === 'ECONNREFUSED' ? new NoPeerError(path, code === 'ENOENT' ? 'no such socket' : 'connection refused') : err)
      })
    })
  }

  /** Sends one request (an id is added) and resolves with its response. */
  async request (body: Record<string, unknown>): Promise<ControlResponse> {
    if (this.closedError !== undefined) throw this.closedError
    const id = this.nextId++
    const response = new Promise<ControlResponse>((resolve, reject) => { this.waiting.set(id, { resolve, reject }) })
    this.socket.write(JSON.stringify({ ...body, id }) + '\n')
    return response
  }

  close (): void {
    this.socket.end()
  }

  private receive (chunk: string): void {
    this.buffered += chunk
    let nl: number
    while ((nl = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, nl)
      this.buffered = this.buffered.slice(nl + 1)
      let response: ControlResponse & { id?: number }
      try {
        response = JSON.parse(line) as ControlResponse & { id?: number }
      } catch {
        this.fail(new Error(`the peer sent a malformed response line: ${line.slice(0, 80)}`))
        this.socket.destroy()
        return
      }
      if (typeof response.id !== 'number') continue
      this.waiting.get(response.id)?.resolve(response)
      this.waiting.delete(response.id)
    }
  }

  private fail (err: Error): void {
    this.closedError ??= err
    for (const { reject } of this.waiting.values()) reject(err)
    this.waiting.clear()
  }
}
