import { randomBytes } from 'node:crypto'
import { ControlClient } from '../../src/control/client.js'
import type { ControlResponse } from '../../src/control/protocol.js'

/**
 * A client that puts and gets steadily through whichever peers run, as an
 * application would while an orchestrator scales or updates the ring: each
 * request goes to the next control socket in turn, a put is retried on a
 * retryable error until it is acknowledged, and every acknowledged write is
 * remembered, so that in the end each can be read back.
 */

/** How long a socket with no peer behind it is skipped (ms). */
const DOWN_MS = 2000

/** Errors a client retries: the ring is moving (a peer joining or leaving), not refusing the request. */
export const RETRYABLE: ReadonlySet<string> = new Set([
  'BUSY', 'QUORUM', 'NOT_READY', 'REPLICAS_UNAVAILABLE', 'UNREACHABLE', 'TIMEOUT', 'NOT_MEMBER',
  // The peer behind the socket is stopping or gone: another socket is tried.
  'NO_PEER', 'CLOSED', 'CLIENT_TIMEOUT', 'ECONNRESET', 'EPIPE'
])

/** What the client saw, counted since it started. */
export interface LoadCounts {
  /** Writes acknowledged (each key written once). */
  readonly acked: number
  /** Put attempts that failed and were retried, by error code. */
  readonly putRetries: Readonly<Record<string, number>>
  /** Puts given up: a non-retryable error, or no acknowledgement within the put deadline. */
  readonly putsFailed: Readonly<Record<string, number>>
  /** Gets of acknowledged keys answered with the value written. */
  readonly reads: number
  /** Gets of acknowledged keys that failed, by error code (NOT_FOUND among them). */
  readonly failedReads: Readonly<Record<string, number>>
  /** Gets answered with a value other than the one acknowledged. */
  readonly staleReads: number
}

/** What reading every acknowledged key back found. */
export interface Verification {
  readonly checked: number
  /** Keys a peer answered NOT_FOUND for. */
  readonly notFound: readonly string[]
  /** Keys answered with another value. */
  readonly wrong: readonly string[]
  /** Keys no peer answered for before the deadline (each retried on retryable errors). */
  readonly unread: readonly string[]
}

export interface LoadOptions {
  /** Keys are `<prefix>-<n>`. */
  readonly prefix: string
  /** Loops running at once, each a put then a get. @default 2 */
  readonly workers?: number
  /** Pause after each loop (ms). @default 50 */
  readonly pauseMs?: number
  /** Time one request may take before it counts as failed (ms). @default 20_000 */
  readonly requestTimeoutMs?: number
  /** Time a put is retried before it is given up (ms). @default 120_000 */
  readonly putDeadlineMs?: number
}

type Reply = ControlResponse & { ok?: boolean, value?: unknown, error?: { code?: string, message?: string } }

/** Messages of given-up puts kept, at most (they name the fault when a test fails). */
const KEPT_MESSAGES = 5

/** Puts and gets steadily through the sockets `sockets()` lists at each request. */
export class SteadyLoad {
  private readonly acked = new Map<string, string>()
  private readonly clients = new Map<string, Promise<ControlClient>>()
  private readonly counts = { acked: 0, reads: 0, staleReads: 0, putRetries: {} as Record<string, number>, putsFailed: {} as Record<string, number>, failedReads: {} as Record<string, number> }
  private readonly options: Required<LoadOptions>
  private running = false
  private workers: Array<Promise<void>> = []
  private next = 0
  private turn = 0
  /** The first messages of puts given up, each with its code. */
  readonly givenUp: string[] = []
  /** Sockets whose peer was not there, until when (ms): skipped meanwhile while others are left, as a client with a list of peers would. */
  private readonly downUntil = new Map<string, number>()

  constructor (private readonly sockets: () => readonly string[], options: LoadOptions) {
    this.options = { workers: 2, pauseMs: 50, requestTimeoutMs: 20_000, putDeadlineMs: 120_000, ...options }
  }

  start (): void {
    this.running = true
    this.workers = Array.from({ length: this.options.workers }, async () => this.loop())
  }

  /** Stops after the requests under way; resolves with the counts. */
  async stop (): Promise<LoadCounts> {
    this.running = false
    await Promise.all(this.workers)
    return this.snapshot()
  }

  /** The counts so far. */
  snapshot (): LoadCounts {
    const { putRetries, putsFailed, failedReads, ...plain } = this.counts
    return { ...plain, putRetries: { ...putRetries }, putsFailed: { ...putsFailed }, failedReads: { ...failedReads } }
  }

  /** The keys acknowledged so far, with their values. */
  get written (): ReadonlyMap<string, string> {
    return this.acked
  }

  /**
   * Reads every acknowledged key, a few at a time: NOT_FOUND or another
   * value is a finding at once; a retryable error is retried (through the
   * next socket) until `timeoutMs` has passed.
   */
  async verify (timeoutMs: number): Promise<Verification> {
    const deadline = Date.now() + timeoutMs
    const notFound: string[] = []
    const wrong: string[] = []
    const unread: string[] = []
    const keys = [...this.acked.keys()]
    const readOne = async (key: string): Promise<void> => {
      while (true) {
        const reply = await this.request({ op: 'get', key })
        if (reply.ok === true) {
          if (reply.value !== this.acked.get(key)) wrong.push(key)
          return
        }
        const code = reply.error?.code ?? 'ERROR'
        if (code === 'NOT_FOUND') {
          notFound.push(key)
          return
        }
        if (!RETRYABLE.has(code) || Date.now() > deadline) {
          unread.push(`${key} (${code})`)
          return
        }
        await sleep(200)
      }
    }
    for (let i = 0; i < keys.length; i += 16) await Promise.all(keys.slice(i, i + 16).map(readOne))
    return { checked: keys.length, notFound, wrong, unread }
  }

  /** Closes every connection. */
  close (): void {
    for (const client of this.clients.values()) client.then(c => { c.destroy() }, () => {})
    this.clients.clear()
  }

  private async loop (): Promise<void> {
    while (this.running) {
      await this.put()
      await this.get()
      await sleep(this.options.pauseMs)
    }
  }

  private async put (): Promise<void> {
    const key = `${this.options.prefix}-${this.next++}`
    const value = `${key}:${randomBytes(6).toString('hex')}`
    const deadline = Date.now() + this.options.putDeadlineMs
    while (true) {
      const reply = await this.request({ op: 'put', key, value })
      if (reply.ok === true) {
        this.acked.set(key, value)
        this.counts.acked++
        return
      }
      const code = reply.error?.code ?? 'ERROR'
      if (!RETRYABLE.has(code) || Date.now() > deadline) {
        this.counts.putsFailed[code] = (this.counts.putsFailed[code] ?? 0) + 1
        if (this.givenUp.length < KEPT_MESSAGES) this.givenUp.push(`${code}: ${reply.error?.message ?? ''}`)
        return
      }
      this.counts.putRetries[code] = (this.counts.putRetries[code] ?? 0) + 1
      await sleep(100)
    }
  }

  /** One get of an acknowledged key, counted: right, stale, or failed with its code. */
  private async get (): Promise<void> {
    if (this.acked.size === 0) return
    const keys = [...this.acked.keys()]
    const key = keys[Math.floor(Math.random() * keys.length)] as string
    const reply = await this.request({ op: 'get', key })
    if (reply.ok === true) {
      if (reply.value === this.acked.get(key)) this.counts.reads++
      else this.counts.staleReads++
      return
    }
    const code = reply.error?.code ?? 'ERROR'
    this.counts.failedReads[code] = (this.counts.failedReads[code] ?? 0) + 1
  }

  /** One request through the next socket; a failure to connect or a lost connection is answered as an error with its code. */
  private async request (body: Record<string, unknown>): Promise<Reply> {
    const now = Date.now()
    const all = this.sockets()
    const up = all.filter(p => (this.downUntil.get(p) ?? 0) <= now)
    const sockets = up.length > 0 ? up : all
    if (sockets.length === 0) return { ok: false, error: { code: 'NO_PEER' } } as Reply
    const path = sockets[this.turn++ % sockets.length] as string
    try {
      let client = this.clients.get(path)
      if (client === undefined) {
        client = ControlClient.connect(path)
        this.clients.set(path, client)
      }
      return await (await client).request(body, { signal: AbortSignal.timeout(this.options.requestTimeoutMs) }) as Reply
    } catch (err) {
      // The connection is of no more use: the next request through this socket connects anew.
      const dropped = this.clients.get(path)
      this.clients.delete(path)
      dropped?.then(c => { c.destroy() }, () => {})
      const e = err as { code?: unknown, name?: string }
      const code = e.name === 'TimeoutError' ? 'CLIENT_TIMEOUT' : typeof e.code === 'string' ? e.code : 'ERROR'
      if (code === 'NO_PEER') this.downUntil.set(path, Date.now() + DOWN_MS)
      return { ok: false, error: { code } } as Reply
    }
  }
}

/** The counts from `before` to `after` (both from one client). */
export function countsSince (before: LoadCounts, after: LoadCounts): LoadCounts {
  const minus = (a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): Record<string, number> =>
    Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v - (b[k] ?? 0)]).filter(([, v]) => v !== 0))
  return {
    acked: after.acked - before.acked,
    reads: after.reads - before.reads,
    staleReads: after.staleReads - before.staleReads,
    putRetries: minus(after.putRetries, before.putRetries),
    putsFailed: minus(after.putsFailed, before.putsFailed),
    failedReads: minus(after.failedReads, before.failedReads)
  }
}

/** The sum of a count by code. */
export function total (byCode: Readonly<Record<string, number>>): number {
  return Object.values(byCode).reduce((a, b) => a + b, 0)
}

async function sleep (ms: number): Promise<void> {
  await new Promise(resolve => setTimeout(resolve, ms))
}
