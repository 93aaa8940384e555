import { ChordNode, DEFAULT_CHORD_OPTIONS, type ChordOptions } from '../../src/chord/node.js'
import { RequestTimeoutError, UnreachableError } from '../../src/errors.js'
import { DataNode, type DataNodeOptions } from '../../src/storage/data-node.js'
import { DEFAULT_LIMITS } from '../../src/limits.js'
import { IndexedStore } from '../../src/storage/indexed-store.js'
import { MemoryStore } from '../../src/storage/memory-store.js'
import { directTransport, type PeerHandlers } from './direct-transport.js'
import type { ChordTransport, DataTransport } from '../../src/protocol/ports.js'
import type { Clock } from '../../src/node/clock.js'
import type { ClientOp, RouteReply } from '../../src/protocol/messages.js'
import type { NodeSnapshot } from '../../src/ring/invariants.js'
import type { NodeRef } from '../../src/ring/node-ref.js'
import type { Logger } from '@libp2p/interface'

/** Wall-clock milliseconds of simulated time 0. */
export const EPOCH_MS = 1_700_000_000_000

/** A clock whose time moves only when the test says so; timers run in time order. */
export class FakeClock implements Clock {
  private time = 0
  private seq = 0
  private readonly timers = new Map<number, { at: number, fn: () => void }>()

  now (): number {
    return this.time
  }

  wallMs (): number {
    return EPOCH_MS + this.time
  }

  setTimeout (fn: () => void, ms: number): unknown {
    const id = ++this.seq
    this.timers.set(id, { at: this.time + Math.max(0, ms), fn })
    return id
  }

  clearTimeout (handle: unknown): void {
    this.timers.delete(handle as number)
  }

  /** Timers set and not yet run or cleared. */
  get pending (): number {
    return this.timers.size
  }

  /** Moves time forward by `ms`, running every timer due, each followed by the work it started. */
  async advance (ms: number): Promise<void> {
    const end = this.time + ms
    // A task that re-arms itself at once forever would hang the test: fail instead.
    for (let fired = 0; ; fired++) {
      if (fired > 1_000_000) throw new Error(`more than a million timers fired within ${ms} simulated ms`)
      let next: [number, { at: number, fn: () => void }] | undefined
      for (const entry of this.timers) if (entry[1].at <= end && (next === undefined || entry[1].at < next[1].at)) next = entry
      if (next === undefined) break
      this.timers.delete(next[0])
      this.time = Math.max(this.time, next[1].at)
      next[1].fn()
      await settle()
    }
    this.time = end
  }
}

/** Lets every pending promise chain run (simulated messages have no latency). */
async function settle (): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise(resolve => setImmediate(resolve))
}

/** A logger that drops everything. */
export const silent: Logger = Object.assign(() => {}, { error: () => {}, trace: () => {}, enabled: false, newScope: () => silent }) as unknown as Logger

/** What happens to one request on its way from one node to another. */
export interface Delivery {
  /**
   * Delivered this many simulated ms late. From the sender's RPC timeout on
   * the sender gives up (RequestTimeoutError) while the request still
   * arrives later and runs, as a frame held in a send buffer would.
   */
  readonly delayMs?: number
  /** Delivered again, this many ms after the first delivery, each (its reply is lost). */
  readonly duplicatesAfterMs?: readonly number[]
}

/** Decides each request's fate by sender, receiver and request kind; undefined delivers it at once. */
export type LinkPolicy = (from: string, to: string, kind: string) => Delivery | undefined

/** A data plane in the simulation: each node gets a {@link DataNode} on a memory store. */
export interface SimDataOptions {
  readonly data: Partial<Omit<DataNodeOptions, 'replication'>> & { readonly replication?: Partial<DataNodeOptions['replication']> }
  /** How long a sender waits for a reply before a RequestTimeoutError (simulated ms). */
  readonly rpcTimeoutMs?: number
}

/** The data plane of a simulated peer, unless a test says otherwise. */
export const DATA_DEFAULTS: DataNodeOptions = {
  limits: DEFAULT_LIMITS,
  replication: { factor: 3, writeQuorum: 2, readQuorum: 1, maxClockOffsetMs: 60_000 },
  repair: { fanout: 16, leafRecords: 64, batchRecords: 512, batchBytes: 1 << 20, maxBytesPerSecond: 1 << 30 },
  tombstoneGraceMs: 24 * 3600 * 1000,
  notFoundGraceMs: 60_000,
  hints: { maxRecords: 10_000, maxBytes: 16 << 20 },
  replicaTtlMs: 60_000,
  maxEntryOps: 64
}

/**
 * Makes a simulated node carry records: a DataNode on a memory store, its
 * versions from the simulated clock (plus the node's skew, in ms).
 */
export function carryRecords (node: ChordNode, transport: DataTransport, options: DataNodeOptions, clock: Clock, skewMs = (): number => 0): DataNode {
  const skewed: Clock = {
    now: () => clock.now(),
    wallMs: () => clock.wallMs() + skewMs(),
    setTimeout: (fn, ms) => clock.setTimeout(fn, ms),
    clearTimeout: handle => { clock.clearTimeout(handle) }
  }
  const data = new DataNode({ records: new IndexedStore(new MemoryStore()), ring: node.dataRing(options.replication.factor), transport, clock: skewed, log: silent }, options)
  node.attachRecords(data)
  return data
}

/**
 * Chord nodes (the production ChordNode) wired through direct calls instead
 * of libp2p: no sockets, no crypto, a fake clock, seeded jitter and ring
 * tags. For the ring logic at scales a single machine cannot reach with
 * real peers. Nodes can crash, and the network can be cut into groups that
 * cannot reach each other (requests across the cut time out, as with a
 * partition that drops packets) and healed again. Optionally with the data
 * plane (the production DataNode, its versions on the fake clock too) and a
 * {@link LinkPolicy} that delays and duplicates requests.
 */
export class SimNetwork {
  readonly clock = new FakeClock()
  readonly nodes = new Map<string, { node: ChordNode, data?: DataNode, alive: boolean }>()
  /** Every request between nodes passes this policy. */
  links: LinkPolicy = () => undefined
  /** How far each node's wall clock runs ahead of simulated time (ms). */
  readonly skewMs = new Map<string, number>()
  /** Requests delivered after their sender gave up on them. */
  lateDeliveries = 0
  /**
   * Whether nodes follow owner hints (ring/owner-cache.ts). Off by default:
   * a hint is followed only over an open connection, which this network
   * does not have; on, every peer on the sender's side of any cut has one.
   */
  ownerHints = false
  /** With owner hints on: for each time a node asked whether a hinted owner is reachable, whether it asked to dial it. */
  readonly hintDials: boolean[] = []

  private readonly options: ChordOptions
  private readonly dataOptions: DataNodeOptions | undefined
  private readonly rpcTimeoutMs: number
  private seed: number
  /** Which group each peer is in while the network is cut; undefined when whole. */
  private groupOf: Map<string, number> | undefined

  constructor (options: Partial<ChordOptions> = {}, data?: SimDataOptions, seed = 42) {
    this.options = { ...DEFAULT_CHORD_OPTIONS, ...options }
    this.seed = seed
    this.dataOptions = data === undefined
      ? undefined
      : { ...DATA_DEFAULTS, ...data.data, replication: { ...DATA_DEFAULTS.replication, ...data.data.replication } }
    this.rpcTimeoutMs = data?.rpcTimeoutMs ?? 500
  }

  /** A node with this identity, not yet in any ring. */
  add (self: NodeRef): ChordNode {
    const random64 = (): bigint => (BigInt(Math.floor(this.random() * 2 ** 32)) << 32n) | BigInt(Math.floor(this.random() * 2 ** 32))
    const node = new ChordNode(self, this.transportFor(self), this.options, { clock: this.clock, log: silent, random: () => this.random(), random64 })
    const data = this.dataOptions === undefined
      ? undefined
      : carryRecords(node, this.transportFor(self), this.dataOptions, this.clock, () => this.skewMs.get(self.peer) ?? 0)
    this.nodes.set(self.peer, { node, data, alive: true })
    return node
  }

  /** The data node of a peer (with the data plane on). */
  data (peer: string): DataNode {
    const data = this.nodes.get(peer)?.data
    if (data === undefined) throw new Error(`${peer} has no data node`)
    return data
  }

  /** `peer` founds a ring, as ChordService does. */
  found (peer: string): void {
    this.nodes.get(peer)?.node.create()
  }

  /** One anti-entropy pass on every live node (the simulation runs no periodic repair). */
  async repairAll (): Promise<void> {
    for (const { data, alive } of this.nodes.values()) if (alive) await data?.repair()
  }

  /** A client's request entering the ring at `peer`, as ChordService sends it. */
  async request (peer: string, op: ClientOp): Promise<RouteReply> {
    const { node } = this.nodes.get(peer) ?? {}
    if (node === undefined) throw new Error(`no node ${peer}`)
    return this.data(peer).entry.enter(op)
  }

  /** Cuts the network: peers in different groups cannot reach each other (peers in no group reach nobody). */
  partition (groups: ReadonlyArray<readonly string[]>): void {
    this.groupOf = new Map()
    groups.forEach((group, i) => { for (const peer of group) this.groupOf?.set(peer, i) })
  }

  /** Heals every cut. */
  heal (): void {
    this.groupOf = undefined
  }

  /** Crashes a node: it stops, and every request to it fails. */
  kill (peer: string): void {
    const entry = this.nodes.get(peer)
    if (entry === undefined) return
    entry.alive = false
    entry.node.stop()
  }

  snapshot (): Map<string, NodeSnapshot> {
    return new Map([...this.nodes].map(([peer, { node, alive }]) => [peer, { ...node.snapshot(), alive }]))
  }

  private random (): number {
    this.seed = (this.seed * 1103515245 + 12345) % 2147483648
    return this.seed / 2147483648
  }

  /** The handlers a request from `from` reaches: alive, and on `from`'s side of any cut. */
  private target (peer: string, from: string): PeerHandlers {
    const entry = this.nodes.get(peer)
    if (entry?.alive !== true) throw new UnreachableError(`${peer} is down`)
    if (this.groupOf !== undefined && (this.groupOf.get(peer) ?? -1) !== (this.groupOf.get(from) ?? -2)) {
      throw new RequestTimeoutError(`${peer} is on the far side of a partition`)
    }
    entry.node.seen(this.nodes.get(from)?.node.self ?? entry.node.self)
    return { chord: entry.node, data: entry.data?.server }
  }

  /**
   * Carries one request from `from` to `to` under the link policy: `run`
   * executes it at the receiver (checking then that it is alive).
   */
  private async deliver<T> (from: string, to: string, kind: string, run: () => Promise<T>): Promise<T> {
    const { delayMs = 0, duplicatesAfterMs = [] } = this.links(from, to, kind) ?? {}
    const late = (ms: number): void => { this.clock.setTimeout(() => { run().catch(() => {}) }, ms) }
    for (const after of duplicatesAfterMs) late(delayMs + after)
    if (delayMs === 0) return run()
    if (delayMs >= this.rpcTimeoutMs) {
      this.clock.setTimeout(() => {
        this.lateDeliveries++
        run().catch(() => {})
      }, delayMs)
      return new Promise((_resolve, reject) => {
        this.clock.setTimeout(() => { reject(new RequestTimeoutError(`${to} did not answer within ${this.rpcTimeoutMs} ms`)) }, this.rpcTimeoutMs)
      })
    }
    await new Promise(resolve => this.clock.setTimeout(() => { resolve(undefined) }, delayMs))
    return run()
  }

  private transportFor (self: NodeRef): ChordTransport & DataTransport {
    const transport = directTransport(self, async (to, kind, run) => {
      if (this.nodes.get(self.peer)?.alive === false) throw new UnreachableError('the sender is down')
      return this.deliver(self.peer, to.peer, kind, async () => run(this.target(to.peer, self.peer)))
    })
    // As over TCP, a connection to a peer that crashed may still look open.
    const reachable = (to: NodeRef, dial = false): boolean => {
      if (!this.ownerHints) return false
      this.hintDials.push(dial)
      return this.nodes.has(to.peer) && (this.groupOf === undefined || this.groupOf.get(to.peer) === this.groupOf.get(self.peer))
    }
    return Object.assign(transport, { reachable })
  }
}
