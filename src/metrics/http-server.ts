import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { ChordError } from '../errors.js'
import { RING_PAGE } from './ring-page.js'
import type { Logger } from '@libp2p/interface'

/** What the listener serves. */
export interface HttpRoutes {
  /** The Prometheus text of every metric. */
  metrics (): Promise<{ readonly contentType: string, readonly body: string }>
  /** A walk of the ring from this peer as JSON (chord/ring-walk.ts's RingView; the ring page polls it). */
  ring (): Promise<object>
}

/** A walk this recent is served again rather than walking anew, so many open pages cost one walk (ms). */
const RING_CACHE_MS = 1000

/** The page may load nothing from elsewhere and talk only to this listener. */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
  'cache-control': 'no-store'
}

/**
 * The operator's HTTP listener (`--metrics-listen`): `/metrics` in
 * Prometheus text, `/` the ring page, `/api/ring` the walk it draws.
 * Read-only; off unless configured.
 */
export class MetricsServer {
  private readonly routes: HttpRoutes
  private readonly log: Logger
  /** Monotonic milliseconds: how old the last walk is. */
  private readonly now: () => number
  private readonly servers: Server[] = []
  /** The last walk and when it finished (Infinity while it runs). */
  private walk: { at: number, readonly view: Promise<object> } | undefined

  constructor (routes: HttpRoutes, log: Logger, now: () => number) {
    this.routes = routes
    this.log = log
    this.now = now
  }

  /** Listens on each address; resolves with their base URLs (the real port when 0 was asked for). */
  async listen (addresses: ReadonlyArray<{ readonly host: string, readonly port: number }>): Promise<string[]> {
    const urls: string[] = []
    for (const { host, port } of addresses) {
      const server = createServer((req, res) => { void this.handle(req, res) })
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(port, host, () => {
          server.off('error', reject)
          resolve()
        })
      })
      server.on('error', err => { this.log.error('metrics listener error - %e', err) })
      this.servers.push(server)
      const bound = server.address()
      const actual = typeof bound === 'object' && bound !== null ? bound.port : port
      urls.push(`http://${host.includes(':') ? `[${host}]` : host}:${actual}`)
    }
    return urls
  }

  async close (): Promise<void> {
    await Promise.all(this.servers.map(async server => {
      server.closeAllConnections()
      await new Promise<void>(resolve => { server.close(() => { resolve() }) })
    }))
    this.servers.length = 0
  }

  private async handle (req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }, 'only GET\n')
      return
    }
    try {
      switch (path) {
        case '/metrics': {
          const { contentType, body } = await this.routes.metrics()
          send(res, 200, { 'content-type': contentType }, body)
          return
        }
        case '/':
          send(res, 200, PAGE_HEADERS, RING_PAGE)
          return
        case '/api/ring':
          send(res, 200, { 'content-type': 'application/json', 'cache-control': 'no-store' }, JSON.stringify(await this.ringWalk()))
          return
        default:
          send(res, 404, { 'content-type': 'text/plain' }, 'not found: try /metrics or /\n')
      }
    } catch (err) {
      const code = err instanceof ChordError ? err.code : 'INTERNAL'
      if (code === 'INTERNAL') this.log.error('metrics request %s failed - %e', path, err)
      send(res, 503, { 'content-type': 'application/json' }, JSON.stringify({ error: { code, message: (err as Error).message } }))
    }
  }

  /** The latest walk, shared by the requests that arrive while it runs and for a second after. */
  private async ringWalk (): Promise<object> {
    if (this.walk === undefined || this.now() - this.walk.at > RING_CACHE_MS) {
      const walk: { at: number, view: Promise<object> } = { at: Infinity, view: this.routes.ring() }
      this.walk = walk
      walk.view.then(() => { walk.at = this.now() }, () => { if (this.walk === walk) this.walk = undefined })
    }
    return this.walk.view
  }
}

function send (res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, headers)
  res.end(res.req.method === 'HEAD' ? undefined : body)
}
