import { ChordNode, DEFAULT_CHORD_OPTIONS, type ChordOptions } from '../../src/chord-node.js'
import { RequestTimeoutError, UnreachableError } from '../../src/errors.js'
import type { ChordTransport } from '../../src/network/transport.js'
import type { Clock } from '../../src/node/clock.js'
import type { LeaveNotice, MergeInvitation, NeighbourState, RouteReply, RouteRequest } from '../../src/protocol/messages.js'
import type { NodeSnapshot } from '../../src/ring/invariants.js'
import type { NodeRef } from '../../src/ring/node-ref.js'
import type { Logger } from '@libp2p/interface'

/** A clock whose time moves only when the test says so; timers run in time order. */
export class FakeClock implements Clock {
  private time = 0
  private seq = 0
  private readonly timers = new Map<number, { at: number, fn: () => void }>()

  now (): number {
    return this.time
  }

  setTimeout (fn: () => void, ms: number): unknown {
    const id = ++this.seq
    this.timers.set(id, { at: this.time + Math.max(0, ms), fn })
    return id
  }

  clearTimeout (handle: unknown): void {
    this.timers.delete(handle as number)
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

const silent: Logger = Object.assign(() => {}, { error: () => {}, trace: () => {}, enabled: false, newScope: () => silent }) as unknown as Logger

/**
 * Chord nodes (the production ChordNode) wired through direct calls instead
 * of libp2p: no sockets, no crypto, a fake clock, seeded jitter and ring
 * tags. For the ring logic at scales a single machine cannot reach with
 * real peers. Nodes can crash, and the network can be cut into groups that
 * cannot reach each other (requests across the cut time out, as with a
 * partition that drops packets) and healed again.
 */
export class SimNetwork {
  readonly clock = new FakeClock()
  readonly nodes = new Map<string, { node: ChordNode, alive: boolean }>()
  private readonly options: ChordOptions
  private seed: number
  /** Which group each peer is in while the network is cut; undefined when whole. */
  private groupOf: Map<string, number> | undefined

  constructor (options: Partial<ChordOptions> = {}, seed = 42) {
    this.options = { ...DEFAULT_CHORD_OPTIONS, ...options }
    this.seed = seed
  }

  /** A node with this identity, not yet in any ring. */
  add (self: NodeRef): ChordNode {
    const random64 = (): bigint => (BigInt(Math.floor(this.random() * 2 ** 32)) << 32n) | BigInt(Math.floor(this.random() * 2 ** 32))
    const node = new ChordNode(self, this.transportFor(self), this.options, { clock: this.clock, log: silent, random: () => this.random(), random64 })
    this.nodes.set(self.peer, { node, alive: true })
    return node
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

  private target (peer: string, from: string): ChordNode {
    const entry = this.nodes.get(peer)
    if (entry?.alive !== true) throw new UnreachableError(`${peer} is down`)
    if (this.groupOf !== undefined && (this.groupOf.get(peer) ?? -1) !== (this.groupOf.get(from) ?? -2)) {
      throw new RequestTimeoutError(`${peer} is on the far side of a partition`)
    }
    entry.node.seen(this.nodes.get(from)?.node.self ?? entry.node.self)
    return entry.node
  }

  private transportFor (self: NodeRef): ChordTransport {
    const to = (peer: string): ChordNode => {
      if (this.nodes.get(self.peer)?.alive === false) throw new UnreachableError('the sender is down')
      return this.target(peer, self.peer)
    }
    return {
      ping: async node => { to(node.peer) },
      getState: async (node): Promise<NeighbourState> => {
        const state = to(node.peer).getState()
        return { ...state, successors: [...state.successors] }
      },
      notify: async node => { await to(node.peer).notify(self) },
      changed: async node => { to(node.peer).changed(self) },
      route: async (node, request: RouteRequest, onAccepted?: () => void): Promise<RouteReply> => {
        return to(node.peer).route(request, self, () => { onAccepted?.() })
      },
      leave: async (node, notice: LeaveNotice) => { to(node.peer).leave(self, notice) },
      merge: async (node, invitation: MergeInvitation) => to(node.peer).merge(self, invitation)
    }
  }
}
