import { serviceCapabilities, TypedEventEmitter, type ComponentLogger, type Connection, type Libp2pEvents, type Logger, type PeerId, type PeerStore, type Startable, type TypedEventTarget } from '@libp2p/interface'
import { ChordNode } from './node.js'
import type { SplitSuspect } from './ring-merger.js'
import { chordSettings, type ChordServiceInit } from './settings.js'
import { HEALTH, TRANSPORT, WATCH } from '../defaults.js'
import { leaveRing } from '../maintenance/leave.js'
import { observed, type OperationObserver } from '../operation-observer.js'

export type { ChordServiceInit } from './settings.js'
import { PeriodicTask } from '../maintenance/scheduler.js'
import { DataTasks } from './data-tasks.js'
import { RingStarter } from './ring-starter.js'
import { WatchHub } from './watch-hub.js'
import { systemClock } from '../node/clock.js'
import { Libp2pTransport } from '../network/libp2p-transport.js'
import { pruneIdleConnections } from '../network/connection-pruner.js'
import { RecordGuard } from '../network/record-guard.js'
import { PeerDirectory } from '../network/peer-directory.js'
import { ringIdOfKey } from '../ring/hash.js'
import { DataNode } from '../storage/data-node.js'
import { IndexedStore } from '../storage/indexed-store.js'
import { MemoryStore } from '../storage/memory-store.js'
import { VERSION } from '../version.js'
import type { ClientOp, RouteReply, WatchSink } from '../protocol/messages.js'
import type { MemberInfo } from '../protocol/member-info.js'
import type { Version } from '../protocol/record.js'
import type { ChordStatus } from './status.js'
import type { NodeSnapshot } from '../ring/invariants.js'
import type { RingId } from '../ring/ids.js'
import type { NodeRef } from '../ring/node-ref.js'
import type { Clock } from '../node/clock.js'
import type { AddressManager, ConnectionManager, Registrar, TransportManager } from '@libp2p/interface-internal'

export interface ChordServiceComponents {
  readonly peerId: PeerId
  readonly logger: ComponentLogger
  readonly registrar: Registrar
  readonly connectionManager: ConnectionManager
  readonly peerStore: PeerStore
  readonly addressManager: AddressManager
  readonly transportManager: TransportManager
  readonly events: TypedEventTarget<Libp2pEvents>
}

export interface ChordServiceEvents {
  /** The peer became a ring member: it joined through `via`, or founded a ring (`why`). */
  joined: CustomEvent<{ via?: string, why?: string }>
  /** A join attempt failed; another follows after `retryInMs`. */
  'join-failed': CustomEvent<{ error: Error, retryInMs: number }>
  /** Probing found a live member of another ring: the rings are merging. */
  'split-found': CustomEvent<SplitSuspect>
  /** A split this peer found has healed: the peer is on this ring again. */
  'merge-done': CustomEvent<{ peer: string, durationMs: number }>
  /** The predecessor or the first successor changed (peer IDs; undefined: none). */
  'neighbours-changed': CustomEvent<{ predecessor?: string, successor?: string }>
  /** A repair pass moved records between this peer and its replicas. */
  'repair-moved': CustomEvent<{ pushed: number, pulled: number, bytes: number }>
  /** The graceful leave is done: `copied` records went to the successor `to`, then `moved` written meanwhile. */
  left: CustomEvent<{ copied: number, moved: number, to: string }>
}

/**
 * The chordkv libp2p service: a {@link ChordNode} and a {@link DataNode}
 * speaking `/chordkv/1.0.0` over this peer's libp2p connections. It joins the
 * ring once libp2p has started (retrying while no bootstrap peer can be
 * reached), serves get/put/delete, and hands its keys on when it leaves.
 */
export class ChordService extends TypedEventEmitter<ChordServiceEvents> implements Startable {
  readonly [Symbol.toStringTag] = 'chordkv'
  readonly [serviceCapabilities] = ['@chordkv/ring']
  private readonly node: ChordNode
  private readonly data: DataNode
  private readonly transport: Libp2pTransport
  private readonly directory: PeerDirectory
  /** Joining, founding and rejoining after a restart; remembered members. */
  private readonly starter: RingStarter
  /** Repair, hand-off and hint delivery while the peer is a member. */
  private readonly dataTasks: DataTasks
  private readonly components: ChordServiceComponents
  /** The one clock of this peer. */
  readonly clock: Clock
  private readonly pruneTask: PeriodicTask
  private readonly log: Logger
  private readonly observer: OperationObserver | undefined
  /** Who may exchange records with this peer. */
  private readonly guard: RecordGuard
  /** The watches of this peer's clients. */
  private readonly watches: WatchHub
  private running = false

  constructor (components: ChordServiceComponents, init: ChordServiceInit = {}) {
    super()
    this.components = components
    this.log = components.logger.forComponent('chordkv:service')
    this.observer = init.observer
    const settings = chordSettings(init)
    const { ring: options, start } = settings
    const clock = this.clock = init.clock ?? systemClock
    const now = (): number => clock.now()
    this.directory = new PeerDirectory(components.peerId, () => components.addressManager.getAddresses(), now)
    this.transport = new Libp2pTransport({ connectionManager: components.connectionManager, registrar: components.registrar, peerStore: components.peerStore, logger: components.logger, clock }, this.directory, settings.transport)
    this.node = new ChordNode(this.directory.self, this.transport, options, { clock, log: components.logger.forComponent('chordkv:ring') })
    const node = this.node
    const { repairMs, handoffMs, hintMs } = settings.periods
    const { replication } = settings.data
    this.data = new DataNode({ records: new IndexedStore(init.store ?? new MemoryStore()), ring: node.dataRing(replication.factor), transport: this.transport, clock, log: components.logger.forComponent('chordkv:data') }, settings.data)
    node.attachRecords(this.data)
    this.guard = new RecordGuard(node.guardedRing(replication.factor), components.logger.forComponent('chordkv:guard'), now)
    const onError = (what: string) => (err: unknown) => { this.log('%s failed: %s', what, (err as Error).message) }
    this.dataTasks = new DataTasks({ data: this.data, clock, log: this.log, repairMoved: moved => { this.safeDispatchEvent('repair-moved', { detail: moved }) } },
      { repairMs, handoffMs, hintMs, stableBackoff: options.stableBackoff })
    const self = this.directory.self
    this.watches = new WatchHub({
      replicasOf: async key => this.replicasOf(key),
      // This peer may be one of the key's replicas itself.
      transport: { watch: async (to, query) => to.peer === self.peer ? this.data.server.watch(self, query) : this.transport.watch(to, query) },
      clock,
      log: components.logger.forComponent('chordkv:watch')
    }, { ...WATCH, renewMs: settings.periods.watchRenewMs })
    this.data.server.watchedHere = record => { this.watches.watchEvent(self, record) }
    this.pruneTask = new PeriodicTask(clock, { intervalMs: TRANSPORT.pruneIntervalMs, jitter: 0.2 }, async () => { await this.pruneConnections() }, onError('pruning connections'))
    this.starter = new RingStarter({
      libp2p: components,
      node,
      directory: this.directory,
      transport: this.transport,
      clock,
      log: this.log,
      running: () => this.running,
      joined: detail => {
        this.dataTasks.start()
        this.pruneTask.start()
        this.safeDispatchEvent('joined', { detail })
      },
      joinFailed: (error, retryInMs) => { this.safeDispatchEvent('join-failed', { detail: { error, retryInMs } }) }
    }, { ...start, dialTimeoutMs: settings.transport.dialTimeoutMs, memberStore: init.memberStore })
    let successor = this.node.state.successor.peer
    this.node.state.onChange(change => {
      if (change === 'ring') return
      this.dataTasks.neighboursChanged(change === 'predecessor')
      if (change === 'predecessor') this.guard.predecessorsChanged()
      const { state } = this.node
      if (change === 'predecessor' || state.successor.peer !== successor) {
        successor = state.successor.peer
        this.safeDispatchEvent('neighbours-changed', { detail: { predecessor: state.predecessor?.peer, successor: state.successors[0]?.peer } })
      }
      this.starter.noteMembers()
    })
    this.node.predecessorMoved = () => { this.guard.predecessorsChanged() }
    this.node.merger.events = {
      splitFound: suspect => { this.safeDispatchEvent('split-found', { detail: suspect }) },
      mergeDone: (peer, durationMs) => { this.safeDispatchEvent('merge-done', { detail: { peer, durationMs } }) }
    }
  }

  async start (): Promise<void> {
    this.running = true
    this.components.events.addEventListener('peer:disconnect', this.onDisconnect)
    this.components.events.addEventListener('connection:open', this.onConnectionOpen)
    this.components.events.addEventListener('self:peer:update', this.onSelfUpdate)
    await this.starter.load()
    await this.data.records.build()
    await this.transport.start({ ring: this.node, data: this.data.server, info: { memberInfo: async () => this.memberInfo() }, watches: this.watches }, this.guard)
  }

  /** Joins (or founds) once the listeners are up, so our addresses are known to others. */
  afterStart (): void {
    this.starter.start().catch(err => { this.log.error('starting the ring failed - %e', err) })
  }

  async stop (): Promise<void> {
    this.running = false
    this.components.events.removeEventListener('peer:disconnect', this.onDisconnect)
    this.components.events.removeEventListener('connection:open', this.onConnectionOpen)
    this.components.events.removeEventListener('self:peer:update', this.onSelfUpdate)
    for (const task of [this.dataTasks, this.pruneTask, this.watches]) task.stop()
    this.node.stop()
    await this.starter.stop().catch(err => { this.log.error('saving remembered members failed - %e', err) })
    await this.transport.stop()
    await this.data.records.close()
  }

  private readonly onDisconnect = (evt: CustomEvent<PeerId>): void => {
    this.node.disconnected(this.directory.nodeOf(evt.detail))
  }

  /**
   * A connection the kernel gave up on (its keep-alive probes or
   * retransmissions went unanswered: TRANSPORT.keepAliveIdleMs) leads to a
   * host that is gone or cut off: the ring drops it at once instead of
   * dialling it again first (ChordNode.hostGone).
   */
  private readonly onConnectionOpen = (evt: CustomEvent<Connection>): void => {
    const connection = evt.detail
    connection.addEventListener('close', closed => {
      if (this.running && hostWentSilent(closed.error)) this.node.hostGone(this.directory.nodeOf(connection.remotePeer))
    }, { once: true })
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

  /** What this peer tells about itself now (status, health, metrics). */
  status (): ChordStatus {
    const { state, liveness } = this.node
    return {
      now: this.clock.now(),
      self: this.self,
      state: this.node.isLeaving ? 'leaving' : state.joined ? 'joined' : 'joining',
      joined: state.joined,
      predecessor: state.predecessor,
      successors: state.successors,
      liveSuccessors: state.successors.filter(s => !liveness.isSuspect(s.peer)).length,
      fingers: state.fingers.distinct(),
      successorListLength: state.r,
      successorsWrap: state.successorsWrap,
      ringSizeEstimate: this.node.hints.ringSizeEstimate(),
      tag: state.tag,
      merging: this.node.merger.merging,
      splitSuspects: this.node.merger.splitSuspects,
      merges: this.node.merger.stats,
      records: { ...this.data.records.counts(), expiring: this.data.expiring, expired: this.data.expired },
      replication: this.data.replication,
      lastRepair: this.data.repairReport,
      moved: { ...this.data.repairTotals, handedOn: this.dataTasks.handedOn },
      hints: this.data.hintStats,
      membership: { remembered: this.starter.members.size, passive: this.node.merger.passive.size, vanished: this.node.merger.vanishedSuccessors },
      knownPeersAlive: this.node.merger.passive.answeredWithin(HEALTH.livePeerMs)
    }
  }

  /** Keys this peer holds as the owner of their arc (a scan of the arc). */
  async ownedKeys (): Promise<number> {
    return this.data.ownedKeys()
  }

  /** This peer's entry in an invariant-checker snapshot of the ring (ring/invariants.ts). */
  snapshot (): NodeSnapshot {
    return this.node.snapshot()
  }

  /**
   * The peer's insides, for tests and benchmarks only: what a peer holds
   * (records), its ring node, its data node and its side of the peer
   * protocol (to send what a misbehaving member would). Nothing in src/
   * uses it.
   */
  get testing (): { readonly node: ChordNode, readonly data: DataNode, readonly records: IndexedStore, readonly transport: Libp2pTransport, readonly directory: PeerDirectory } {
    return { node: this.node, data: this.data, records: this.data.records, transport: this.transport, directory: this.directory }
  }

  /** Finds the peer responsible for a key (bytes) or ring identifier. */
  async lookup (key: Uint8Array | RingId): Promise<RouteReply> {
    if (typeof key !== 'bigint') this.data.entry.checkLimits(key)
    return observed(this.observer, this.clock, 'lookup', async () => this.node.lookup(typeof key === 'bigint' ? key : ringIdOfKey(key)))
  }

  /**
   * Stores a value; resolves once every live replica answered (at least W
   * stored it), with the version written. With `ttlMs` the value expires
   * that long after its version's millisecond.
   */
  async put (key: Uint8Array, value: Uint8Array, ttlMs?: number): Promise<RouteReply> {
    return observed(this.observer, this.clock, 'put', async () => this.send(ttlMs === undefined ? { kind: 'put', key, value } : { kind: 'put', key, value, ttlMs }))
  }

  /** Reads a key; `record` is undefined when the key is absent or deleted. */
  async get (key: Uint8Array): Promise<RouteReply> {
    return observed(this.observer, this.clock, 'get', async () => this.send({ kind: 'get', key }))
  }

  /**
   * Watches a key: `sink` hears each newer version stored at the key's
   * replicas (watch-hub.ts). Resolves, once registered, with the function
   * that ends the watch.
   */
  async watch (key: Uint8Array, since: Version | undefined, sink: WatchSink): Promise<() => void> {
    this.data.entry.checkLimits(key)
    return this.watches.watch(key, since, sink)
  }

  /** The key's owner and its next k−1 successors, as the owner knows them. */
  private async replicasOf (key: Uint8Array): Promise<NodeRef[]> {
    const owner = (await this.node.lookup(ringIdOfKey(key))).owner
    const successors = owner.peer === this.node.self.peer ? this.node.state.successors : (await this.transport.getState(owner)).successors
    const replicas = new Map([owner, ...successors].map(n => [n.peer, n]))
    return [...replicas.values()].slice(0, this.data.replication.factor)
  }

  /** Deletes a key; `existed` says whether it held a value. */
  async del (key: Uint8Array): Promise<RouteReply> {
    return observed(this.observer, this.clock, 'del', async () => this.send({ kind: 'del', key }))
  }

  /** What this peer, or the member `of`, reports about itself (read-only; ring views walk the ring with it). */
  async memberInfo (of?: NodeRef): Promise<MemberInfo> {
    if (of !== undefined && of.peer !== this.self.peer) return this.transport.memberInfo(of)
    const { state } = this.node
    const counts = this.data.records.counts()
    return {
      self: this.self,
      addrs: this.directory.addressesOf(this.self).map(a => a.toString()),
      predecessor: state.predecessor,
      successors: state.successors,
      fingers: state.fingers.distinct(),
      member: state.joined,
      leaving: this.node.isLeaving,
      successorListLength: state.r,
      replicationFactor: this.data.replication.factor,
      keys: counts.keys,
      keysOwned: await this.data.ownedKeys(),
      tombstones: counts.tombstones,
      version: VERSION
    }
  }

  /**
   * Leaves the ring gracefully: copies every record to the successor, tells
   * both neighbours to link past this peer, stops serving routes, then moves
   * whatever changed meanwhile. The peer can be stopped afterwards.
   */
  async leave (): Promise<void> {
    const { state } = this.node
    this.dataTasks.stop()
    await leaveRing({
      joined: state.joined,
      get predecessor () { return state.predecessor },
      successors: state.successors,
      handOff: async (to, remove) => this.data.handOffAll(to, remove),
      tell: async (to, notice) => { await this.transport.leave(to, notice) },
      hasLeft: peer => this.guard.hasLeft(peer),
      stopServing: () => { this.node.stopServing() },
      stop: () => { this.node.stop() },
      left: (copied, moved, to) => { this.safeDispatchEvent('left', { detail: { copied, moved, to: to.peer } }) },
      skipped: (to, why) => { this.log('successor %s took no records during leave (%s), trying the next', to.peer, why) }
    })
  }

  /**
   * A client's request enters the ring here: the data layer fixes a write's
   * version, then the operation travels along the recursive lookup path to
   * the key's owner, which runs it (measured faster than a lookup followed
   * by a direct request to the owner: see bench/socket-bench.ts).
   */
  private async send (op: ClientOp): Promise<RouteReply> {
    return this.data.entry.enter(op)
  }

  /**
   * Closes connections that neither the ring nor recent traffic needs
   * (connection-pruner.ts). A small ring keeps one to every member
   * (RING.meshPeers): lookups there take one hop over them.
   */
  private async pruneConnections (): Promise<void> {
    const { state, liveness } = this.node
    if (this.node.hints.isSmallRing()) return
    const { connectionManager } = this.components
    const idle = await pruneIdleConnections(connectionManager.getConnections(), {
      keep: () => new Set([...state.successors, ...state.fingers.distinct(), ...(state.predecessor === undefined ? [] : [state.predecessor])].map(n => n.peer)),
      seenWithin: (peer, ms) => liveness.seenWithin(peer, ms)
    }, TRANSPORT.idleConnectionMs)
    if (idle.length > 0) this.log('closed idle connections to %d peers', idle.length)
  }
}

/** Factory in the shape libp2p's `services` option expects. */
export function chord (init: ChordServiceInit = {}): (components: ChordServiceComponents) => ChordService {
  return components => new ChordService(components, init)
}

/** The kernel's verdict on a TCP connection whose host stopped answering. */
function hostWentSilent (error: Error | undefined): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT'
}
