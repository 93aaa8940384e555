import { RemoteError, RequestTimeoutError, UnreachableError } from '../../src/errors.js'
import { codeOfStatus, statusOf } from '../../src/protocol/codec.js'
import { directTransport, type PeerHandlers } from '../../test/utils/direct-transport.js'
import type { EventLoop } from './event-loop.js'
import type { Random } from './random.js'
import type { ChordTransport, DataTransport } from '../../src/protocol/ports.js'
import type { RouteRequest } from '../../src/protocol/messages.js'
import type { NodeRef } from '../../src/ring/node-ref.js'

export interface NetworkOptions {
  /** One-way delay of every message, drawn uniformly from [min, max] ms. */
  readonly latencyMs: { readonly min: number, readonly max: number }
  /** A request to a peer that is down fails after this long (ms), as an RPC timeout. */
  readonly timeoutMs: number
}

/** A few ms one way; an unanswered request gives up after 500 ms, the floor of the production RPC timeout (defaults.ts). */
export const DEFAULT_NETWORK: NetworkOptions = { latencyMs: { min: 2, max: 10 }, timeoutMs: 500 }

/**
 * The network between simulated peers: every request and every answer is
 * a message that arrives a seeded-random latency later, through the event
 * loop. A request to a peer that is down, or that goes down before it
 * answers, fails with a RequestTimeoutError `timeoutMs` after it was sent:
 * the caller cannot tell a crash from a slow peer, as in the ToN paper's
 * simulations, where such waits are counted as timeouts. Messages are
 * counted by kind, so the maintenance traffic can be measured.
 */
export class SimulatedNetwork {
  readonly options: NetworkOptions
  /** Requests sent, by kind (`getState`, `route:lookup`, …). */
  readonly sent = new Map<string, number>()
  /** Requests that timed out, by kind. */
  readonly timedOut = new Map<string, number>()
  /** Told of every routed request (a lookup's hop) that timed out. */
  onRouteTimeout: ((request: RouteRequest) => void) | undefined
  private readonly loop: EventLoop
  private readonly random: Random
  private readonly peers = new Map<string, { readonly self: NodeRef, readonly handlers: PeerHandlers, up: boolean }>()

  constructor (loop: EventLoop, random: Random, options: NetworkOptions = DEFAULT_NETWORK) {
    this.loop = loop
    this.random = random
    this.options = options
  }

  /** Attaches a peer: requests to `self` reach `handlers` while it is up. */
  attach (self: NodeRef, handlers: PeerHandlers): void {
    this.peers.set(self.peer, { self, handlers, up: true })
  }

  /** Takes a peer down for good: requests to it time out, and it sends nothing more. */
  crash (peer: string): void {
    const entry = this.peers.get(peer)
    if (entry !== undefined) entry.up = false
  }

  isUp (peer: string): boolean {
    return this.peers.get(peer)?.up === true
  }

  /** The transport ports of peer `self`. */
  transportFor (self: NodeRef): ChordTransport & DataTransport {
    const transport = directTransport(self, async (to, kind, run) => this.request(self, to, kind, run))
    return {
      ...transport,
      route: async (to, request, onAccepted) => transport.route(to, request, onAccepted).catch((err: unknown) => {
        if (err instanceof RequestTimeoutError) this.onRouteTimeout?.(request)
        throw err
      })
    }
  }

  /** Every request sent so far, all kinds. */
  get requests (): number {
    let total = 0
    for (const n of this.sent.values()) total += n
    return total
  }

  private async request<T> (from: NodeRef, to: NodeRef, kind: string, run: (at: PeerHandlers) => Promise<T>): Promise<T> {
    if (!this.isUp(from.peer)) throw new UnreachableError('the sender is down')
    this.sent.set(kind, (this.sent.get(kind) ?? 0) + 1)
    const sentAt = this.loop.now()
    const { promise, resolve, reject } = Promise.withResolvers<T>()
    const timeOut = (): void => {
      this.timedOut.set(kind, (this.timedOut.get(kind) ?? 0) + 1)
      reject(new RequestTimeoutError(`${to.peer} did not answer within ${this.options.timeoutMs} ms`))
    }
    const failLater = (): void => { this.loop.setTimeout(timeOut, sentAt + this.options.timeoutMs - this.loop.now()) }
    this.loop.setTimeout(() => {
      const receiver = this.peers.get(to.peer)
      if (receiver?.up !== true) {
        failLater()
        return
      }
      receiver.handlers.chord.seen(from)
      run(receiver.handlers).then(
        value => { this.answer(to.peer, () => { resolve(value) }, failLater) },
        // A live peer's error crosses the wire as a status (network/server.ts, client.ts).
        (err: unknown) => { this.answer(to.peer, () => { reject(new RemoteError(codeOfStatus(statusOf(err)), `${to.peer}: ${(err as Error).message}`)) }, failLater) }
      )
    }, this.latency())
    return promise
  }

  /** Sends an answer back if its sender is still up; a peer that went down meanwhile never answers. */
  private answer (from: string, deliver: () => void, failLater: () => void): void {
    if (!this.isUp(from)) {
      failLater()
      return
    }
    this.loop.setTimeout(() => { deliver() }, this.latency())
  }

  private latency (): number {
    const { min, max } = this.options.latencyMs
    return this.random.uniform(min, max)
  }
}
