import { firstFingerBeyond } from '../../../src/ring/finger-table.js'
import { checkIdeal, checkInvariants } from '../../../src/ring/invariants.js'
import { mean, table } from '../../stats.js'
import { LookupRunner } from '../lookups.js'
import { commandLine, fixed, type Section } from '../report.js'
import { Simulation } from '../simulation.js'
import type { ChordNode } from '../../../src/chord/node.js'

/**
 * A ring grown through the production join: Zave's A3 seed, an ideal ring
 * of r+1 nodes, then N − (r+1) nodes join one by one through random
 * members (Poisson arrivals). Zave's invariants are checked every virtual
 * second; after the last join, how long until every member's successor
 * list and predecessor are ideal, and until every finger is exact.
 */

export interface JoinOptions {
  readonly sizes: readonly number[]
  /** Joins per second. */
  readonly rate: number
  readonly seed: number
  readonly lookups: number
}

export interface JoinRow {
  readonly n: number
  readonly r: number
  /** Virtual seconds from the first join to the last one completing. */
  readonly joiningS: number
  /** Virtual seconds after the last join until the successor lists and predecessors are ideal; until every finger is exact. */
  readonly idealAfterS: number | undefined
  readonly fingersAfterS: number | undefined
  readonly violations: number
  readonly outsideEnvelope: number
  /** Requests sent per join while the ring grew. */
  readonly requestsPerJoin: number
  readonly wrong: number
  readonly meanHops: number
}

/** How long after the last join the ring may take to become ideal, and its fingers exact (virtual ms). */
const SETTLE_LIMIT_MS = 1_200_000

export async function joinConvergence (options: JoinOptions): Promise<JoinRow[]> {
  const rows: JoinRow[] = []
  for (const n of options.sizes) {
    const sim = new Simulation({ seed: options.seed, resolutionMs: 1 })
    const r = sim.options.successors
    sim.idealRing(r + 1, true)
    let violations = 0
    let outsideEnvelope = 0
    const check = (): void => {
      const report = checkInvariants(sim.snapshot(), r)
      violations += report.violations.length
      if (report.outsideEnvelope.length > 0) outsideEnvelope++
    }
    const started = sim.loop.now()
    const joins: Array<Promise<void>> = []
    for (let i = r + 1; i < n; i++) {
      await sim.loop.runFor(sim.random.exponential(options.rate) * 1000)
      const node = sim.add()
      joins.push(sim.join(node, sim.anyMember().self))
    }
    let done = false
    void Promise.all(joins).then(() => { done = true })
    while (!done) {
      await sim.loop.runUntil(sim.loop.now() + 1000, () => done)
      check()
    }
    const joined = sim.loop.now()
    const requestsPerJoin = sim.network.requests / (n - r - 1)
    let idealAfterS: number | undefined
    let fingersAfterS: number | undefined
    while (sim.loop.now() - joined < SETTLE_LIMIT_MS && (idealAfterS === undefined || fingersAfterS === undefined)) {
      await sim.loop.runFor(1000)
      check()
      if (idealAfterS === undefined && checkIdeal(sim.snapshot(), r).length === 0) idealAfterS = (sim.loop.now() - joined) / 1000
      if (fingersAfterS === undefined && sim.members().every(node => fingersExact(sim, node))) fingersAfterS = (sim.loop.now() - joined) / 1000
    }
    const results = await new LookupRunner(sim).many(options.lookups, 64)
    rows.push({
      n,
      r,
      joiningS: (joined - started) / 1000,
      idealAfterS,
      fingersAfterS,
      violations,
      outsideEnvelope,
      requestsPerJoin,
      wrong: results.filter(x => x.owner?.peer !== sim.truth.ownerOf(x.key).peer).length,
      meanHops: mean(results.map(x => x.hops))
    })
  }
  return rows
}

/** Whether every finger beyond the first successor is the owner of its start (none where the owner is the node itself). */
function fingersExact (sim: Simulation, node: ChordNode): boolean {
  const { state } = node
  for (let i = firstFingerBeyond(state.space, state.self.id, state.successor.id); i < state.space.bits; i++) {
    const owner = sim.truth.ownerOf(state.fingers.start(i))
    const finger = state.fingers.get(i)
    if (owner.peer === state.self.peer ? finger !== undefined : finger?.peer !== owner.peer) return false
  }
  return true
}

export function joinSection (rows: readonly JoinRow[], options: JoinOptions, args: readonly string[]): Section {
  const s = (v: number | undefined): string => (v === undefined ? `not within ${SETTLE_LIMIT_MS / 60_000} min` : `${fixed(v, 0)} s`)
  const markdown = [
    `An ideal ring of r + 1 = ${(rows[0]?.r ?? 8) + 1} nodes (Zave's A3), then the rest join through random members at ${options.rate} per second (Poisson), with chordkv's default periods. ` +
    `Invariants checked every virtual second; ${options.lookups} lookups once the fingers are exact.`,
    '',
    table(
      ['N', 'joining took', 'successor lists ideal after the last join', 'all fingers exact after', 'invariant violations', 'checks outside the envelope', 'requests / join while growing', 'wrong owners', 'mean hops'],
      rows.map(x => [x.n, `${fixed(x.joiningS, 0)} s`, s(x.idealAfterS), s(x.fingersAfterS), x.violations, x.outsideEnvelope, fixed(x.requestsPerJoin, 1), x.wrong, fixed(x.meanHops)])
    ),
    '',
    `Made by ${commandLine(args)}.`
  ].join('\n')
  return { id: 'join', markdown, charts: [] }
}
