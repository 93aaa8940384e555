import { churn, churnSection, type Departure, type Pace } from './churn.js'
import { joinConvergence, joinSection } from './join-convergence.js'
import { loadBalance, loadSection } from './load-balance.js'
import { massFailure, massFailureSection } from './mass-failure.js'
import { pathLength, pathLengthSection } from './path-length.js'
import { replicaLoss, replicaLossSection } from './replica-loss.js'
import { virtualCost, virtualCostSection } from './virtual-cost.js'
import { scale, scaleSection } from './scale.js'
import { staticFailure, staticFailureSection } from './static-failure.js'
import type { ChordOptions } from '../../../src/chord/node.js'
import type { Section } from '../report.js'

/** The command line's options, as parseArgs returns them. */
export type Args = Readonly<Record<string, string | boolean | undefined>>

export interface Experiment {
  readonly summary: string
  /** Its options and their defaults, for --help. */
  readonly options: string
  run (args: Args, name: string): Promise<Section>
}

/** A numeric option, or its default. */
function num (args: Args, name: string, fallback: number): number {
  const v = args[name]
  if (typeof v !== 'string') return fallback
  const n = Number(v)
  if (!Number.isFinite(n)) throw new Error(`--${name} takes a number, not ${v}`)
  return n
}

/** A comma-separated list of numbers, or its default. */
function list (args: Args, name: string, fallback: readonly number[]): number[] {
  const v = args[name]
  if (typeof v !== 'string') return [...fallback]
  return v.split(',').map(x => {
    const n = Number(x)
    if (!Number.isFinite(n)) throw new Error(`--${name} takes numbers separated by commas, not ${v}`)
    return n
  })
}

/** A comma-separated list of words, or its default. */
function words (args: Args, name: string, fallback: readonly string[]): string[] {
  const v = args[name]
  return typeof v === 'string' ? v.split(',') : [...fallback]
}

/** The command line that reproduces a run: the experiment and the options given. */
function argsOf (name: string, args: Args, used: readonly string[]): string[] {
  const quoted = (v: string): string => (/^[\w.,-]+$/.test(v) ? v : `'${v}'`)
  return [name, ...used.filter(o => typeof args[o] === 'string').map(o => `--${o} ${quoted(args[o] as string)}`)]
}

export const EXPERIMENTS: Readonly<Record<string, Experiment>> = {
  fig10: {
    summary: 'SIGCOMM\'01 Fig. 10: lookup path length (mean, p1, p99) for N = 2^min … 2^max, r = 1 and 8',
    options: '--min-exp 3 --max-exp 14 --lookups 10000',
    async run (args, name) {
      const options = { minExp: num(args, 'min-exp', 3), maxExp: num(args, 'max-exp', 14), lookups: num(args, 'lookups', 10_000), successors: [1, 8], seed: num(args, 'seed', 1) }
      return pathLengthSection(await pathLength(options), options, argsOf(name, args, ['min-exp', 'max-exp', 'lookups', 'seed']))
    }
  },
  join: {
    summary: 'a ring grown through the production join from an ideal seed of r+1: invariants throughout, time to the ideal ring and exact fingers',
    options: '--n 100,1000 (sizes) --rates 10 (joins per second) --lookups 2000',
    async run (args, name) {
      const options = { sizes: list(args, 'n', [100, 1000]), rate: num(args, 'rates', 10), seed: num(args, 'seed', 1), lookups: num(args, 'lookups', 2000) }
      return joinSection(await joinConvergence(options), options, argsOf(name, args, ['n', 'rates', 'lookups', 'seed']))
    }
  },
  fail: {
    summary: 'SIGCOMM\'01 §6.4: a fraction p of N nodes fails at once, r = 2·log2 N; lookups after stabilization; holders left with k = 3',
    options: '--n 10000 --fractions 0.1,0.2,0.3,0.4,0.5 --lookups 10000',
    async run (args, name) {
      const options = { n: num(args, 'n', 10_000), fractions: list(args, 'fractions', [0.1, 0.2, 0.3, 0.4, 0.5]), lookups: num(args, 'lookups', 10_000), replicas: 3, seed: num(args, 'seed', 1) }
      return massFailureSection(await massFailure(options), options, argsOf(name, args, ['n', 'fractions', 'lookups', 'seed']))
    }
  },
  replicas: {
    summary: 'SIGCOMM\'01 §6.4 with the production DataNode (k = 3): acknowledged keys after a fraction p of N peers crashes',
    options: '--n 1000 --keys 10000 --fractions 0.1,0.2,0.3,0.4,0.5',
    async run (args, name) {
      const options = { n: num(args, 'n', 1000), keys: num(args, 'keys', 10_000), fractions: list(args, 'fractions', [0.1, 0.2, 0.3, 0.4, 0.5]), seed: num(args, 'seed', 1) }
      return replicaLossSection(await replicaLoss(options), options, argsOf(name, args, ['n', 'keys', 'fractions', 'seed']))
    }
  },
  table2: {
    summary: 'ToN\'03 Table II: N = 1000, r = 20, 0–50 % fail with stabilization halted; path length and timeouts per lookup',
    options: '--n 1000 --fractions 0,0.1,0.2,0.3,0.4,0.5 --lookups 10000',
    async run (args, name) {
      const options = { n: num(args, 'n', 1000), r: 20, fractions: list(args, 'fractions', [0, 0.1, 0.2, 0.3, 0.4, 0.5]), lookups: num(args, 'lookups', 10_000), seed: num(args, 'seed', 1) }
      return staticFailureSection(await staticFailure(options), options, argsOf(name, args, ['n', 'fractions', 'lookups', 'seed']))
    }
  },
  table3: {
    summary: 'ToN\'03 Table III: ~N nodes, r = 20, Poisson joins and departures at R per second, 1 lookup/s, paper and chordkv maintenance pace',
    options: '--n 1000 --rates 0.05,0.1,0.2,0.4 --hours 1 (counted, after 10 min of churn) --departures crash (or leave, or both) --paces paper,chordkv --chord JSON (ring options over the pace\'s, e.g. \'{"probeIntervalMs":1e12}\')',
    async run (args, name) {
      const options = {
        n: num(args, 'n', 1000),
        r: 20,
        rates: list(args, 'rates', [0.05, 0.1, 0.2, 0.4]),
        departures: words(args, 'departures', ['crash']) as Departure[],
        paces: words(args, 'paces', ['paper', 'chordkv']) as Pace[],
        measureS: num(args, 'hours', 1) * 3600,
        warmupS: 600,
        seed: num(args, 'seed', 1),
        chord: typeof args.chord === 'string' ? JSON.parse(args.chord) as Partial<ChordOptions> : undefined
      }
      return churnSection(await churn(options), options, argsOf(name, args, ['n', 'rates', 'hours', 'departures', 'paces', 'chord', 'seed']))
    }
  },
  load: {
    summary: 'SIGCOMM\'01 §6.2 / Fig. 9: keys per peer for v positions per peer, one copy and k = 3 replicas, against Gamma quantiles',
    options: '--n 10000 --keys 500000 --v 1,2,5,10,20',
    async run (args, name) {
      const options = { n: num(args, 'n', 10_000), keys: num(args, 'keys', 500_000), virtual: list(args, 'v', [1, 2, 5, 10, 20]), replicas: 3, seed: num(args, 'seed', 1) }
      return loadSection(loadBalance(options), options, argsOf(name, args, ['n', 'keys', 'v', 'seed']))
    }
  },
  vnodes: {
    summary: 'what v virtual positions per peer cost: routing entries, peers named and maintenance requests per peer per second',
    options: '--n 1000 --v 1,2,5,10,20',
    async run (args, name) {
      const options = { n: num(args, 'n', 1000), virtual: list(args, 'v', [1, 2, 5, 10, 20]), seed: num(args, 'seed', 1), warmupS: 60, measureS: 240 }
      return virtualCostSection(await virtualCost(options), options, argsOf(name, args, ['n', 'v', 'seed']))
    }
  },
  scale: {
    summary: 'how far one machine reaches: memory, build time and wall-clock cost of maintenance and lookups for N production nodes',
    options: '--n 10000,100000 (sizes) --lookups 10000',
    async run (args, name) {
      const options = { sizes: list(args, 'n', [10_000, 100_000]), lookups: num(args, 'lookups', 10_000), seed: num(args, 'seed', 1), runS: 60 }
      return scaleSection(await scale(options), options, argsOf(name, args, ['n', 'lookups', 'seed']))
    }
  }
}
