import { ChordNode, DEFAULT_CHORD_OPTIONS, type ChordOptions } from '../../src/chord-node.js'
import { UnreachableError } from '../../src/errors.js'
import type { ChordTransport } from '../../src/network/transport.js'
import type { Clock } from '../../src/node/clock.js'
import type { LeaveNotice, NeighbourState, RouteReply, RouteRequest } from '../../src/protocol/messages.js'
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
 * of libp2p: no sockets, no crypto, a fake clock, seeded jitter. For the
 * ring logic at scales a single machine cannot reach with real peers.
 */
export class SimNetwork {
  readonly clock = new FakeClock()
  readonly nodes = new Map<string, { node: ChordNode, alive: boolean }>()
  private readonly options: ChordOptions
  private seed = 42

  constructor (options: Partial<ChordOptions> = {}) {
    this.options = { ...DEFAULT_CHORD_OPTIONS, ...options }
  }

  /** A node with this identity, not yet in any ring. */
  add (self: NodeRef): ChordNode {
    const node = new ChordNode(self, this.transportFor(self), this.options, { clock: this.clock, log: silent, random: () => this.random() })
    this.nodes.set(self.peer, { node, alive: true })
    return node
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

  private target (peer: string): ChordNode {
    const entry = this.nodes.get(peer)
    if (entry?.alive !== true) throw new UnreachableError(`${peer} is down`)
    return entry.node
  }

  private transportFor (self: NodeRef): ChordTransport {
    const alive = (): void => {
      if (this.nodes.get(self.peer)?.alive === false) throw new UnreachableError('the sender is down')
    }
    return {
      ping: async to => { alive(); this.target(to.peer) },
      getState: async (to): Promise<NeighbourState> => {
        alive()
        const state = this.target(to.peer).getState()
        return { predecessor: state.predecessor, successors: [...state.successors] }
      },
      notify: async to => { alive(); await this.target(to.peer).notify(self) },
      changed: async to => { alive(); this.target(to.peer).changed(self) },
      route: async (to, request: RouteRequest, onAccepted?: () => void): Promise<RouteReply> => {
        alive()
        return this.target(to.peer).route(request, self, () => { onAccepted?.() })
      },
      leave: async (to, notice: LeaveNotice) => { alive(); this.target(to.peer).leave(self, notice) }
    }
  }
}
