import { serviceCapabilities, TypedEventEmitter, type ComponentLogger, type Libp2pEvents, type Logger, type PeerId, type PeerStore, type Startable, type TypedEventTarget } from '@libp2p/interface'
import { ChordNode, DEFAULT_CHORD_OPTIONS, type ChordOptions } from './chord-node.js'
import { isPeerFailure } from './errors.js'
import { PeriodicTask } from './maintenance/scheduler.js'
import { systemClock } from './node/clock.js'
import { Libp2pTransport, type StreamMode, type TransportOptions } from './network/libp2p-transport.js'
import { PeerDirectory } from './network/peer-directory.js'
import { DEFAULT_MAX_FRAME_SIZE } from './protocol/constants.js'
import { ringIdOfKey } from './ring/hash.js'
import { DataNode, DEFAULT_LIMITS, type Limits } from './storage/data-node.js'
import { IndexedStore } from './storage/indexed-store.js'
import { MemoryStore } from './storage/memory-store.js'
import type { HintLimits } from './storage/hints.js'
import type { ReplicationOptions } from './storage/replication.js'
import type { ClientOp, RouteReply } from './protocol/messages.js'
import type { RingId } from './ring/ids.js'
import type { NodeRef } from './ring/node-ref.js'
import type { RecordStore } from './storage/store.js'
import type { AddressManager, ConnectionManager, Registrar } from '@libp2p/interface-internal'
import type { Multiaddr } from '@multiformats/multiaddr'

export interface ChordServiceInit extends Partial<ChordOptions> {
  /** Multiaddrs of ring members to join through; none founds a new ring. */
  readonly bootstrap?: readonly Multiaddr[]
  readonly streamMode?: StreamMode
  /** Where records are kept; in memory unless the peer was given a store. */
  readonly store?: RecordStore
  readonly limits?: Limits
  /** First and longest wait between join attempts while no bootstrap peer answers (ms). */
  readonly joinRetryMs?: { readonly initial: number, readonly max: number }
  readonly replication?: Partial<ReplicationOptions>
  /** Period of anti-entropy with the replicas (ms). */
  readonly repairIntervalMs?: number
  /** Average bytes per second repair may move. */
  readonly maxRepairBytesPerSecond?: number
  /** Tombstones older than this are deleted (ms). */
  readonly tombstoneGraceMs?: number
  /** After losing a ring neighbour, how long a peer answers REPLICAS_UNAVAILABLE instead of NOT_FOUND for keys it lacks (ms). @default 60000 */
  readonly notFoundGraceMs?: number
  /** Period of the check for records this peer neither owns nor replicates (ms). */
  readonly handoffIntervalMs?: number
  /** Writes kept for replicas that missed them (hinted hand-off); see {@link DEFAULT_HINT_LIMITS}. */
  readonly hints?: Partial<HintLimits>
  /** How often kept writes are offered to replicas that answer again (ms). @default 1000 */
  readonly hintIntervalMs?: number
  /** Client requests routed into the ring at once from this peer; more wait their turn. @default 64 */
  readonly maxEntryOps?: number
  readonly rpcTimeout?: TransportOptions['rpcTimeout']
  readonly dialTimeoutMs?: number
}

export interface ChordServiceComponents {
  readonly peerId: PeerId
  readonly logger: ComponentLogger
  readonly registrar: Registrar
  readonly connectionManager: ConnectionManager
  readonly peerStore: PeerStore
  readonly addressManager: AddressManager
  readonly events: TypedEventTarget<Libp2pEvents>
}

export interface ChordServiceEvents {
  /** The peer became a ring member (founded a ring or joined one). */
  joined: CustomEvent<{ via?: string }>
  /** A join attempt failed; another follows after `retryInMs`. */
  'join-failed': CustomEvent<{ error: Error, retryInMs: number }>
}

/** Connections idle this long to peers that are not neighbours or fingers are closed (ms). */
const IDLE_CONNECTION_MS = 120_000
const PRUNE_INTERVAL_MS = 60_000

/** k = 3 replicas, a majority write quorum, reads from the owner. */
export const DEFAULT_REPLICATION: ReplicationOptions = { factor: 3, writeQuorum: 2, readQuorum: 1 }

/** Hinted hand-off keeps at most 10,000 writes and 16 MiB for replicas that missed them. */
export const DEFAULT_HINT_LIMITS: HintLimits = { maxRecords: 10_000, maxBytes: 16 * 1024 * 1024 }

/** The majority of k replicas. */
export function majority (k: number): number {
  return Math.floor(k / 2) + 1
}

/** The result of a data operation, with the route it took. */
export interface OpOutcome extends RouteReply {}

/**
 * The chordkv libp2p service: a {@link ChordNode} and a {@link DataNode}
 * speaking `/chordkv/1.0.0` over this peer's libp2p connections. It joins the
 * ring once libp2p has started (retrying while no bootstrap peer can be
 * reached), serves get/put/delete, and hands its keys on when it leaves.
 */
export class ChordService extends TypedEventEmitter<ChordServiceEvents> implements Startable {
  readonly [Symbol.toStringTag] = 'chordkv'
  readonly [serviceCapabilities] = ['@chordkv/ring']
  readonly node: ChordNode
  readonly data: DataNode
  readonly transport: Libp2pTransport
  readonly directory: PeerDirectory
  private readonly components: ChordServiceComponents
  private readonly bootstrap: readonly Multiaddr[]
  private readonly joinRetry: { readonly initial: number, readonly max: number }
  private readonly handoffTask: PeriodicTask
  private readonly hintTask: PeriodicTask
  private readonly repairTask: PeriodicTask
  private readonly pruneTask: PeriodicTask
  private readonly log: Logger
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private running = false

  constructor (components: ChordServiceComponents, init: ChordServiceInit = {}) {
    super()
    this.components = components
    this.log = components.logger.forComponent('chordkv:service')
    this.bootstrap = init.bootstrap ?? []
    this.joinRetry = init.joinRetryMs ?? { initial: 1000, max: 30_000 }
    const limits = init.limits ?? DEFAULT_LIMITS
    // A frame must hold the largest value with its key and headers.
    const maxFrameSize = Math.max(DEFAULT_MAX_FRAME_SIZE, limits.maxValueBytes + limits.maxKeyBytes + 64 * 1024)
    this.directory = new PeerDirectory(components.peerId, () => components.addressManager.getAddresses())
    this.transport = new Libp2pTransport(components, this.directory, {
      streamMode: init.streamMode ?? 'shared',
      maxFrameSize,
      maxInFlight: 256,
      rpcTimeout: init.rpcTimeout ?? { initialMs: 2000, minMs: 500, maxMs: 5000 },
      dialTimeoutMs: init.dialTimeoutMs ?? 5000
    })
    const options: ChordOptions = { ...DEFAULT_CHORD_OPTIONS, ...definedOnly(init, DEFAULT_CHORD_OPTIONS) }
    let data: DataNode | undefined
    this.node = new ChordNode(this.directory.self, this.transport, options, {
      log: components.logger.forComponent('chordkv:ring'),
      owner: async op => (data as DataNode).execute(op),
      beforeJoined: async (successor, predecessor) => {
        const pulled = await (data as DataNode).pullFrom(successor, predecessor)
        this.log('took over %d records from %s', pulled, successor.peer)
      }
    })
    const node = this.node
    const transport = this.transport
    const repairMs = init.repairIntervalMs ?? 30_000
    const k = init.replication?.factor ?? DEFAULT_REPLICATION.factor
    const replication: ReplicationOptions = {
      ...DEFAULT_REPLICATION,
      writeQuorum: majority(k),
      ...definedOnly(init.replication ?? {}, DEFAULT_REPLICATION)
    }
    data = this.data = new DataNode(new IndexedStore(init.store ?? new MemoryStore()), {
      get self () { return node.self },
      get predecessor () { return node.state.predecessor },
      get successors () { return node.state.successors },
      get joined () { return node.state.joined },
      isSuspect: peer => node.liveness.isSuspect(peer),
      peerFailed: failed => { node.reportFailure(failed) },
      lookup: async key => (await node.lookup(key)).owner,
      replicaSetOf: async owner => {
        const successors = owner.peer === node.self.peer ? node.state.successors : (await transport.getState(owner)).successors
        return [owner, ...successors.slice(0, replication.factor - 1)]
      }
    }, this.transport, {
      limits,
      replication,
      repair: {
        fanout: 16,
        leafRecords: 64,
        batchRecords: 512,
        batchBytes: Math.floor(maxFrameSize / 2),
        maxBytesPerSecond: init.maxRepairBytesPerSecond ?? 16 * 1024 * 1024
      },
      tombstoneGraceMs: init.tombstoneGraceMs ?? 24 * 3600 * 1000,
      notFoundGraceMs: init.notFoundGraceMs ?? 60_000,
      hints: { ...DEFAULT_HINT_LIMITS, ...init.hints },
      // Owners repeat it on every repair pass: three of their longest periods.
      replicaTtlMs: 3 * repairMs * options.stableBackoff * (1 + options.jitter),
      maxEntryOps: init.maxEntryOps ?? 64
    }, components.logger.forComponent('chordkv:data'))
    const onError = (what: string) => (err: unknown) => { this.log('%s failed: %s', what, (err as Error).message) }
    // Repair backs off while it finds nothing to move (neighbour changes reset it).
    this.repairTask = new PeriodicTask(systemClock, { intervalMs: repairMs, maxIntervalMs: repairMs * options.stableBackoff, jitter: 0.2 }, async () => {
      const before = this.data.repairTotals.pushed + this.data.repairTotals.pulled
      await this.data.repair()
      return this.data.repairTotals.pushed + this.data.repairTotals.pulled !== before
    }, onError('repair'))
    this.handoffTask = new PeriodicTask(systemClock, { intervalMs: init.handoffIntervalMs ?? 30_000, jitter: 0.2 }, async () => {
      const dropped = await this.data.dropSurplus()
      const collected = await this.data.collectTombstones()
      if (dropped + collected > 0) this.log('handed on %d surplus records, collected %d tombstones', dropped, collected)
    }, onError('hand-off'))
    this.hintTask = new PeriodicTask(systemClock, { intervalMs: init.hintIntervalMs ?? 1000, jitter: 0.2 }, async () => {
      await this.data.deliverHints()
    }, onError('hinted hand-off'))
    this.pruneTask = new PeriodicTask(systemClock, { intervalMs: PRUNE_INTERVAL_MS, jitter: 0.2 }, async () => { await this.pruneConnections() }, onError('pruning connections'))
    // A new neighbour changes which peers hold which arcs: repair at once.
    this.node.state.onChange(change => {
      this.data.ringChanged()
      this.repairTask.trigger()
      if (change === 'predecessor') this.handoffTask.trigger()
    })
  }

  async start (): Promise<void> {
    this.running = true
    this.components.events.addEventListener('peer:disconnect', this.onDisconnect)
    this.components.events.addEventListener('self:peer:update', this.onSelfUpdate)
    await this.data.records.build()
    await this.transport.start({
      ...bindAll(this.node, ['seen', 'getState', 'notify', 'changed', 'route', 'leave']),
      ...bindAll(this.data, ['offer', 'store', 'range', 'summary', 'digests', 'fetch'])
    })
  }

  /** Joins once the listeners are up, so our addresses are known to others. */
  afterStart (): void {
    if (this.bootstrap.length === 0) {
      this.found()
      return
    }
    void this.tryJoin(this.joinRetry.initial)
  }

  async stop (): Promise<void> {
    this.running = false
    this.components.events.removeEventListener('peer:disconnect', this.onDisconnect)
    this.components.events.removeEventListener('self:peer:update', this.onSelfUpdate)
    clearTimeout(this.retryTimer)
    this.handoffTask.stop()
    this.hintTask.stop()
    this.repairTask.stop()
    this.pruneTask.stop()
    this.node.stop()
    await this.transport.stop()
    await this.data.records.close()
  }

  private readonly onDisconnect = (evt: CustomEvent<PeerId>): void => {
    this.node.disconnected(this.directory.nodeOf(evt.detail))
  }

  private readonly onSelfUpdate = (): void => {
    this.directory.ownAddressesChanged()
  }

  /** This peer's ring reference. */
  get self (): NodeRef {
    return this.node.self
  }

  /** Whether the peer is a ring member. */
  get joined (): boolean {
    return this.node.state.joined
  }

  /** Finds the peer responsible for a key (bytes) or ring identifier. */
  async lookup (key: Uint8Array | RingId): Promise<RouteReply> {
    return this.node.lookup(typeof key === 'bigint' ? key : ringIdOfKey(key))
  }

  /** Stores a value; resolves once every live replica answered (at least W stored it), with the version written. */
  async put (key: Uint8Array, value: Uint8Array): Promise<OpOutcome> {
    return this.send({ kind: 'put', key, value })
  }

  /** Reads a key; `record` is undefined when the key is absent or deleted. */
  async get (key: Uint8Array): Promise<OpOutcome> {
    return this.send({ kind: 'get', key })
  }

  /** Deletes a key; `existed` says whether it held a value. */
  async del (key: Uint8Array): Promise<OpOutcome> {
    return this.send({ kind: 'del', key })
  }

  /**
   * Leaves the ring gracefully: copies every record to the successor, tells
   * both neighbours to link past this peer, stops serving routes, then moves
   * whatever changed meanwhile. The peer can be stopped afterwards.
   */
  async leave (): Promise<void> {
    const { state } = this.node
    this.handoffTask.stop()
    this.hintTask.stop()
    this.repairTask.stop()
    if (!state.joined || state.successors.length === 0) {
      this.node.stopServing()
      return
    }
    for (const successor of state.successors) {
      try {
        const copied = await this.data.handOffAll(successor, false)
        const predecessor = state.predecessor
        await this.transport.leave(successor, { predecessor })
        if (predecessor !== undefined && predecessor.peer !== successor.peer) {
          await this.transport.leave(predecessor, { successor }).catch(() => {})
        }
        this.node.stopServing()
        const moved = await this.data.handOffAll(successor, true)
        this.log('left the ring: %d records copied then %d moved to %s', copied, moved, successor.peer)
        this.node.stop()
        return
      } catch (err) {
        if (!isPeerFailure(err)) throw err
        this.log('successor %s unreachable during leave, trying the next', successor.peer)
      }
    }
    throw new Error('no successor could take over this peer\'s keys')
  }

  /**
   * A client's request enters the ring here: the data layer fixes a write's
   * version, then the operation travels along the recursive lookup path to
   * the key's owner, which runs it (measured faster than a lookup followed
   * by a direct request to the owner: see bench/socket-bench.ts).
   */
  private async send (op: ClientOp): Promise<OpOutcome> {
    return this.data.enter(op, async stamped => this.node.send(ringIdOfKey(stamped.key), stamped))
  }

  private found (): void {
    this.data.founded()
    this.node.create()
    this.startDataTasks()
    this.safeDispatchEvent('joined', { detail: {} })
  }

  private async tryJoin (waitMs: number): Promise<void> {
    const errors: string[] = []
    for (const addr of this.bootstrap) {
      if (!this.running) return
      try {
        const via = await this.dialBootstrap(addr)
        if (via === undefined) continue
        const successor = await this.node.join(via)
        this.startDataTasks()
        this.log('joined the ring through %s; successor %s', addr.toString(), successor.peer)
        this.safeDispatchEvent('joined', { detail: { via: via.peer } })
        return
      } catch (err) {
        errors.push(`${addr.toString()}: ${(err as Error).message}`)
      }
    }
    if (!this.running) return
    if (errors.length === 0) {
      // Every bootstrap address is this peer itself: it founds the ring.
      this.found()
      return
    }
    const error = new Error(`could not join through any bootstrap peer (${errors.join('; ')})`)
    this.log.error('%s; retrying in %d ms', error.message, waitMs)
    this.safeDispatchEvent('join-failed', { detail: { error, retryInMs: waitMs } })
    this.retryTimer = setTimeout(() => { void this.tryJoin(Math.min(this.joinRetry.max, waitMs * 2)) }, waitMs)
  }

  private startDataTasks (): void {
    this.handoffTask.start()
    this.hintTask.start()
    this.repairTask.start()
    this.pruneTask.start()
  }

  /**
   * Closes connections to peers that are neither neighbours nor fingers and
   * have not exchanged anything for {@link IDLE_CONNECTION_MS}: joins and
   * convergence leave many behind, and each costs memory and keep-alive
   * pings. A peer that needs one again simply dials.
   */
  private async pruneConnections (): Promise<void> {
    const { state, liveness } = this.node
    const keep = new Set([...state.successors, ...state.fingers.distinct()].map(n => n.peer))
    if (state.predecessor !== undefined) keep.add(state.predecessor.peer)
    const idle = this.components.connectionManager.getConnections().map(c => c.remotePeer)
      .filter(peer => !keep.has(peer.toString()) && !liveness.seenWithin(peer.toString(), IDLE_CONNECTION_MS))
    for (const peer of idle) await this.components.connectionManager.closeConnections(peer).catch(() => {})
    if (idle.length > 0) this.log('closed idle connections to %d peers', idle.length)
  }

  /** Dials a bootstrap address and names the peer behind it; undefined if it is this peer. */
  private async dialBootstrap (addr: Multiaddr): Promise<NodeRef | undefined> {
    const claimed = addr.getComponents().find(c => c.name === 'p2p')?.value
    if (claimed === this.components.peerId.toString()) return undefined
    const connection = await this.components.connectionManager.openConnection(addr, { signal: AbortSignal.timeout(10_000) })
    if (connection.remotePeer.equals(this.components.peerId)) return undefined
    return this.directory.nodeOf(connection.remotePeer)
  }
}

/** Factory in the shape libp2p's `services` option expects. */
export function chord (init: ChordServiceInit = {}): (components: ChordServiceComponents) => ChordService {
  return components => new ChordService(components, init)
}

/** The fields of `init` named in `defaults` that are set. */
function definedOnly<T extends object> (init: object, defaults: T): Partial<T> {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(defaults)) {
    const value = (init as Record<string, unknown>)[key]
    if (value !== undefined) out[key] = value
  }
  return out as Partial<T>
}

/** The named methods of `target`, bound to it. */
function bindAll<T extends object, K extends keyof T> (target: T, keys: readonly K[]): Pick<T, K> {
  const out: Partial<Pick<T, K>> = {}
  for (const key of keys) {
    const fn = target[key]
    if (typeof fn === 'function') out[key] = fn.bind(target) as T[K]
  }
  return out as Pick<T, K>
}
