import { serviceDependencies, TypedEventEmitter, type ComponentLogger, type Logger, type PeerId, type Startable } from '@libp2p/interface'
import { MessageType, type QueryEvent, type SingleKadDHT } from '@libp2p/kad-dht'
import { Queue } from '@libp2p/utils'
import { equals } from 'uint8arrays/equals'
import { NotReadyError, RequestTimeoutError, UnreachableError } from '../errors.js'
import { BootstrapDialer } from '../bootstrap.js'
import { compareVersions, type KvRecord } from '../protocol/record.js'
import { HybridClock } from '../storage/hlc.js'
import { systemClock, type Clock } from '../node/clock.js'
import { DEFAULT_BOOTSTRAP_TIMEOUT_MS, DEFAULT_JOIN_RETRY_MS, DEFAULT_KAD_TIMEOUT_MS, DEFAULT_MAX_CONCURRENT_QUERIES } from './constants.js'
import { kadKeyOf } from './keys.js'
import { QueryTally, type QueryCost } from './query-tally.js'
import { decodeKadValue, encodeKadValue } from './record.js'
import { checkLimits, DEFAULT_LIMITS, type Limits } from '../limits.js'
import { explainDialFailure } from '../swarm-key.js'
import type { AddressManager, ConnectionManager, TransportManager } from '@libp2p/interface-internal'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Datastore } from 'interface-datastore'

export interface KadServiceInit {
  /** Multiaddrs of peers to join through; none starts a new network. */
  readonly bootstrap?: readonly Multiaddr[]
  /** Largest key and value accepted (bytes). */
  readonly limits?: Limits
  /** Time allowed for one put, get or lookup (ms). @default 10_000 */
  readonly timeoutMs?: number
  /** DHT operations (put, get, lookup) run at once; more wait their turn within their timeout. @default 32 */
  readonly maxConcurrentQueries?: number
  /** Time a bootstrap peer has to answer the dial, and then to enter the routing table (ms). @default 10_000 */
  readonly bootstrapTimeoutMs?: number
  /** First and longest wait between join attempts (ms). @default { initial: 1000, max: 30000 } */
  readonly joinRetryMs?: { readonly initial: number, readonly max: number }
  /** The one clock of this peer: versions, timeouts, join retries. @default the system's */
  readonly clock?: Clock
}

export interface KadServiceComponents {
  readonly peerId: PeerId
  readonly logger: ComponentLogger
  readonly connectionManager: ConnectionManager
  readonly addressManager: AddressManager
  readonly transportManager: TransportManager
  readonly datastore: Datastore
  /** The kad-dht service, configured by {@link kadDhtInit}; it must be listed before this one. */
  readonly dht: SingleKadDHT
}

export interface KadServiceEvents {
  /** The peer started a network, or its routing table took in a bootstrap peer and its self-lookup finished. */
  joined: CustomEvent<{ via?: string, routingTable: number }>
  /** A join attempt failed; another follows after `retryInMs`. */
  'join-failed': CustomEvent<{ error: Error, retryInMs: number }>
}

/** The outcome of a put: how many peers acknowledged the record, and the cost. */
export interface KadPutOutcome extends QueryCost {
  /** Peers (besides this one, which always keeps a copy) that stored the record. */
  readonly replicas: number
}

/** The outcome of a get: the latest record found (undefined if none), and the cost. */
export interface KadGetOutcome extends QueryCost {
  readonly record: (KvRecord & { value: Uint8Array }) | undefined
}

/** The outcome of a lookup: the peers closest to the key that answered, closest first. */
export interface KadLookupOutcome extends QueryCost {
  /** The DHT key (`/chordkv/<base32 of the key>`). */
  readonly kadKey: string
  readonly closest: readonly string[]
}

/** The routing table as kad-dht keeps it: its size and its add/remove events. */
interface RoutingTableView {
  readonly size: number
  addEventListener (type: 'peer:add', listener: () => void): void
  removeEventListener (type: 'peer:add', listener: () => void): void
}

const DATASTORE_RECORDS = '/dht/record'

/**
 * chordkv's key/value store on @libp2p/kad-dht: puts and gets map user keys
 * into the `/chordkv/` namespace and wrap values with a version (see
 * `record.ts`), and every operation reports what it cost in kad-dht
 * messages. It joins through the bootstrap peers: dial one, wait until
 * kad-dht has taken it into the routing table, then look up this peer's own
 * ID so the table fills with its neighbours. At most
 * {@link KadServiceInit.maxConcurrentQueries} operations run at once.
 * kad-dht cannot delete a record, so there is no delete.
 */
export class KadService extends TypedEventEmitter<KadServiceEvents> implements Startable {
  readonly [Symbol.toStringTag] = 'chordkv-kad'
  readonly [serviceDependencies] = ['@libp2p/kad-dht']
  readonly clock: HybridClock
  readonly limits: Limits
  private readonly components: KadServiceComponents
  private readonly bootstrap: readonly Multiaddr[]
  private readonly timeoutMs: number
  private readonly bootstrapTimeoutMs: number
  private readonly dialer: BootstrapDialer
  private readonly joinRetry: { readonly initial: number, readonly max: number }
  private readonly log: Logger
  /** Caps the operations in flight: each opens streams on shared connections, whose per-protocol stream limits must hold. */
  private readonly queries: Queue<unknown>
  private readonly time: Clock
  private retryTimer: unknown
  private stopping = new AbortController()
  private running = false
  private joinedNetwork = false

  constructor (components: KadServiceComponents, init: KadServiceInit = {}) {
    super()
    this.components = components
    const time = this.time = init.clock ?? systemClock
    this.clock = new HybridClock(() => time.wallMs())
    this.log = components.logger.forComponent('chordkv:kad')
    this.bootstrap = init.bootstrap ?? []
    this.limits = init.limits ?? DEFAULT_LIMITS
    this.timeoutMs = init.timeoutMs ?? DEFAULT_KAD_TIMEOUT_MS
    this.bootstrapTimeoutMs = init.bootstrapTimeoutMs ?? DEFAULT_BOOTSTRAP_TIMEOUT_MS
    this.dialer = new BootstrapDialer(components, this.bootstrapTimeoutMs)
    this.joinRetry = init.joinRetryMs ?? DEFAULT_JOIN_RETRY_MS
    this.queries = new Queue({ concurrency: init.maxConcurrentQueries ?? DEFAULT_MAX_CONCURRENT_QUERIES })
  }

  start (): void {
    this.running = true
    this.stopping = new AbortController()
  }

  /** Joins once the listeners and kad-dht are up. */
  afterStart (): void {
    if (this.bootstrap.length === 0) {
      this.markJoined(undefined)
      return
    }
    void this.tryJoin(this.joinRetry.initial)
  }

  stop (): void {
    this.running = false
    this.time.clearTimeout(this.retryTimer)
    this.stopping.abort()
  }

  /** Whether the peer has started a network or joined one. */
  get joined (): boolean {
    return this.joinedNetwork
  }

  /** Peers in kad-dht's routing table. */
  get routingTableSize (): number {
    return this.routingTable.size
  }

  /** Records this peer holds for the DHT (its own writes and other peers'). */
  async storedRecords (): Promise<number> {
    let n = 0
    for await (const _ of this.components.datastore.queryKeys({ prefix: DATASTORE_RECORDS })) n++
    return n
  }

  /**
   * Stores `value` under `key` with a fresh version: on this peer, then on
   * the k peers closest to the key (kad-dht's PUT_VALUE). kad-dht never
   * fails a put, so the acknowledgements are counted here, and a put no
   * other peer took while the routing table holds peers is an error.
   */
  async put (key: Uint8Array, value: Uint8Array): Promise<KadPutOutcome> {
    this.checkLimits(key, value)
    return this.limited(async signal => {
      const bytes = encodeKadValue(key, value, { timestamp: this.clock.now(), writer: this.components.peerId.toString() })
      let replicas = 0
      const tally = await this.run(this.components.dht.put(kadKeyOf(key), bytes, { signal }), event => {
        if (event.name === 'PEER_RESPONSE' && event.messageType === MessageType.PUT_VALUE && event.record !== undefined && equals(event.record.value, bytes)) replicas++
      })
      if (replicas === 0 && this.routingTable.size > 0) {
        throw new UnreachableError(`no peer stored the value (${tally.errors} of ${tally.messages} requests failed); it is kept on this peer only`)
      }
      return { ...tally, replicas }
    })
  }

  /**
   * Reads `key`: kad-dht collects the records the closest peers hold, the
   * selector picks the latest version, and peers holding an older one are
   * sent the latest. If sending a correction fails, kad-dht gives up on the
   * whole get; the latest record already seen is returned instead.
   */
  async get (key: Uint8Array): Promise<KadGetOutcome> {
    this.checkLimits(key)
    let best: (KvRecord & { value: Uint8Array }) | undefined
    const consider = (bytes: Uint8Array): void => {
      try {
        const record = decodeKadValue(key, bytes)
        if (best === undefined || compareVersions(record.version, best.version) > 0) best = record
      } catch {}
    }
    return this.limited(async signal => {
      const tally = new QueryTally()
      try {
        await this.run(this.components.dht.get(kadKeyOf(key), { signal }), event => {
          if (event.name === 'VALUE') consider(event.value)
          else if (event.name === 'PEER_RESPONSE' && event.record !== undefined) consider(event.record.value)
        }, tally)
      } catch (err) {
        if (best === undefined) throw err
        this.log('get found a record but kad-dht failed afterwards - %s', (err as Error).message)
      }
      if (best !== undefined) this.clock.observe(best.version)
      return { ...tally.cost, record: best }
    })
  }

  /** The peers closest to `key` that answered a FIND_NODE walk: the peers a put would store on. */
  async lookup (key: Uint8Array): Promise<KadLookupOutcome> {
    this.checkLimits(key)
    const kadKey = kadKeyOf(key)
    return this.limited(async signal => {
      const closest: string[] = []
      const tally = await this.run(this.components.dht.getClosestPeers(kadKey, { signal }), event => {
        if (event.name === 'FINAL_PEER') closest.push(event.peer.id.toString())
      })
      return { ...tally, kadKey: new TextDecoder().decode(kadKey), closest }
    })
  }

  private checkLimits (key: Uint8Array, value?: Uint8Array): void {
    checkLimits(this.limits, key, value)
  }

  /**
   * Runs one operation with a signal that aborts after the operation
   * timeout or when the service stops. The timer is cleared as soon as the
   * operation ends: kad-dht hangs many listeners on the signal, and a
   * timeout firing long after its operation ended still runs them all.
   */
  private async withTimeout<T> (operation: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const timeout = new AbortController()
    const timer = this.time.setTimeout(() => { timeout.abort(new RequestTimeoutError(`the DHT query did not finish within ${this.timeoutMs} ms`)) }, this.timeoutMs)
    try {
      return await operation(AbortSignal.any([timeout.signal, this.stopping.signal]))
    } catch (err) {
      if (timeout.signal.aborted) throw timeout.signal.reason
      if (this.stopping.signal.aborted) throw new NotReadyError('the peer is stopping', { cause: err })
      throw err
    } finally {
      this.time.clearTimeout(timer)
    }
  }

  /** Runs one operation when a slot is free, with one timeout for the wait and the run. */
  private async limited<T> (operation: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return this.withTimeout(async signal => await this.queries.add(async () => operation(signal), { signal }) as T)
  }

  /** Drains one kad-dht query, counting its events. */
  private async run (events: AsyncIterable<QueryEvent>, each: (event: QueryEvent) => void, tally = new QueryTally()): Promise<QueryCost> {
    for await (const event of events) {
      tally.observe(event)
      each(event)
    }
    return tally.cost
  }

  private get routingTable (): RoutingTableView {
    // kad-dht's routing table emits peer:add; its public type only shows the size.
    return this.components.dht.routingTable as unknown as RoutingTableView
  }

  private markJoined (via: string | undefined): void {
    this.joinedNetwork = true
    this.safeDispatchEvent('joined', { detail: { via, routingTable: this.routingTable.size } })
  }

  private async tryJoin (waitMs: number): Promise<void> {
    const errors: string[] = []
    for (const { addr } of await this.dialer.addresses(this.bootstrap)) {
      if (!this.running) return
      let via: PeerId | undefined
      try {
        via = await this.dialBootstrap(addr)
        if (via === undefined) continue
        await this.untilRoutingTableHasPeers(via.toString())
        await this.selfLookup()
        this.markJoined(via.toString())
        return
      } catch (err) {
        errors.push(`${addr.toString()}: ${(await explainDialFailure(err as Error, addr)).message}`)
        // kad-dht considers a peer for its routing table when the peer
        // connects (and answers a ping); it never looks again while the
        // connection stays open. Drop it so the next attempt connects afresh.
        if (via !== undefined) await this.components.connectionManager.closeConnections(via).catch(() => {})
      }
    }
    if (!this.running) return
    if (errors.length === 0) {
      // Every bootstrap address is this peer itself: it starts the network.
      this.markJoined(undefined)
      return
    }
    const error = new Error(`could not join through any bootstrap peer (${errors.join('; ')})`)
    this.log.error('%s; retrying in %d ms', error.message, waitMs)
    this.safeDispatchEvent('join-failed', { detail: { error, retryInMs: waitMs } })
    this.retryTimer = this.time.setTimeout(() => { void this.tryJoin(Math.min(this.joinRetry.max, waitMs * 2)) }, waitMs)
  }

  /**
   * Looks up this peer's own ID: the peers closest to it are asked for
   * theirs, and each that answers enters the routing table, so the table
   * fills with this peer's neighbours (and they learn of it). The peer is a
   * member once the bootstrap peer is in its table, so a self-lookup that
   * does not finish in time is logged, not fatal: the table also fills as
   * other peers' queries arrive, and kad-dht repeats the self-lookup and
   * refreshes every bucket every 5 minutes.
   */
  private async selfLookup (): Promise<void> {
    try {
      const self = this.components.peerId.toMultihash().bytes
      const found = await this.withTimeout(async signal => this.run(this.components.dht.getClosestPeers(self, { signal }), () => {}))
      this.log('self-lookup: %d peers answered; routing table %d', found.responses, this.routingTable.size)
    } catch (err) {
      this.log('self-lookup did not finish (%s); routing table %d', (err as Error).message, this.routingTable.size)
    }
  }

  /** Dials a bootstrap address and names the peer behind it; undefined if it is this peer (bootstrap.ts). */
  private async dialBootstrap (addr: Multiaddr): Promise<PeerId | undefined> {
    const peer = await this.dialer.dial(addr, this.stopping.signal)
    return peer === 'self' ? undefined : peer
  }

  /** Resolves once kad-dht's routing table holds a peer (it adds a peer once identify shows it speaks the protocol and a ping answers). */
  private async untilRoutingTableHasPeers (via: string): Promise<void> {
    const table = this.routingTable
    if (table.size > 0) return
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error): void => {
        this.time.clearTimeout(timer)
        table.removeEventListener('peer:add', added)
        this.stopping.signal.removeEventListener('abort', aborted)
        if (err === undefined) resolve()
        else reject(err)
      }
      const added = (): void => { done() }
      const aborted = (): void => { done(new Error('stopped')) }
      const timer = this.time.setTimeout(() => {
        done(new Error(`${via} answered but did not enter the DHT routing table within ${this.bootstrapTimeoutMs} ms; does it run --overlay kad?`))
      }, this.bootstrapTimeoutMs)
      table.addEventListener('peer:add', added)
      this.stopping.signal.addEventListener('abort', aborted)
    })
  }
}

/** Factory in the shape libp2p's `services` option expects. */
export function kadStore (init: KadServiceInit = {}): (components: KadServiceComponents) => KadService {
  return components => new KadService(components, init)
}
