import { sha256Id } from '../../../src/ring/hash.js'
import { lineChart } from '../../line-chart.js'
import { mean, percentile, table } from '../../stats.js'
import { gammaQuantile } from '../gamma.js'
import { commandLine, fixed, type Section } from '../report.js'
import type { RingId } from '../../../src/ring/ids.js'

/**
 * SIGCOMM'01 §6.2 and Fig. 9: keys per node when each of N physical
 * peers takes v positions on the ring (virtual nodes). A peer's share of
 * the ring is about Gamma(v) (chord-correctness §2.2): with v = 1 the
 * 99th percentile is 4.6× the mean and the largest ~9× over 10^4 nodes.
 * chordkv stores each key on its owner and the next k−1 peers, so what a
 * peer holds is its own arcs plus those of its k−1 predecessors (the
 * positions before each of its own, skipping positions of peers already
 * counted): about Gamma(k·v). Positions and keys are SHA-256 identifiers,
 * as in production.
 */

export interface LoadOptions {
  readonly n: number
  readonly keys: number
  readonly virtual: readonly number[]
  readonly replicas: number
  readonly seed: number
}

/** Per-peer quantities over their mean. */
export interface Spread {
  readonly max: number
  readonly p1: number
  readonly p99: number
  /** Fraction of peers with nothing. */
  readonly empty: number
}

export interface LoadRow {
  readonly v: number
  /** Keys each peer owns. */
  readonly owned: Spread
  /** The share of the ring each peer owns (no key sampling). */
  readonly share: Spread
  /** Keys each peer holds with k replicas. */
  readonly held: Spread
  /** The share of the ring each peer holds a replica of. */
  readonly heldShare: Spread
}

export function loadBalance (options: LoadOptions): LoadRow[] {
  const encode = (s: string): Uint8Array => new TextEncoder().encode(s)
  const keys = Array.from({ length: options.keys }, (_, i) => sha256Id(encode(`${options.seed}/key-${i}`))).sort(compare)
  return options.virtual.map(v => {
    const positions: Array<{ id: RingId, peer: number }> = []
    for (let peer = 0; peer < options.n; peer++) {
      for (let j = 0; j < v; j++) positions.push({ id: sha256Id(encode(`${options.seed}/node-${peer}#${j}`)), peer })
    }
    positions.sort((a, b) => compare(a.id, b.id))
    const p = positions.length
    // Keys per position: each key goes to the first position at or after it.
    const keysAt = new Array<number>(p).fill(0)
    let at = 0
    for (const key of keys) {
      while (at < p && (positions[at] as { id: RingId }).id < key) at++
      add(keysAt, at % p, 1)
    }
    // Arc of each position: from the one before it (exclusive) to it, as a fraction of the ring.
    const arcAt = positions.map((pos, i) => arcFraction((positions[(i + p - 1) % p] as { id: RingId }).id, pos.id))
    const owned = new Array<number>(options.n).fill(0)
    const share = new Array<number>(options.n).fill(0)
    const held = new Array<number>(options.n).fill(0)
    const heldShare = new Array<number>(options.n).fill(0)
    for (let i = 0; i < p; i++) {
      const { peer } = positions[i] as { peer: number }
      add(owned, peer, keysAt[i] as number)
      add(share, peer, arcAt[i] as number)
      // The replica set of this arc: the first k distinct peers from this position on.
      for (const holder of replicaSet(positions, i, options.replicas)) {
        add(held, holder, keysAt[i] as number)
        add(heldShare, holder, arcAt[i] as number)
      }
    }
    return { v, owned: spread(owned), share: spread(share), held: spread(held), heldShare: spread(heldShare) }
  })
}

function add (counts: number[], i: number, x: number): void {
  counts[i] = (counts[i] ?? 0) + x
}

/** The first k distinct peers at or after position i, clockwise. */
function replicaSet (positions: ReadonlyArray<{ peer: number }>, i: number, k: number): number[] {
  const out: number[] = []
  for (let j = 0; j < positions.length && out.length < k; j++) {
    const { peer } = positions[(i + j) % positions.length] as { peer: number }
    if (!out.includes(peer)) out.push(peer)
  }
  return out
}

/** The clockwise distance from a to b as a fraction of the 256-bit ring. */
function arcFraction (a: RingId, b: RingId): number {
  const d = b > a ? b - a : b - a + (1n << 256n)
  return Number(d >> 192n) / 2 ** 64
}

function spread (values: readonly number[]): Spread {
  const m = mean(values)
  return { max: Math.max(...values) / m, p1: percentile(values, 1) / m, p99: percentile(values, 99) / m, empty: values.filter(x => x === 0).length / values.length }
}

function compare (a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** SIGCOMM'01 Fig. 9 and §6.2 as chord-correctness §2.2 gives them (v = 1 and 20 only). */
const PAPER: Readonly<Record<number, string>> = { 1: 'max 9.1, p99 4.6–4.8, p1 0', 20: 'p99 1.6, p1 0.5' }

export function loadSection (rows: readonly LoadRow[], options: LoadOptions, args: readonly string[]): Section {
  const k = options.replicas
  const expectedMax = (a: number): number => gammaQuantile(a, 1 - 1 / options.n)
  const markdown = [
    `N = ${options.n} peers, ${options.keys} keys (SHA-256 of their names), v positions per peer (SHA-256 of "peer#j"). Keys per peer and ring share per peer, over their means. ` +
    `The Gamma columns are the closed form (chord-correctness §2.2); "typical max" is its (1 − 1/N) quantile.`,
    '',
    'Keys each peer owns (one copy):',
    '',
    table(
      ['v', 'max / mean', 'p99 / mean', 'p1 / mean', 'peers with no key', 'share: p99 / p1', 'Gamma(v): typical max, p99, p1', 'paper'],
      rows.map(x => [x.v, fixed(x.owned.max), fixed(x.owned.p99), fixed(x.owned.p1), `${fixed(100 * x.owned.empty, 1)} %`, `${fixed(x.share.p99)} / ${fixed(x.share.p1)}`,
        `${fixed(expectedMax(x.v))}, ${fixed(gammaQuantile(x.v, 0.99))}, ${fixed(gammaQuantile(x.v, 0.01))}`, PAPER[x.v] ?? ''])
    ),
    '',
    `Keys each peer stores with k = ${k} replicas (its arcs and its ${k - 1} predecessors' arcs, on distinct peers):`,
    '',
    table(
      ['v', 'max / mean', 'p99 / mean', 'p1 / mean', 'share: p99 / p1', `Gamma(${k}·v): typical max, p99, p1`],
      rows.map(x => [x.v, fixed(x.held.max), fixed(x.held.p99), fixed(x.held.p1), `${fixed(x.heldShare.p99)} / ${fixed(x.heldShare.p1)}`,
        `${fixed(expectedMax(k * x.v))}, ${fixed(gammaQuantile(k * x.v, 0.99))}, ${fixed(gammaQuantile(k * x.v, 0.01))}`])
    ),
    '',
    `Made by ${commandLine(args)}.`
  ].join('\n')
  const vs = rows.map(x => x.v)
  const chart = lineChart({
    title: 'Keys per peer against virtual positions (SIGCOMM\'01 Fig. 9)',
    xLabel: 'positions per peer, v',
    yLabel: 'keys per peer / mean',
    series: [
      { name: 'owned: p99 (p1 to p99 bars)', colour: '#d62728', points: rows.map(x => ({ x: x.v, y: x.owned.p99, low: x.owned.p1, high: x.owned.p99 })) },
      { name: `stored, k = ${k}: p99`, colour: '#1f77b4', points: rows.map(x => ({ x: x.v, y: x.held.p99, low: x.held.p1, high: x.held.p99 })) },
      { name: 'owned: max', colour: '#ff9896', points: rows.map(x => ({ x: x.v, y: x.owned.max })) },
      { name: 'Gamma(v) p99', colour: '#d62728', reference: true, points: vs.map(v => ({ x: v, y: gammaQuantile(v, 0.99) })) },
      { name: `Gamma(${k}v) p99`, colour: '#1f77b4', reference: true, points: vs.map(v => ({ x: v, y: gammaQuantile(k * v, 0.99) })) }
    ]
  })
  return { id: 'load', markdown, charts: [{ file: 'load-keys-per-peer.svg', svg: chart }] }
}
