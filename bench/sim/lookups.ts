import type { ChordNode } from '../../src/chord/node.js'
import type { RingId } from '../../src/ring/ids.js'
import type { NodeRef } from '../../src/ring/node-ref.js'
import type { Simulation } from './simulation.js'

/** One lookup as the simulator saw it. */
export interface LookupResult {
  readonly key: RingId
  readonly origin: NodeRef
  /** The owner the lookup returned; undefined when it failed. */
  readonly owner?: NodeRef | undefined
  /** Why it failed. */
  readonly error?: Error | undefined
  /**
   * Forwarding hops of the recursive route, the final hop to the owner
   * included: the path's length less one (0 when the origin owns the key).
   */
  readonly hops: number
  /** Requests on its route that waited out a timeout at a dead peer. */
  readonly timeouts: number
  readonly startedAt: number
  readonly endedAt: number
}

/**
 * Runs lookups through the production `ChordNode.lookup` and counts, for
 * each, the timeouts its route met (the network reports every routed
 * request that timed out; lookups are told apart by their random keys).
 */
export class LookupRunner {
  private readonly sim: Simulation
  private readonly timeouts = new Map<RingId, number>()

  constructor (sim: Simulation) {
    this.sim = sim
    sim.network.onRouteTimeout = request => {
      const n = this.timeouts.get(request.key)
      if (n !== undefined) this.timeouts.set(request.key, n + 1)
    }
  }

  /** One lookup of `key` from `origin`; resolves once it answered or failed (the caller runs the clock). */
  async lookup (origin: ChordNode, key: RingId): Promise<LookupResult> {
    const { loop } = this.sim
    const startedAt = loop.now()
    this.timeouts.set(key, 0)
    const base = { key, origin: origin.self, startedAt }
    try {
      const reply = await origin.lookup(key)
      return { ...base, owner: reply.owner, hops: reply.hops, timeouts: this.timeouts.get(key) ?? 0, endedAt: loop.now() }
    } catch (err) {
      return { ...base, error: err as Error, hops: Number.NaN, timeouts: this.timeouts.get(key) ?? 0, endedAt: loop.now() }
    } finally {
      this.timeouts.delete(key)
    }
  }

  /**
   * `count` lookups of random keys from random live members, at most
   * `concurrency` at once, running the clock until all are done.
   */
  async many (count: number, concurrency: number): Promise<LookupResult[]> {
    const { sim } = this
    const results: LookupResult[] = []
    let started = 0
    const worker = async (): Promise<void> => {
      while (started < count) {
        started++
        results.push(await this.lookup(sim.anyMember(), sim.random.bigint(sim.options.space.bits)))
      }
    }
    await sim.loop.settle(Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker)))
    return results
  }
}
