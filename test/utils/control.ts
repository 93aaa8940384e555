import { createConnection, type Socket } from 'node:net'
import { rmSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ControlClient } from '../../src/control/client.js'
import { waitFor } from './network.js'

const made = new Set<string>()

/** A fresh temporary directory, removed when the test process exits, passed or failed. */
export async function tempDir (prefix = 'chordkv-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  if (made.size === 0) process.once('exit', () => { for (const d of made) rmSync(d, { recursive: true, force: true }) })
  made.add(dir)
  return dir
}

/** One request over a peer's control socket. */
export async function ask (socket: string, request: Record<string, unknown>): Promise<Record<string, unknown>> {
  const client = await ControlClient.connect(socket)
  try {
    return await client.request(request)
  } finally {
    client.close()
  }
}

/** Reads every key through one socket (pipelined on one connection); returns the values, or the errors. */
export async function readAll (socket: string, keys: readonly string[]): Promise<unknown[]> {
  const client = await ControlClient.connect(socket)
  try {
    const responses = await Promise.all(keys.map(async key => client.request({ op: 'get', key })))
    return responses.map(r => (r.ok === true ? r.value : r.error))
  } finally {
    client.close()
  }
}

/**
 * A raw control-socket client for tests: writes any bytes, and collects
 * every response line parsed as JSON.
 */
export class RawControl {
  readonly lines: Array<Record<string, unknown>> = []
  closed = false
  private buffered = ''

  private constructor (readonly socket: Socket) {
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      this.buffered += chunk
      let nl: number
      while ((nl = this.buffered.indexOf('\n')) >= 0) {
        this.lines.push(JSON.parse(this.buffered.slice(0, nl)) as Record<string, unknown>)
        this.buffered = this.buffered.slice(nl + 1)
      }
    })
    socket.on('close', () => { this.closed = true })
    socket.on('error', () => {})
  }

  static async connect (path: string): Promise<RawControl> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(path)
      socket.once('connect', () => { resolve(new RawControl(socket)) })
      socket.once('error', reject)
    })
  }

  write (text: string | Uint8Array): void {
    this.socket.write(text)
  }

  send (request: Record<string, unknown>): void {
    this.write(JSON.stringify(request) + '\n')
  }

  /** Waits until `count` response lines arrived in total; throws at once if the connection closes first. */
  async received (count: number, timeoutMs = 10_000): Promise<Array<Record<string, unknown>>> {
    await waitFor(() => {
      if (this.lines.length >= count) return true
      if (this.closed) throw new Error(`the connection closed after ${this.lines.length} of ${count} responses`)
      return false
    }, timeoutMs, () => `got ${this.lines.length} of ${count} responses: ${JSON.stringify(this.lines).slice(0, 2000)}`, 5)
    return this.lines
  }

  /** Sends one request and waits for the response with its id. */
  async call (request: Record<string, unknown> & { id: number | string }, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    this.send(request)
    await waitFor(() => this.lines.some(l => l.id === request.id), timeoutMs, () => `no response with id ${request.id}`, 5)
    return this.lines.find(l => l.id === request.id) as Record<string, unknown>
  }

  close (): void {
    this.socket.end()
  }
}
