import { chmod, lstat, unlink } from 'node:fs/promises'
import { createConnection, createServer, type Server, type Socket } from 'node:net'
import { ChordError, ConfigError } from '../errors.js'
import { encodeBytes, errorResponse, parseRequest, type ControlRequest, type ControlResponse, type RequestId } from './protocol.js'
import type { ControlApi } from './api.js'
import type { Logger } from '@libp2p/interface'

export interface ControlServerOptions {
  readonly path: string
  /** Longest request line accepted (bytes, without the newline). */
  readonly maxLineBytes: number
  /** Requests in flight per connection before reading pauses. */
  readonly maxInFlight?: number
  readonly log: Logger
}

const NEWLINE = 0x0a

/**
 * The control socket: a Unix domain socket (mode 0600) speaking JSON lines.
 * Each connection may pipeline requests; responses carry the request's id
 * and go out as soon as each operation finishes. Bad input gets a
 * BAD_REQUEST response and the connection keeps going; nothing a client
 * sends can stop the peer serving others.
 */
export class ControlServer {
  private readonly api: ControlApi
  private readonly options: ControlServerOptions
  private readonly sockets = new Set<Socket>()
  private server: Server | undefined

  constructor (api: ControlApi, options: ControlServerOptions) {
    this.api = api
    this.options = options
  }

  /**
   * Starts listening. A socket file left by a crashed run is replaced; one
   * that a live peer still serves, or a path that is not a socket, is an error.
   */
  async listen (): Promise<void> {
    const { path } = this.options
    await clearStaleSocket(path)
    const server = createServer(socket => { this.serve(socket) })
    // Create the socket file without group/other access; chmod makes sure.
    const previous = process.umask(0o177)
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(path, () => {
          server.off('error', reject)
          resolve()
        })
      })
    } finally {
      process.umask(previous)
    }
    await chmod(path, 0o600)
    server.on('error', err => { this.options.log.error('control socket error - %e', err) })
    this.server = server
  }

  /** Stops listening, drops clients and removes the socket file. */
  async close (): Promise<void> {
    const server = this.server
    this.server = undefined
    if (server === undefined) return
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>(resolve => { server.close(() => { resolve() }) })
    await unlink(this.options.path).catch(() => {})
  }

  private serve (socket: Socket): void {
    this.sockets.add(socket)
    socket.on('close', () => { this.sockets.delete(socket) })
    socket.on('error', () => {})
    const maxInFlight = this.options.maxInFlight ?? 1024
    const pending: Buffer[] = []
    let pendingBytes = 0
    let discarding = false
    let inFlight = 0

    const send = (id: RequestId | undefined, response: ControlResponse, then?: () => void): void => {
      if (socket.destroyed) return
      const line = JSON.stringify(id === undefined ? response : { id, ...response }) + '\n'
      if (!socket.write(line, then === undefined ? undefined : () => { then() })) socket.pause()
    }
    socket.on('drain', () => { if (inFlight < maxInFlight) socket.resume() })

    const handle = (line: string): void => {
      if (line.trim() === '') return
      const parsed = parseRequest(line)
      if ('error' in parsed) {
        send(parsed.id, errorResponse(parsed.id, parsed.error.code, parsed.error.message))
        return
      }
      if (parsed.request.op === 'leave') {
        send(parsed.id, { ok: true }, () => { this.api.leave().catch(err => { this.options.log.error('leave failed - %e', err) }) })
        return
      }
      inFlight++
      if (inFlight >= maxInFlight) socket.pause()
      this.execute(parsed.request)
        .catch((err: unknown) => {
          const code = err instanceof ChordError ? err.code : 'INTERNAL'
          if (code === 'INTERNAL') this.options.log.error('control request failed - %e', err)
          return errorResponse(undefined, code, err instanceof Error ? err.message : String(err))
        })
        .then(response => {
          inFlight--
          send(parsed.id, response)
          if (inFlight < maxInFlight && !socket.writableNeedDrain) socket.resume()
        })
    }

    socket.on('data', (chunk: Buffer) => {
      let start = 0
      while (start <= chunk.length) {
        const nl = chunk.indexOf(NEWLINE, start)
        const end = nl < 0 ? chunk.length : nl
        const piece = chunk.subarray(start, end)
        if (!discarding) {
          pendingBytes += piece.length
          if (pendingBytes > this.options.maxLineBytes) {
            discarding = true
            pending.length = 0
            pendingBytes = 0
            send(undefined, errorResponse(undefined, 'BAD_REQUEST', `request line exceeds ${this.options.maxLineBytes} bytes`))
          } else if (piece.length > 0) {
            pending.push(piece)
          }
        }
        if (nl < 0) break
        if (!discarding) handle(Buffer.concat(pending).toString('utf8').replace(/\r$/, ''))
        pending.length = 0
        pendingBytes = 0
        discarding = false
        start = nl + 1
      }
    })
  }

  private async execute (request: ControlRequest): Promise<ControlResponse> {
    switch (request.op) {
      case 'put':
        return { ok: true, ...await this.api.put(request.key, request.value) }
      case 'get': {
        const value = await this.api.get(request.key)
        if (value === undefined) return errorResponse(undefined, 'NOT_FOUND', 'no value is stored under this key')
        return { ok: true, value: encodeBytes(value, request.base64, 'value') }
      }
      case 'del':
        return (await this.api.del(request.key)) ? { ok: true } : { ok: true, existed: false }
      case 'lookup':
        return { ok: true, ...await this.api.lookup(request.key) }
      case 'status':
        return { ok: true, ...await this.api.status() }
      case 'health':
        return { ok: true, ...await this.api.health() }
      case 'leave':
        return { ok: true }
    }
  }
}

/** Removes a socket file that no live process serves; refuses anything else. */
async function clearStaleSocket (path: string): Promise<void> {
  let isSocket: boolean
  try {
    isSocket = (await lstat(path)).isSocket()
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
    throw new ConfigError(`cannot inspect control socket path ${path}: ${(err as Error).message}`)
  }
  if (!isSocket) throw new ConfigError(`${path} exists and is not a socket; refusing to replace it`)
  if (await isServed(path)) throw new ConfigError(`another running peer serves the control socket ${path}; stop it first or choose another --socket`)
  await unlink(path)
}

/** Whether something accepts connections on the socket. */
async function isServed (path: string): Promise<boolean> {
  return new Promise(resolve => {
    const probe = createConnection(path)
    probe.once('connect', () => {
      probe.destroy()
      resolve(true)
    })
    probe.once('error', () => { resolve(false) })
  })
}
