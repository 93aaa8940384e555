import { chmod, lstat, unlink } from 'node:fs/promises'
import { createConnection, createServer, type Server, type Socket } from 'node:net'
import { CONTROL, WATCH } from '../defaults.js'
import { BadRequestError, BusyError, ConfigError } from '../errors.js'
import { Connection, type RequestContext } from './connection.js'
import { encodeBytes, errorResponse, formatVersion, okResponse, type ControlRequest, type ControlResponse } from './protocol.js'
import { WriteBudget } from './write-budget.js'
import type { ControlApi } from './api.js'
import type { WatchEvent } from '../protocol/messages.js'
import type { Logger } from '@libp2p/interface'

export interface ControlServerOptions {
  readonly path: string
  /** Longest request line accepted (bytes, without the newline). */
  readonly maxLineBytes: number
  /** Largest value accepted (bytes), named when a line is too long. */
  readonly maxValueBytes?: number
  /**
   * Longest request lines' worth of put values taken at once from all
   * clients; more are answered BUSY.
   * @default 4
   */
  readonly writeLines?: number
  /**
   * Requests in flight per connection before reading pauses.
   * @default 64
   */
  readonly maxInFlight?: number
  /**
   * A connection holding part of a line that sends nothing more for this
   * long is answered BAD_REQUEST and closed (ms).
   * @default 30000
   */
  readonly idleLineMs?: number
  readonly log: Logger
}

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
  private readonly connections = new Set<Connection>()
  private server: Server | undefined
  /** Room for puts, shared by every connection. */
  private readonly writes: WriteBudget
  /** Resolves once the server stopped listening and every connection ended. */
  private closed: Promise<void> = Promise.resolve()

  constructor (api: ControlApi, options: ControlServerOptions) {
    this.api = api
    this.options = options
    this.writes = new WriteBudget((options.writeLines ?? CONTROL.writeLines) * options.maxLineBytes)
  }

  /**
   * Starts listening. A socket file left by a crashed run is replaced; one
   * that a live peer still serves, or a path that is not a socket, is an error.
   */
  async listen (): Promise<void> {
    const { path } = this.options
    await clearStaleSocket(path)
    // Half-open: a client that half-closes after its requests still gets the answers.
    const server = createServer({ allowHalfOpen: true }, socket => { this.serve(socket) })
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

  /**
   * Takes no more connections or requests and removes the socket file (a
   * client then finds no peer); connections already open stay open, and
   * answers under way are still sent, until {@link close}.
   */
  async stopListening (): Promise<void> {
    const server = this.server
    this.server = undefined
    if (server === undefined) return
    this.closed = new Promise<void>(resolve => { server.close(() => { resolve() }) })
    for (const connection of this.connections) connection.hold()
    await unlink(this.options.path).catch(() => {})
  }

  /**
   * Stops listening and removes the socket file. Each connection is ended once
   * the requests it sent are answered; any still open after `graceMs` is cut.
   */
  async close (graceMs: number = CONTROL.closeGraceMs): Promise<void> {
    await this.stopListening()
    for (const connection of this.connections) connection.finish()
    const grace = setTimeout(() => { for (const connection of this.connections) connection.socket.destroy() }, graceMs)
    await this.closed
    clearTimeout(grace)
  }

  private serve (socket: Socket): void {
    const { maxLineBytes, maxValueBytes, maxInFlight = CONTROL.connectionInFlight, idleLineMs = CONTROL.idleLineMs, log } = this.options
    const connection = new Connection(socket, {
      maxLineBytes,
      maxValueBytes,
      maxInFlight,
      maxBytesInFlight: CONTROL.connectionLines * maxLineBytes,
      idleLineMs,
      writes: this.writes,
      log
    }, async (request, context) => this.execute(request, context))
    this.connections.add(connection)
    socket.on('close', () => { this.connections.delete(connection) })
  }

  private async execute (request: ControlRequest, context: RequestContext): Promise<ControlResponse> {
    switch (request.op) {
      case 'watch': {
        if (context.watches >= WATCH.perConnection) throw new BusyError(`${context.watches} watches are open on this connection, the limit; end some or open another connection`)
        const { key, since, base64 } = request
        await context.watch(async push => this.api.watch(key, since, event => { push(watchEventLine(event, base64)) }))
        return okResponse('watch', {})
      }
      case 'unwatch':
        if (!context.unwatch(request.watch)) throw new BadRequestError(`no watch with id ${JSON.stringify(request.watch)} is open on this connection`)
        return okResponse('unwatch', {})
      case 'put':
        return okResponse('put', await this.api.put(request.key, request.value, request.ttlMs))
      case 'get': {
        const value = await this.api.get(request.key)
        if (value === undefined) return errorResponse(undefined, 'NOT_FOUND', 'no value is stored under this key')
        return okResponse('get', { value: encodeBytes(value, request.base64, 'value') })
      }
      case 'del':
        return okResponse('del', (await this.api.del(request.key)) ? {} : { existed: false })
      case 'lookup':
        return okResponse('lookup', await this.api.lookup(request.key))
      case 'status':
        return okResponse('status', await this.api.status())
      case 'ring':
        return okResponse('ring', await this.api.ring())
      case 'health':
        return okResponse('health', await this.api.health())
      case 'leave': {
        const leaving = this.api.leave()
        if (request.wait) {
          try {
            await leaving.done
          } catch (err) {
            return errorResponse(undefined, 'HANDOFF_FAILED', `the hand-off failed: ${(err as Error).message}; the peer stops anyway`)
          }
        }
        return okResponse('leave', { handoff: leaving.handoff })
      }
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

/** A watch event as its line carries it (without the id). */
function watchEventLine (event: WatchEvent, base64: boolean): Record<string, unknown> {
  const { record } = event
  const line: Record<string, unknown> = { event: event.kind }
  if (record === undefined) return line
  if (record.value !== undefined && (event.kind === 'put' || event.kind === 'resync')) {
    try {
      line.value = encodeBytes(record.value, base64, 'value')
    } catch (err) {
      line.error = { code: 'BAD_REQUEST', message: (err as Error).message }
    }
  }
  line.version = formatVersion(record.version)
  return line
}
