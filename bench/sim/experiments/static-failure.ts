import { lineChart } from '../../line-chart.js'
import { mean, percentile, table } from '../../stats.js'
import { LookupRunner, type LookupResult } from '../lookups.js'
import { commandLine, fixed, type Section } from '../report.js'
import { Simulation } from '../simulation.js'

/**
 * ToN'03 Table II: N = 1,000, r = 20, a fraction p of nodes fails and
 * stabilization is halted: no maintenance runs after the failure, so
 * lookups find dead fingers and successors only by timing out. Lookups
 * must still reach the key's live successor; path length and timeouts
 * grow with p. Unlike the paper's simulator, the production node forgets a
 * finger the first time it times out (a route-around chordkv does on every
 * failed request), so a node's later lookups meet fewer dead fingers: the
 * table gives the first tenth of the lookups apart.
 */

export interface StaticFailureOptions {
  readonly n: number
  readonly r: number
  readonly fractions: readonly number[]
  readonly lookups: number
  readonly seed: number
}

export interface StaticFailureRow {
  readonly p: number
  readonly results: readonly LookupResult[]
  /** Answered with another node than the key's live successor. */
  readonly wrong: number
  readonly errors: number
}

/** The paper (≈ 3.8 → 5 path, chord-correctness §2.3) and the rings re-simulation (X1): mean path and timeouts at 0 % and 50 % failed. */
const REFERENCE = new Map([[0, { path: '3.84 / 3.84', timeouts: '0 / 0' }], [0.5, { path: '≈ 5 / 5.50', timeouts: 'several / 6.9' }]])

export async function staticFailure (options: StaticFailureOptions): Promise<StaticFailureRow[]> {
  const rows: StaticFailureRow[] = []
  for (const p of options.fractions) {
    const sim = new Simulation({ seed: options.seed, chord: { successors: options.r }, resolutionMs: 1 })
    sim.idealRing(options.n, false)
    for (const i of sim.random.sample(options.n, Math.round(p * options.n)).map(j => sim.truth.at(j))) sim.crash(i.peer)
    // One at a time, as the paper's lookups: each meets the state the ones before left.
    const results = await new LookupRunner(sim).many(options.lookups, 1)
    rows.push({
      p,
      results,
      wrong: results.filter(x => x.owner !== undefined && x.owner.peer !== sim.truth.ownerOf(x.key).peer).length,
      errors: results.filter(x => x.owner === undefined).length
    })
  }
  return rows
}

const spread = (v: readonly number[]): string => `${fixed(mean(v))} (${percentile(v, 1)}, ${percentile(v, 99)})`

export function staticFailureSection (rows: readonly StaticFailureRow[], options: StaticFailureOptions, args: readonly string[]): Section {
  const tenth = Math.max(1, Math.floor(options.lookups / 10))
  const markdown = [
    `N = ${options.n}, r = ${options.r}, ${options.lookups} lookups one after another from random live members; maintenance halted from the start (ideal ring, then the failure).`,
    '',
    table(
      ['failed', 'path: route hops, mean (p1, p99)', 'timeouts, mean (p1, p99)', `timeouts, first ${tenth}`, 'wrong owners', 'errors', 'paper / rings re-sim: path', 'timeouts'],
      rows.map(x => {
        const answered = x.results.filter(y => y.owner !== undefined)
        const reference = REFERENCE.get(x.p)
        return [
          `${fixed(100 * x.p, 0)} %`, spread(answered.map(y => y.hops)), spread(x.results.map(y => y.timeouts)),
          fixed(mean(x.results.slice(0, tenth).map(y => y.timeouts))), x.wrong, x.errors, reference?.path ?? '', reference?.timeouts ?? ''
        ]
      })
    ),
    '',
    `Made by ${commandLine(args)}.`
  ].join('\n')
  const chart = lineChart({
    title: 'Lookups with stabilization halted (ToN\'03 Table II)',
    xLabel: 'fraction of nodes failed',
    yLabel: 'per lookup: mean, bars p1–p99',
    series: [
      { name: 'path (route hops)', colour: '#1f77b4', points: rows.map(x => { const h = x.results.filter(y => y.owner !== undefined).map(y => y.hops); return { x: x.p, y: mean(h), low: percentile(h, 1), high: percentile(h, 99) } }) },
      { name: 'timeouts', colour: '#d62728', points: rows.map(x => { const t = x.results.map(y => y.timeouts); return { x: x.p, y: mean(t), low: percentile(t, 1), high: percentile(t, 99) } }) },
      { name: 'rings re-sim: path', colour: '#1f77b4', reference: true, points: [{ x: 0, y: 3.84 }, { x: 0.5, y: 5.5 }] },
      { name: 'rings re-sim: timeouts', colour: '#d62728', reference: true, points: [{ x: 0, y: 0 }, { x: 0.5, y: 6.9 }] }
    ]
  })
  return { id: 'table2', markdown, charts: [{ file: 'table2-static-failure.svg', svg: chart }] }
}
