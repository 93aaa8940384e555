import { ChordNode, DEFAULT_CHORD_OPTIONS, type ChordOptions } from '../../src/chord/node.js'
import { sha256Id } from '../../src/ring/hash.js'
import { freshTag } from '../../src/ring/ring-tag.js'
import { carryRecords, silent } from '../../test/utils/sim-network.js'
import { EventLoop } from './event-loop.js'
import { installIdealRing } from './ideal-ring.js'
import { DEFAULT_NETWORK, SimulatedNetwork, type NetworkOptions } from './network.js'
import { Random } from './random.js'
import { RingTruth } from './ring-truth.js'
import type { ClientOp, RouteReply } from '../../src/protocol/messages.js'
import type { NodeSnapshot } from '../../src/ring/invariants.js'
import type { DataNode, DataNodeOptions } from '../../src/storage/data-node.js'
import type { NodeRef } from '../../src/ring/node-ref.js'

export interface SimulationOptions {
  /** Everything random in a run (identifiers, latencies, jitter, workload) follows from it. */
  readonly seed: number
  /** The production ring options, over the defaults (defaults.ts). */
  readonly chord?: Partial<ChordOptions>
  readonly network?: NetworkOptions
  /** See EventLoopOptions. @default 0 */
  readonly resolutionMs?: number
  /** With a data plane: every node carries records (the production DataNode on a memory store). */
  readonly data?: DataNodeOptions
}

/**
 * Production ChordNodes (chord/node.ts, with ring/ and maintenance/) on a
 * simulated network and a virtual clock. Identities are seeded: node i of
 * seed s sits at SHA-256("s/node-i"), as a peer sits at the SHA-256 of its
 * peer ID. `truth` follows the live members, for judging lookups.
 */
export class Simulation {
  readonly loop: EventLoop
  /** The workload's own random stream (which keys, which origins, when). */
  readonly random: Random
  readonly network: SimulatedNetwork
  readonly options: ChordOptions
  readonly nodes = new Map<string, ChordNode>()
  /** Each node's records, with the data plane on. */
  readonly records = new Map<string, DataNode>()
  /** Live ring members in identifier order. */
  readonly truth = new RingTruth()
  private readonly seed: number
  private readonly dataOptions: DataNodeOptions | undefined
  private readonly jitter: Random
  private created = 0

  constructor (options: SimulationOptions) {
    this.seed = options.seed
    const root = new Random(options.seed)
    this.random = root.fork()
    this.jitter = root.fork()
    this.loop = new EventLoop({ resolutionMs: options.resolutionMs })
    this.network = new SimulatedNetwork(this.loop, root.fork(), options.network ?? DEFAULT_NETWORK)
    // The simulated network has no TCP keep-alive to find a silent host, so
    // stabilize rests no longer than the other tasks (the production default
    // leans on the kernel: RING.stabilizeBackoff).
    this.options = { ...DEFAULT_CHORD_OPTIONS, stabilizeBackoff: DEFAULT_CHORD_OPTIONS.stableBackoff, ...options.chord }
    this.dataOptions = options.data
  }

  /** A new node with the next seeded identity, attached to the network but in no ring. */
  add (): ChordNode {
    const name = `node-${this.created++}`
    const self: NodeRef = { id: sha256Id(new TextEncoder().encode(`${this.seed}/${name}`)), peer: name }
    const node = new ChordNode(self, this.network.transportFor(self), this.options, {
      clock: this.loop,
      log: silent,
      random: () => this.jitter.next(),
      random64: () => this.jitter.bigint(64)
    })
    this.nodes.set(name, node)
    const data = this.dataOptions === undefined ? undefined : carryRecords(node, this.network.transportFor(self), this.dataOptions, this.loop)
    if (data !== undefined) this.records.set(name, data)
    this.network.attach(self, { chord: node, data: data?.server })
    return node
  }

  /** A client's request entering the ring at `node`, as ChordService sends it (with the data plane on). */
  async request (node: ChordNode, op: ClientOp): Promise<RouteReply> {
    const data = this.records.get(node.self.peer)
    if (data === undefined) throw new Error(`${node.self.peer} carries no records`)
    return data.entry.enter(op)
  }

  /**
   * An ideal ring of `n` new nodes (ideal-ring.ts), with maintenance
   * running, or halted as in the ToN paper's static experiments.
   */
  idealRing (n: number, maintenance: boolean): ChordNode[] {
    const nodes = Array.from({ length: n }, () => this.add())
    for (const node of nodes) this.truth.add(node.self)
    installIdealRing(nodes, this.truth, freshTag(() => this.jitter.bigint(64)))
    if (!maintenance) for (const node of nodes) node.stop()
    return nodes
  }

  /** Joins `node` through `via` with the production join; it counts as a member once the join resolved. */
  async join (node: ChordNode, via: NodeRef): Promise<void> {
    await node.join(via)
    if (this.network.isUp(node.self.peer)) this.truth.add(node.self)
  }

  /** Crashes a node: it stops, and requests to it time out. */
  crash (peer: string): void {
    const node = this.nodes.get(peer)
    if (node === undefined || !this.network.isUp(peer)) return
    node.stop()
    this.network.crash(peer)
    this.truth.remove(node.self)
  }

  /** Live members, in identifier order. */
  members (): ChordNode[] {
    return this.truth.sorted.map(ref => this.nodes.get(ref.peer) as ChordNode)
  }

  /** A live member chosen at random. */
  anyMember (): ChordNode {
    return this.nodes.get(this.truth.at(this.random.int(this.truth.size)).peer) as ChordNode
  }

  /** Every node's state, dead ones included, for the invariant checker (ring/invariants.ts). */
  snapshot (): Map<string, NodeSnapshot> {
    return new Map([...this.nodes].map(([peer, node]) => [peer, { ...node.snapshot(), alive: this.network.isUp(peer) }]))
  }
}
