import { mean, table } from '../../stats.js'
import { commandLine, fixed, type Section } from '../report.js'
import { Simulation } from '../simulation.js'

/**
 * What v virtual positions per peer cost (SIGCOMM'01 §6.2: routing state
 * grows v-fold): each position is a full ring node with its own fingers,
 * successor list and maintenance. The simulator runs an ideal ring of
 * N·v nodes at chordkv's default periods, position i belonging to peer
 * i mod N, and measures per peer the routing entries, the distinct peers
 * they name (connections to keep), and the maintenance requests per second
 * once the periods have backed off on the stable ring.
 */

export interface VirtualCostOptions {
  readonly n: number
  readonly virtual: readonly number[]
  readonly seed: number
  /** Virtual seconds before and while requests are counted. */
  readonly warmupS: number
  readonly measureS: number
}

export interface VirtualCostRow {
  readonly v: number
  /** Per physical peer: finger, successor and predecessor entries over its positions. */
  readonly entries: number
  /** Per physical peer: distinct other peers those entries name. */
  readonly peersKnown: number
  /** Per physical peer: maintenance requests sent per second on a stable ring. */
  readonly requestsPerSecond: number
}

export async function virtualCost (options: VirtualCostOptions): Promise<VirtualCostRow[]> {
  const rows: VirtualCostRow[] = []
  for (const v of options.virtual) {
    const sim = new Simulation({ seed: options.seed, resolutionMs: 1 })
    const nodes = sim.idealRing(options.n * v, true)
    await sim.loop.runFor(options.warmupS * 1000)
    const before = sim.network.requests
    await sim.loop.runFor(options.measureS * 1000)
    const requests = sim.network.requests - before
    const physical = (peer: string): number => Number(peer.slice('node-'.length)) % options.n
    const known = Array.from({ length: options.n }, () => new Set<number>())
    const entries = new Array<number>(options.n).fill(0)
    for (const node of nodes) {
      const { state } = node
      const me = physical(node.self.peer)
      const named = [...state.fingers.distinct(), ...state.successors, ...(state.predecessor === undefined ? [] : [state.predecessor])]
      entries[me] = (entries[me] ?? 0) + state.fingers.distinct().length + state.successors.length + 1
      for (const ref of named) if (physical(ref.peer) !== me) known[me]?.add(physical(ref.peer))
    }
    rows.push({ v, entries: mean(entries), peersKnown: mean(known.map(s => s.size)), requestsPerSecond: requests / options.n / options.measureS })
  }
  return rows
}

export function virtualCostSection (rows: readonly VirtualCostRow[], options: VirtualCostOptions, args: readonly string[]): Section {
  const base = rows.find(x => x.v === 1)
  const markdown = [
    `N = ${options.n} peers, v positions each (a ring of N·v nodes), r = 8, chordkv's default periods; requests counted over ${options.measureS} virtual seconds after ${options.warmupS} s on the stable ring.`,
    '',
    table(
      ['v', 'routing entries / peer', 'distinct peers named / peer', 'maintenance requests / peer / s', base === undefined ? '' : '× v = 1'],
      rows.map(x => [x.v, fixed(x.entries, 1), fixed(x.peersKnown, 1), fixed(x.requestsPerSecond, 3), base === undefined ? '' : fixed(x.requestsPerSecond / base.requestsPerSecond, 1)])
    ),
    '',
    `Made by ${commandLine(args)}.`
  ].join('\n')
  return { id: 'vnodes', markdown, charts: [] }
}
