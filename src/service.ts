import { serviceCapabilities, TypedEventEmitter, type ComponentLogger, type Libp2pEvents, type Logger, type PeerId, type PeerStore, type Startable, type TypedEventTarget } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { ChordNode, DEFAULT_CHORD_OPTIONS, type ChordOptions, type SplitSuspect } from './chord-node.js'
import { isPeerFailure } from './errors.js'
import { joinOrFound, type KnownPeer } from './join-or-found.js'
import { observed, type OperationObserver } from './operation-observer.js'
import { PeriodicTask } from './maintenance/scheduler.js'
import { systemClock } from './node/clock.js'
import { Libp2pTransport, type StreamMode, type TransportOptions } from './network/libp2p-transport.js'
import { MemberGuard } from './network/member-guard.js'
import { MemberBook, type MemberStore } from './node/member-book.js'
import { PeerDirectory } from './network/peer-directory.js'
import { DEFAULT_MAX_FRAME_SIZE, DRAIN_TIMEOUT_MS, FRAME_TIMEOUT_MS } from './protocol/constants.js'
import { ringIdOfKey } from './ring/hash.js'
import { DataNode, DEFAULT_LIMITS, type Limits } from './storage/data-node.js'
import { IndexedStore } from './storage/indexed-store.js'
import { MemoryStore } from './storage/memory-store.js'
import { VERSION } from './version.js'
import type { HintLimits } from './storage/hints.js'
import type { ReplicationOptions } from './storage/replication.js'
import type { ClientOp, RouteReply, RouteRequest } from './protocol/messages.js'
import type { MemberInfo } from './protocol/member-info.js'
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
  /**
   * How long a starting peer tries to reach the peers it knows (bootstrap
   * entries, remembered members) before it founds a ring of its own and
   * keeps looking for them in the background (ms).
   */
  readonly foundAfterMs?: number
  /** Where the members this peer saw persist between runs; none keeps them in memory only. */
  readonly memberStore?: MemberStore
  /** Remembered members are written at most this often, and only when they changed (ms). */
  readonly memberSaveIntervalMs?: number
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
  /** An inbound frame must arrive whole within this long of its first byte (ms). @default 30000 */
  readonly frameTimeoutMs?: number
  /** A peer that reads none of its answers for this long has its stream reset (ms). @default 30000 */
  readonly drainTimeoutMs?: number
  /** Told about every put, get, del and lookup (metrics). */
  readonly observer?: OperationObserver
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
}

/** Remembered members kept at most (the most recently seen). */
const REMEMBERED_MEMBERS = 32

/** Connections idle this long to peers that are not neighbours or fingers are closed (ms). */
const IDLE_CONNECTION_MS = 120_000
const PRUNE_INTERVAL_MS = 60_000

/** k = 3 replicas, a majority write quorum, reads from the owner; versions up to a minute ahead of this peer's clock. */
export const DEFAULT_REPLICATION: ReplicationOptions = { factor: 3, writeQuorum: 2, readQuorum: 1, maxClockOffsetMs: 60_000 }

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
  /** Ring members seen recently, remembered across restarts. */
  readonly members = new MemberBook(REMEMBERED_MEMBERS)
  /** Records handed on to their holders (and deleted here) since start: they moved after a ring change. */
  handedOn = 0
  private readonly components: ChordServiceComponents
  private readonly bootstrap: readonly Multiaddr[]
  private readonly joinRetry: { readonly initial: number, readonly max: number }
  private readonly foundAfterMs: number
  private readonly dialTimeoutMs: number
  private readonly memberStore: MemberStore | undefined
  private readonly handoffTask: PeriodicTask
  private readonly hintTask: PeriodicTask
  private readonly repairTask: PeriodicTask
  private readonly pruneTask: PeriodicTask
  private readonly memberTask: PeriodicTask
  private readonly memberSaveMs: number
  /** When remembered members were last written (monotonic ms). */
  private savedAt = -Infinity
  private readonly resolveTask: PeriodicTask
  /** Bootstrap entries without a peer ID not reached yet: dialled again in the background. */
  private unresolved: Multiaddr[] = []
  private readonly log: Logger
  private readonly observer: OperationObserver | undefined
  /** Who may exchange records with this peer. */
  private readonly guard: MemberGuard
  private running = false

  constructor (components: ChordServiceComponents, init: ChordServiceInit = {}) {
    super()
    this.components = components
    this.log = components.logger.forComponent('chordkv:service')
    this.observer = init.observer
    this.bootstrap = init.bootstrap ?? []
    this.joinRetry = init.joinRetryMs ?? { initial: 1000, max: 30_000 }
    this.foundAfterMs = init.foundAfterMs ?? 15_000
    this.dialTimeoutMs = init.dialTimeoutMs ?? 5000
    this.memberStore = init.memberStore
    const limits = init.limits ?? DEFAULT_LIMITS
    // A frame must hold the largest value with its key and headers.
    const maxFrameSize = Math.max(DEFAULT_MAX_FRAME_SIZE, limits.maxValueBytes + limits.maxKeyBytes + 64 * 1024)
    this.directory = new PeerDirectory(components.peerId, () => components.addressManager.getAddresses())
    this.transport = new Libp2pTransport(components, this.directory, {
      streamMode: init.streamMode ?? 'shared',
      maxFrameSize,
      maxInFlight: 256,
      rpcTimeout: init.rpcTimeout ?? { initialMs: 2000, minMs: 500, maxMs: 5000 },
      dialTimeoutMs: this.dialTimeoutMs,
      frameTimeoutMs: init.frameTimeoutMs ?? FRAME_TIMEOUT_MS,
      drainTimeoutMs: init.drainTimeoutMs ?? DRAIN_TIMEOUT_MS
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
    this.guard = new MemberGuard({
      space: options.space,
      get self () { return node.self },
      get member () { return node.state.joined && !node.isLeaving },
      get predecessor () { return node.state.predecessor },
      get successors () { return node.state.successors },
      get fingers () { return node.state.fingers.distinct() },
      replicas: replication.factor,
      lookup: async id => (await node.lookup(id)).owner,
      predecessorOf: async of => (await transport.getState(of)).predecessor
    }, components.logger.forComponent('chordkv:guard'))
    const onError = (what: string) => (err: unknown) => { this.log('%s failed: %s', what, (err as Error).message) }
    // Repair backs off while it finds nothing to move (neighbour changes reset it).
    this.repairTask = new PeriodicTask(systemClock, { intervalMs: repairMs, maxIntervalMs: repairMs * options.stableBackoff, jitter: 0.2 }, async () => {
      const before = { ...this.data.repairTotals }
      await this.data.repair()
      const { pushed, pulled, bytes } = this.data.repairTotals
      if (pushed + pulled === before.pushed + before.pulled) return false
      this.safeDispatchEvent('repair-moved', { detail: { pushed: pushed - before.pushed, pulled: pulled - before.pulled, bytes: bytes - before.bytes } })
      return true
    }, onError('repair'))
    // Hand-off runs again soon while it finds records to move (after joins and
    // merges the ring settles over several rounds; a pass on a half-settled
    // ring stops early), and backs off to its full period while it finds none.
    const handoffMs = init.handoffIntervalMs ?? 30_000
    this.handoffTask = new PeriodicTask(systemClock, { intervalMs: Math.min(2000, handoffMs), maxIntervalMs: handoffMs, jitter: 0.2 }, async () => {
      const dropped = await this.data.dropSurplus()
      this.handedOn += dropped
      const collected = await this.data.collectTombstones()
      if (dropped + collected > 0) this.log('handed on %d surplus records, collected %d tombstones', dropped, collected)
      return dropped + collected > 0
    }, onError('hand-off'))
    this.hintTask = new PeriodicTask(systemClock, { intervalMs: init.hintIntervalMs ?? 1000, jitter: 0.2 }, async () => {
      await this.data.deliverHints()
    }, onError('hinted hand-off'))
    this.pruneTask = new PeriodicTask(systemClock, { intervalMs: PRUNE_INTERVAL_MS, jitter: 0.2 }, async () => { await this.pruneConnections() }, onError('pruning connections'))
    this.memberSaveMs = init.memberSaveIntervalMs ?? 10_000
    this.memberTask = new PeriodicTask(systemClock, { intervalMs: this.memberSaveMs, jitter: 0.2 }, async () => { await this.saveMembers() }, onError('saving remembered members'))
    this.resolveTask = new PeriodicTask(systemClock, { intervalMs: this.joinRetry.initial, maxIntervalMs: this.joinRetry.max, jitter: 0.2 },
      async () => this.resolveBootstrap(), onError('dialling bootstrap entries'))
    let successor = this.node.state.successor.peer
    this.node.state.onChange(change => {
      if (change === 'ring') return
      this.data.ringChanged()
      // A new neighbour changes which peers hold which arcs: repair at once.
      this.repairTask.trigger()
      if (change === 'predecessor') this.handoffTask.trigger()
      const { state } = this.node
      if (change === 'predecessor' || state.successor.peer !== successor) {
        successor = state.successor.peer
        this.safeDispatchEvent('neighbours-changed', { detail: { predecessor: state.predecessor?.peer, successor: state.successors[0]?.peer } })
      }
      this.noteMembers()
    })
    this.node.events = {
      splitFound: suspect => { this.safeDispatchEvent('split-found', { detail: suspect }) },
      mergeDone: (peer, durationMs) => { this.safeDispatchEvent('merge-done', { detail: { peer, durationMs } }) }
    }
  }

  async start (): Promise<void> {
    this.running = true
    this.components.events.addEventListener('peer:disconnect', this.onDisconnect)
    this.components.events.addEventListener('self:peer:update', this.onSelfUpdate)
    if (this.memberStore !== undefined) this.members.load(await this.memberStore.load())
    await this.data.records.build()
    await this.transport.start({
      ...bindAll(this.node, ['seen', 'getState', 'notify', 'changed', 'leave', 'merge']),
      route: async (request, from, accept) => this.node.route(this.admitRoute(request, from), from, accept),
      ...bindAll(this.data, ['offer', 'store', 'range', 'summary', 'digests', 'fetch']),
      memberInfo: async () => this.memberInfo()
    }, this.guard)
  }

  /** A routed write from a peer this peer's view does not hold as a member carries no version it could forge. */
  private admitRoute (request: RouteRequest, from: NodeRef): RouteRequest {
    const { op } = request
    if (op.kind === 'lookup' || op.kind === 'get' || this.guard.knows(from.peer)) return request
    const admitted = this.data.admitFromStranger(op)
    // Stamped again: the write enters the ring here, and its route starts here.
    return admitted === op ? request : { ...request, path: [], op: admitted }
  }

  /** Joins (or founds) once the listeners are up, so our addresses are known to others. */
  afterStart (): void {
    this.startRing().catch(err => { this.log.error('starting the ring failed - %e', err) })
  }

  async stop (): Promise<void> {
    this.running = false
    this.components.events.removeEventListener('peer:disconnect', this.onDisconnect)
    this.components.events.removeEventListener('self:peer:update', this.onSelfUpdate)
    for (const task of [this.handoffTask, this.hintTask, this.repairTask, this.pruneTask, this.memberTask, this.resolveTask]) task.stop()
    this.node.stop()
    await this.saveMembers().catch(err => { this.log.error('saving remembered members failed - %e', err) })
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
    return observed(this.observer, 'lookup', async () => this.node.lookup(typeof key === 'bigint' ? key : ringIdOfKey(key)))
  }

  /** Stores a value; resolves once every live replica answered (at least W stored it), with the version written. */
  async put (key: Uint8Array, value: Uint8Array): Promise<OpOutcome> {
    return observed(this.observer, 'put', async () => this.send({ kind: 'put', key, value }))
  }

  /** Reads a key; `record` is undefined when the key is absent or deleted. */
  async get (key: Uint8Array): Promise<OpOutcome> {
    return observed(this.observer, 'get', async () => this.send({ kind: 'get', key }))
  }

  /** Deletes a key; `existed` says whether it held a value. */
  async del (key: Uint8Array): Promise<OpOutcome> {
    return observed(this.observer, 'del', async () => this.send({ kind: 'del', key }))
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

  /**
   * Joins the ring through the peers this peer knows (bootstrap entries
   * that are not this peer, and remembered members), or founds one when
   * none is a member in time (join-or-found.ts). Whatever was known goes on
   * the passive list afterwards: a peer on another ring (two founders, a
   * restart during a partition) is found by probing and the rings merge.
   */
  private async startRing (): Promise<void> {
    type BootstrapEntry = KnownPeer & { readonly addr: Multiaddr }
    type Remembered = KnownPeer & { readonly peer: string, readonly addrs: Multiaddr[] }
    type Known = BootstrapEntry | Remembered
    const self = this.node.self
    const fromBootstrap: BootstrapEntry[] = this.bootstrap.filter(a => !this.isOwnAddress(a)).map(addr => ({ label: addr.toString(), addr, peer: peerIdIn(addr) }))
    const remembered: Remembered[] = this.members.list().filter(m => m.peer !== self.peer)
      .map(m => ({ label: m.peer, peer: m.peer, addrs: m.addrs.flatMap(a => { try { return [multiaddr(a)] } catch { return [] } }) }))
    const known = [...fromBootstrap, ...remembered]
    const reached = await joinOrFound<Known>(known, {
      self,
      clock: systemClock,
      reach: async k => ('addr' in k ? this.dialBootstrap(k.addr) : this.directory.learn(k.peer, k.addrs)),
      getState: async node => this.transport.getState(node),
      join: async via => {
        const successor = await this.node.join(via)
        this.becameMember()
        this.log('joined the ring through %s; successor %s', via.peer, successor.peer)
        this.safeDispatchEvent('joined', { detail: { via: via.peer } })
      },
      found: why => {
        this.data.founded()
        this.node.create()
        this.becameMember()
        this.log('founded a new ring: %s', why)
        this.safeDispatchEvent('joined', { detail: { why } })
      },
      running: () => this.running,
      waiting: (problems, retryInMs) => {
        const error = new Error(`could not join through any known peer (${problems.join('; ')})`)
        this.log('%s; retrying in %d ms', error.message, retryInMs)
        this.safeDispatchEvent('join-failed', { detail: { error, retryInMs } })
      }
    }, { foundAfterMs: this.foundAfterMs, retry: { initialMs: this.joinRetry.initial, maxMs: this.joinRetry.max } })
    if (!this.running) return
    this.node.knowPeers([...reached.values()])
    this.node.knowPeers(remembered.filter(k => !reached.has(k)).map(k => this.directory.learn(k.peer, k.addrs)))
    for (const k of fromBootstrap.filter(k => !reached.has(k))) {
      const peer = peerIdIn(k.addr)
      if (peer === undefined) this.unresolved.push(k.addr)
      else this.node.knowPeers([this.directory.learn(peer, [k.addr])])
    }
    if (this.unresolved.length > 0) this.resolveTask.start()
  }

  /** Bootstrap entries without a peer ID that were not reached at start: dialled with back-off until they answer. */
  private async resolveBootstrap (): Promise<boolean> {
    const left: Multiaddr[] = []
    for (const addr of this.unresolved) {
      try {
        const node = await this.dialBootstrap(addr)
        if (node !== 'self') this.node.knowPeers([node])
      } catch {
        left.push(addr)
      }
    }
    const progress = left.length < this.unresolved.length
    this.unresolved = left
    if (left.length === 0) this.resolveTask.stop()
    return progress
  }

  private becameMember (): void {
    this.startDataTasks()
    this.memberTask.start()
    this.noteMembers()
  }

  /**
   * Remembers the current neighbours as ring members. A change is written
   * at once when nothing was written for a save period (so a peer killed
   * soon after joining still knows its ring), else by the member task at the
   * end of the period: at most one write per period, none while nothing
   * changes.
   */
  private noteMembers (): void {
    if (!this.node.state.joined) return
    const { state } = this.node
    const now = Date.now()
    const nodes = [...state.successors, ...(state.predecessor === undefined ? [] : [state.predecessor])]
    for (const n of nodes) this.members.note(n.peer, this.directory.addressesOf(n).map(a => a.toString()), now)
    if (this.members.dirty && performance.now() - this.savedAt >= this.memberSaveMs) this.memberTask.trigger()
  }

  private async saveMembers (): Promise<void> {
    if (this.memberStore === undefined || !this.members.dirty) return
    this.savedAt = performance.now()
    await this.memberStore.save(this.members.taken())
  }

  /** Whether a bootstrap entry is this peer: its peer ID, or (without one) one of its own addresses. */
  private isOwnAddress (addr: Multiaddr): boolean {
    const peer = peerIdIn(addr)
    if (peer !== undefined) return peer === this.components.peerId.toString()
    const text = addr.toString()
    const { addressManager } = this.components
    const own = [...addressManager.getAddresses(), ...addressManager.getAnnounceAddrs(), ...addressManager.getListenAddrs()]
    return own.some(a => a.toString() === text || a.toString().startsWith(`${text}/p2p/`))
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

  /** Dials a bootstrap address and names the peer behind it, or `'self'` when the address leads back here. */
  private async dialBootstrap (addr: Multiaddr): Promise<NodeRef | 'self'> {
    if (this.isOwnAddress(addr)) return 'self'
    try {
      const connection = await this.components.connectionManager.openConnection(addr, { signal: AbortSignal.timeout(this.dialTimeoutMs) })
      if (connection.remotePeer.equals(this.components.peerId)) return 'self'
      return this.directory.learn(connection.remotePeer, [addr])
    } catch (err) {
      // libp2p finds out in the handshake that a name or address without a peer ID is this peer.
      if (dialedSelf(err)) return 'self'
      throw err
    }
  }
}

/** The peer ID in a multiaddr's `/p2p/` part, if any. */
function peerIdIn (addr: Multiaddr): string | undefined {
  return addr.getComponents().find(c => c.name === 'p2p')?.value
}

/** Whether a dial failed because the address was this peer's own. */
function dialedSelf (err: unknown): boolean {
  const e = err as { message?: string, errors?: unknown[] } | undefined
  return /dial(ed)? self/i.test(e?.message ?? '') || (Array.isArray(e?.errors) && e.errors.some(dialedSelf))
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
