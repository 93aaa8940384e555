import { liveMemory } from '../../../test/utils/memory.js'
import { mean, percentile, table } from '../../stats.js'
import { LookupRunner } from '../lookups.js'
import { commandLine, fixed, type Section } from '../report.js'
import { Simulation } from '../simulation.js'

/**
 * How far the simulator reaches on one machine: an ideal ring of N
 * production nodes with maintenance running, its memory, the wall-clock
 * cost of a virtual minute of maintenance, and lookups over it.
 */

export interface ScaleOptions {
  readonly sizes: readonly number[]
  readonly lookups: number
  readonly seed: number
  /** Virtual seconds of maintenance measured. */
  readonly runS: number
}

export interface ScaleRow {
  readonly n: number
  readonly buildS: number
  /** Live heap after building, over the heap before (bytes per node). */
  readonly bytesPerNode: number
  readonly heapMiB: number
  readonly rssMiB: number
  /** Wall-clock seconds for `runS` virtual seconds of maintenance, and the timers that ran. */
  readonly runWallS: number
  readonly timers: number
  readonly requestsPerNodePerS: number
  readonly lookupWallS: number
  readonly meanHops: number
  readonly p99Hops: number
  readonly wrong: number
}

export async function scale (options: ScaleOptions): Promise<ScaleRow[]> {
  const rows: ScaleRow[] = []
  for (const n of options.sizes) {
    const before = await liveMemory()
    const t0 = performance.now()
    const sim = new Simulation({ seed: options.seed, resolutionMs: 1 })
    sim.idealRing(n, true)
    const built = performance.now()
    const heap = await liveMemory()
    const fired = sim.loop.fired
    const sent = sim.network.requests
    await sim.loop.runFor(options.runS * 1000)
    const ran = performance.now()
    const results = await new LookupRunner(sim).many(options.lookups, 256)
    const hops = results.map(x => x.hops)
    rows.push({
      n,
      buildS: (built - t0) / 1000,
      bytesPerNode: (heap - before) / n,
      heapMiB: heap / 2 ** 20,
      rssMiB: process.memoryUsage().rss / 2 ** 20,
      runWallS: (ran - built) / 1000,
      timers: sim.loop.fired - fired,
      requestsPerNodePerS: (sim.network.requests - sent) / n / options.runS,
      lookupWallS: (performance.now() - ran) / 1000,
      meanHops: mean(hops),
      p99Hops: percentile(hops, 99),
      wrong: results.filter(x => x.owner?.peer !== sim.truth.ownerOf(x.key).peer).length
    })
  }
  return rows
}

export function scaleSection (rows: readonly ScaleRow[], options: ScaleOptions, args: readonly string[]): Section {
  const markdown = [
    `Ideal rings of N production nodes (r = 8, SHA-256 identifiers, chordkv's default periods), maintenance running; ${options.runS} virtual seconds of maintenance, then ${options.lookups} lookups (256 at a time). Memory is the live heap after full collections.`,
    '',
    table(
      ['N', 'build', 'heap / node', 'heap', 'RSS', `${options.runS} virtual s of maintenance`, 'timers run', 'requests / node / s', 'lookups', 'mean hops (p99)', 'wrong owners'],
      rows.map(x => [x.n, `${fixed(x.buildS, 1)} s`, `${fixed(x.bytesPerNode / 1024, 1)} KiB`, `${fixed(x.heapMiB, 0)} MiB`, `${fixed(x.rssMiB, 0)} MiB`,
        `${fixed(x.runWallS, 1)} s`, x.timers, fixed(x.requestsPerNodePerS, 3), `${fixed(x.lookupWallS, 1)} s`, `${fixed(x.meanHops)} (${x.p99Hops})`, x.wrong])
    ),
    '',
    `Made by ${commandLine(args)}.`
  ].join('\n')
  return { id: 'scale', markdown, charts: [] }
}
