import { leaveRing } from '../../../src/maintenance/leave.js'
import { mean, percentile, table } from '../../stats.js'
import { barChart } from '../../svg-chart.js'
import { LookupRunner, type LookupResult } from '../lookups.js'
import { commandLine, fixed, type Section } from '../report.js'
import { Simulation } from '../simulation.js'
import type { ChordOptions } from '../../../src/chord/node.js'
import type { ChordNode } from '../../../src/chord/node.js'

/**
 * ToN'03 Table III: about 1,000 nodes, r = 20, nodes join and depart as
 * Poisson processes of rate R each, one lookup per second, for a long
 * virtual time. Departures are crashes (the harder case) or graceful
 * leaves (the paper's voluntary leaves, through chordkv's leave protocol).
 * Maintenance runs either at the paper's pace (each node stabilizes at
 * intervals uniform in [15, 45] s, fixing one finger per round) or at
 * chordkv's defaults. A lookup fails when it answers no owner, or an owner
 * that was the key's live successor neither when it started nor when it
 * answered.
 */

export type Departure = 'crash' | 'leave'
export type Pace = 'paper' | 'chordkv'

export interface ChurnOptions {
  readonly n: number
  readonly r: number
  /** Joins per second, and departures per second. */
  readonly rates: readonly number[]
  readonly departures: readonly Departure[]
  readonly paces: readonly Pace[]
  /** Virtual time measured, after the warm-up (s). */
  readonly measureS: number
  /** Virtual time of churn before lookups are counted (s). */
  readonly warmupS: number
  readonly seed: number
  /** Ring options over the pace's, for what-if runs. */
  readonly chord?: Partial<ChordOptions>
}

export interface ChurnRow {
  readonly rate: number
  readonly departure: Departure
  readonly pace: Pace
  readonly results: readonly LookupResult[]
  /** Lookups answered with a node that was the key's owner neither at their start nor at their end. */
  readonly wrong: number
  readonly errors: number
  readonly joins: number
  readonly departed: number
  readonly joinFailures: number
  readonly finalSize: number
  /** Requests per live node per second, and how many of them timed out, over the measured time. */
  readonly requestRate: number
  readonly timeoutRate: number
  /** Timeouts per live node per second in the first and the last tenth of the measured time: do they keep growing? */
  readonly timeoutRateFirst: number
  readonly timeoutRateLast: number
}

/** Each node stabilizes at intervals uniform in [15, 45] s and fixes one finger per round (ToN'03 §V). */
const PAPER_PACE: Partial<ChordOptions> = { stabilizeIntervalMs: 30_000, fixFingersIntervalMs: 30_000, checkPredecessorIntervalMs: 30_000, jitter: 0.5, stableBackoff: 1, stabilizeBackoff: 1 }

/** Join attempts before a newcomer gives up, and the wait between them (ms). */
const JOIN_TRIES = 5
const JOIN_RETRY_MS = 2000

export async function churn (options: ChurnOptions): Promise<ChurnRow[]> {
  const rows: ChurnRow[] = []
  for (const pace of options.paces) {
    for (const departure of options.departures) {
      for (const rate of options.rates) rows.push(await churnOnce(options, rate, departure, pace))
    }
  }
  return rows
}

async function churnOnce (options: ChurnOptions, rate: number, departure: Departure, pace: Pace): Promise<ChurnRow> {
  const sim = new Simulation({ seed: options.seed, chord: { successors: options.r, ...(pace === 'paper' ? PAPER_PACE : {}), ...options.chord }, resolutionMs: 1 })
  sim.idealRing(options.n, true)
  const { loop, random } = sim
  const runner = new LookupRunner(sim)
  const measureFrom = options.warmupS * 1000
  const end = measureFrom + options.measureS * 1000
  const counts = { joins: 0, departed: 0, joinFailures: 0 }
  const results: LookupResult[] = []
  let wrong = 0
  const pending: Array<Promise<void>> = []

  const joinOne = async (): Promise<void> => {
    const node = sim.add()
    for (let attempt = 1; ; attempt++) {
      try {
        await sim.join(node, sim.anyMember().self)
        counts.joins++
        return
      } catch {
        if (attempt >= JOIN_TRIES) {
          counts.joinFailures++
          sim.crash(node.self.peer)
          return
        }
        await new Promise(resolve => loop.setTimeout(() => { resolve(undefined) }, JOIN_RETRY_MS))
      }
    }
  }
  const departOne = async (): Promise<void> => {
    if (sim.truth.size <= options.r + 1) return
    const node = sim.anyMember()
    counts.departed++
    if (departure === 'crash') sim.crash(node.self.peer)
    else await leave(sim, node)
  }
  const lookupOne = async (): Promise<void> => {
    const key = random.bigint(sim.options.space.bits)
    const ownerAtStart = sim.truth.ownerOf(key).peer
    const result = await runner.lookup(sim.anyMember(), key)
    if (result.startedAt < measureFrom) return
    results.push(result)
    if (result.owner !== undefined && result.owner.peer !== ownerAtStart && result.owner.peer !== sim.truth.ownerOf(key).peer) wrong++
  }
  // Three Poisson processes on the virtual clock.
  const poisson = (perSecond: number, event: () => Promise<void>): void => {
    const next = (): void => {
      if (loop.now() >= end) return
      pending.push(event())
      loop.setTimeout(next, random.exponential(perSecond) * 1000)
    }
    loop.setTimeout(next, random.exponential(perSecond) * 1000)
  }
  poisson(rate, joinOne)
  poisson(rate, departOne)
  poisson(1, lookupOne)

  const timedOut = (): number => [...sim.network.timedOut.values()].reduce((a, b) => a + b, 0)
  const tenthS = options.measureS / 10
  // Timeouts per live node per second from `from` to `to` (virtual ms).
  const timeoutsBetween = async (from: number, to: number): Promise<number> => {
    await loop.runUntil(from)
    const before = timedOut()
    await loop.runUntil(to)
    return (timedOut() - before) / sim.truth.size / ((to - from) / 1000)
  }
  await loop.runUntil(measureFrom)
  const sentBefore = sim.network.requests
  const timedOutBefore = timedOut()
  const timeoutRateFirst = await timeoutsBetween(measureFrom, measureFrom + tenthS * 1000)
  const timeoutRateLast = await timeoutsBetween(end - tenthS * 1000, end)
  const requestRate = (sim.network.requests - sentBefore) / sim.truth.size / options.measureS
  const timeoutRate = (timedOut() - timedOutBefore) / sim.truth.size / options.measureS
  await loop.settle(Promise.all(pending))
  return {
    rate,
    departure,
    pace,
    results,
    wrong,
    errors: results.filter(x => x.owner === undefined).length,
    ...counts,
    finalSize: sim.truth.size,
    requestRate,
    timeoutRate,
    timeoutRateFirst,
    timeoutRateLast
  }
}

/** chordkv's graceful leave (maintenance/leave.ts) of a node that stores no records; then it is gone. */
async function leave (sim: Simulation, node: ChordNode): Promise<void> {
  const transport = sim.network.transportFor(node.self)
  await leaveRing({
    joined: node.state.joined,
    predecessor: node.state.predecessor,
    successors: node.state.successors,
    handOff: async () => 0,
    tell: async (to, notice) => { await transport.leave(to, notice) },
    stopServing: () => {
      node.stopServing()
      sim.truth.remove(node.self)
    },
    stop: () => { node.stop() },
    left: () => {},
    hasLeft: () => false,
    skipped: () => {}
  }).catch(() => {})
  sim.crash(node.self.peer)
}

/** ToN'03 Table III as chord-correctness §2.4 gives it, and the rings re-simulation (X1) at 0.05 and 0.40. */
const PAPER_NOTE = 'ToN\'03 Table III: path near 4, timeouts below about 1 per lookup, a few failed lookups per 10^4 (chord-correctness §2.4); the rings re-simulation: path 3.9–4.4, timeouts 0.08–0.67, 6–59 failures per 10^4.'

export function churnSection (rows: readonly ChurnRow[], options: ChurnOptions, args: readonly string[]): Section {
  const spread = (v: readonly number[]): string => `${fixed(mean(v))} (${percentile(v, 1)}, ${percentile(v, 99)})`
  const markdown = [
    `Starts from an ideal ring of N = ${options.n}, r = ${options.r}; joins and departures at R per second each, one lookup per second from a random live member, ` +
    `${fixed(options.warmupS / 60, 0)} virtual minutes of churn before counting, then ${fixed(options.measureS / 60, 0)} minutes counted. ` +
    'Pace "paper": stabilize, fix-fingers (one finger per round) and check-predecessor each at intervals uniform in [15, 45] s; "chordkv": the defaults (2 s, 5 s, 5 s, ±20 %, backing off while nothing changes: stabilize and check-predecessor up to 4×, fix-fingers up to 16×; a failed peer silent for 2 min probed ever more rarely, up to every 10 min). ' +
    'Failed = no answer, or an answer that was the key\'s live successor neither when the lookup started nor when it answered.',
    '',
    table(
      ['pace', 'departures', 'R / s', 'lookups', 'path: route hops, mean (p1, p99)', 'timeouts, mean (p1, p99)', 'failed / 10^4', 'of them wrong owners', 'joins (gave up)', 'departed', 'N at end', 'requests / node / s (timed out)', 'timed out / node / s: first → last tenth'],
      rows.map(x => {
        const answered = x.results.filter(y => y.owner !== undefined)
        return [
          x.pace, x.departure, fixed(x.rate), x.results.length, spread(answered.map(y => y.hops)), spread(x.results.map(y => y.timeouts)),
          fixed((1e4 * (x.wrong + x.errors)) / Math.max(1, x.results.length), 1), x.wrong, `${x.joins} (${x.joinFailures})`, x.departed, x.finalSize,
          `${fixed(x.requestRate)} (${fixed(x.timeoutRate, 3)})`, `${fixed(x.timeoutRateFirst, 3)} → ${fixed(x.timeoutRateLast, 3)}`
        ]
      })
    ),
    '',
    PAPER_NOTE,
    '',
    `Made by ${commandLine(args)}.`
  ].join('\n')
  const groups = options.rates.map(r => `R = ${r}`)
  const key = (x: ChurnRow): string => `${x.pace}, ${x.departure}`
  const names = [...new Set(rows.map(key))]
  const series = (f: (x: ChurnRow) => number): Map<string, number[]> =>
    new Map(names.map(name => [name, options.rates.map(rate => { const x = rows.find(y => key(y) === name && y.rate === rate); return x === undefined ? Number.NaN : f(x) })]))
  const chart = barChart({
    title: 'Lookups under churn (ToN\'03 Table III)',
    groups,
    panels: [
      { title: 'path', unit: 'route hops', series: series(x => mean(x.results.filter(y => y.owner !== undefined).map(y => y.hops))) },
      { title: 'timeouts', unit: 'per lookup', series: series(x => mean(x.results.map(y => y.timeouts))) },
      { title: 'timeouts in the last tenth', unit: 'per node per s', series: series(x => x.timeoutRateLast) },
      { title: 'maintenance', unit: 'requests / node / s', series: series(x => x.requestRate) }
    ],
    colours: { 'paper, crash': '#d62728', 'paper, leave': '#ff9896', 'chordkv, crash': '#1f77b4', 'chordkv, leave': '#aec7e8' }
  })
  return { id: 'table3', markdown, charts: [{ file: 'table3-churn.svg', svg: chart }] }
}
