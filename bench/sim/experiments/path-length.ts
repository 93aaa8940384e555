import { lineChart } from '../../line-chart.js'
import { mean, percentile, table } from '../../stats.js'
import { barChart } from '../../svg-chart.js'
import { LookupRunner } from '../lookups.js'
import { commandLine, fixed, type Section } from '../report.js'
import { Simulation } from '../simulation.js'

/**
 * SIGCOMM'01 Fig. 10: lookup path length against N = 2^k on a stable ring.
 * The paper counts the nodes a lookup traverses in its iterative
 * simulator and finds a mean of about ½·log2 N: one hop per 1-bit of the
 * distance to the target. chordkv routes recursively, so a lookup's path
 * is its forwarding hops; "before the last hop" leaves out the final hop
 * from the key's predecessor to its owner, which is what the paper's
 * ½·log2 N (and our own [S] table, chord-correctness §2.1) counts.
 */

export interface PathLengthOptions {
  readonly minExp: number
  readonly maxExp: number
  readonly lookups: number
  /** Successor-list lengths to run: r = 1 routes on fingers alone, as the paper's simulator did; r = 8 is chordkv's default. */
  readonly successors: readonly number[]
  readonly seed: number
}

export interface PathRow {
  readonly n: number
  readonly r: number
  /** Route hops, the final hop to the owner included. */
  readonly hops: readonly number[]
  /** Hops before the final one (0 when the origin or its successor owns the key). */
  readonly before: readonly number[]
  /** Lookups that named another owner than the true one, or failed. */
  readonly wrong: number
}

/** [S] in chord-correctness §2.1: forwarding hops to the key's predecessor, r = 1, ideal fingers. */
const OURS: Readonly<Record<number, number>> = { 8: 1.3, 64: 3.02, 256: 3.92, 1024: 4.85, 4096: 5.85, 16384: 6.86 }

/** Lookups in flight at once: a static ring answers each the same however many run. */
const CONCURRENCY = 256

export async function pathLength (options: PathLengthOptions): Promise<PathRow[]> {
  const rows: PathRow[] = []
  for (let k = options.minExp; k <= options.maxExp; k++) {
    for (const r of options.successors) {
      const sim = new Simulation({ seed: options.seed + k, chord: { successors: r }, resolutionMs: 1 })
      sim.idealRing(2 ** k, false)
      const results = await new LookupRunner(sim).many(options.lookups, CONCURRENCY)
      const hops = results.map(x => x.hops)
      rows.push({
        n: 2 ** k,
        r,
        hops,
        before: hops.map(h => Math.max(0, h - 1)),
        wrong: results.filter(x => x.owner?.peer !== sim.truth.ownerOf(x.key).peer).length
      })
    }
  }
  return rows
}

const spread = (v: readonly number[]): string => `${fixed(mean(v))} (${percentile(v, 1)}–${percentile(v, 99)})`

export function pathLengthSection (rows: readonly PathRow[], options: PathLengthOptions, args: readonly string[]): Section {
  const sizes = [...new Set(rows.map(r => r.n))]
  const at = (n: number, r: number): PathRow | undefined => rows.find(x => x.n === n && x.r === r)
  const rs = options.successors
  const headers = ['N', '½·log2 N', '[S] r = 1', ...rs.flatMap(r => [`r = ${r}: before last hop, mean (p1–p99)`, `r = ${r}: route hops, mean (p1–p99)`]), 'wrong owners']
  const body = sizes.map(n => [
    n, fixed(Math.log2(n) / 2), OURS[n] === undefined ? '' : fixed(OURS[n]),
    ...rs.flatMap(r => { const row = at(n, r); return row === undefined ? ['', ''] : [spread(row.before), spread(row.hops)] }),
    rs.reduce((sum, r) => sum + (at(n, r)?.wrong ?? 0), 0)
  ])
  // Fig. 10(b): the distribution at N = 2^12 (or the largest run).
  const nPdf = sizes.includes(4096) ? 4096 : sizes.at(-1) as number
  const maxHop = Math.max(...rows.filter(x => x.n === nPdf).flatMap(x => x.hops))
  const pdf = (v: readonly number[]): number[] => Array.from({ length: maxHop + 1 }, (_, h) => v.filter(x => x === h).length / v.length)
  // Empty bars are left out of the chart rather than labelled 0.
  const bars = (v: readonly number[]): Array<number | undefined> => pdf(v).map(p => (p > 0 ? p : undefined))
  const pdfRows = rs.flatMap(r => {
    const row = at(nPdf, r)
    return row === undefined ? [] : [[`r = ${r}, before last hop`, ...pdf(row.before).map(p => fixed(p, 3))], [`r = ${r}, route hops`, ...pdf(row.hops).map(p => fixed(p, 3))]]
  })
  const colours = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd']
  const lines = lineChart({
    title: 'Lookup path length against N (SIGCOMM\'01 Fig. 10a)',
    xLabel: 'N (log scale)',
    yLabel: 'hops: mean, bars p1–p99',
    xTick: x => `2^${x}`,
    series: [
      ...rs.flatMap((r, i) => [
        { name: `r = ${r}, before last hop`, colour: colours[(2 * i) % 4] as string, points: rows.filter(x => x.r === r).map(x => ({ x: Math.log2(x.n), y: mean(x.before), low: percentile(x.before, 1), high: percentile(x.before, 99) })) },
        { name: `r = ${r}, route hops`, colour: colours[(2 * i + 1) % 4] as string, points: rows.filter(x => x.r === r).map(x => ({ x: Math.log2(x.n), y: mean(x.hops), low: percentile(x.hops, 1), high: percentile(x.hops, 99) })) }
      ]),
      { name: '½·log2 N', colour: '#555', reference: true, points: sizes.map(n => ({ x: Math.log2(n), y: Math.log2(n) / 2 })) }
    ]
  })
  const distribution = barChart({
    title: `Path length distribution at N = ${nPdf} (SIGCOMM'01 Fig. 10b)`,
    groups: Array.from({ length: maxHop + 1 }, (_, h) => String(h)),
    panels: rs.map(r => ({ title: `r = ${r}`, unit: 'fraction of lookups', series: new Map([['before last hop', bars(at(nPdf, r)?.before ?? [])], ['route hops', bars(at(nPdf, r)?.hops ?? [])]]) })),
    colours: { 'before last hop': '#1f77b4', 'route hops': '#d62728' },
    linear: true
  })
  const markdown = [
    `${options.lookups} lookups of random keys from random members per size, on an ideal ring (maintenance halted: nothing to repair).`,
    '',
    table(headers, body),
    '',
    `Distribution at N = ${nPdf} (fraction of lookups with h hops):`,
    '',
    table(['', ...Array.from({ length: maxHop + 1 }, (_, h) => `h = ${h}`)], pdfRows),
    '',
    `Made by ${commandLine(args)}.`
  ].join('\n')
  return { id: 'fig10', markdown, charts: [{ file: 'fig10-path-length.svg', svg: lines }, { file: 'fig10b-distribution.svg', svg: distribution }] }
}
