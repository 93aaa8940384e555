import { checkIdeal, checkInvariants } from '../../../src/ring/invariants.js'
import { lineChart } from '../../line-chart.js'
import { mean, table } from '../../stats.js'
import { LookupRunner, type LookupResult } from '../lookups.js'
import { commandLine, fixed, type Section } from '../report.js'
import { Simulation } from '../simulation.js'
import type { ChordError } from '../../../src/errors.js'
import type { RingId } from '../../../src/ring/ids.js'
import type { NodeRef } from '../../../src/ring/node-ref.js'

/**
 * SIGCOMM'01 §6.4: a fraction p of a stable ring of N nodes fails at
 * once; stabilization runs until the ring is ideal again; then lookups.
 * Success means reaching the key's original owner, so without replication
 * a lookup fails exactly when its owner died: the failure rate should be
 * p, with no wrong owners (a partition would fail about half). With k
 * replicas on the owner and its next k−1 successors, a key is lost only
 * when all k died; otherwise the first live successor, where the repaired
 * ring routes the key, is one of its holders.
 */

export interface MassFailureOptions {
  readonly n: number
  readonly fractions: readonly number[]
  readonly lookups: number
  /** Replicas per key for the holder count (chordkv's default is 3). */
  readonly replicas: number
  readonly seed: number
  /** Give up waiting for the ideal ring after this long (virtual ms). @default 10 min */
  readonly repairLimitMs?: number
}

export interface MassFailureRow {
  readonly p: number
  readonly n: number
  readonly r: number
  readonly crashed: number
  /** Lookups started the moment the nodes failed, while stabilization runs. */
  readonly during: Judged
  /** Virtual seconds from the failure until every live member's state is ideal; undefined if it never was within the limit. */
  readonly idealAfterS: number | undefined
  /** Zave's invariants (I1 and its consequences) broken at any check while the ring repaired. */
  readonly violations: number
  /** Lookups once the ring is ideal again. */
  readonly after: Judged
  /** Keys whose k holders all died: the only keys replication may lose. */
  readonly allHoldersDead: number
  /** Lookups after repair whose key had a live holder but whose answer was none of them. */
  readonly missedHolders: number
  /** Requests per live node per second while the ring repaired, and how many of them timed out. */
  readonly repairRate: number
  readonly repairTimeoutRate: number
}

export interface Judged {
  readonly lookups: number
  /** Answered with the original owner. */
  readonly right: number
  /** The original owner died: the key is lost without replication (the paper's failed lookup). */
  readonly ownerDied: number
  /** Answered with a node other than the key's live successor. */
  readonly wrong: number
  /** No answer (an error). */
  readonly errors: number
  /** The errors by code, e.g. `TIMEOUT ×3`. */
  readonly errorCodes: string
  readonly meanHops: number
  readonly meanTimeouts: number
}

/** A key, its owner and its holders before the failure. */
interface Target { readonly key: RingId, readonly owner: NodeRef, readonly holders: readonly NodeRef[] }

export async function massFailure (options: MassFailureOptions): Promise<MassFailureRow[]> {
  const rows: MassFailureRow[] = []
  for (const p of options.fractions) rows.push(await failOnce(options, p))
  return rows
}

async function failOnce (options: MassFailureOptions, p: number): Promise<MassFailureRow> {
  const { n } = options
  const r = Math.round(2 * Math.log2(n))
  const sim = new Simulation({ seed: options.seed, chord: { successors: r }, resolutionMs: 1 })
  sim.idealRing(n, true)
  await sim.loop.runFor(10_000)
  const targets: Target[] = Array.from({ length: options.lookups }, () => {
    const key = sim.random.bigint(sim.options.space.bits)
    const i = sim.truth.indexOf(key)
    return { key, owner: sim.truth.at(i), holders: Array.from({ length: options.replicas }, (_, j) => sim.truth.at(i, j)) }
  })

  const victims = sim.random.sample(n, Math.round(p * n)).map(i => sim.truth.at(i))
  for (const v of victims) sim.crash(v.peer)
  const crashedAt = sim.loop.now()
  const sentBefore = sim.network.requests
  const timeoutsBefore = [...sim.network.timedOut.values()].reduce((a, b) => a + b, 0)

  // Lookups while the ring repairs, then wait for the ideal ring.
  const runner = new LookupRunner(sim)
  const duringTargets = targets.slice(0, Math.min(1000, targets.length))
  const duringPending = Promise.all(duringTargets.map(async t => runner.lookup(sim.anyMember(), t.key)))
  let violations = 0
  let idealAfterS: number | undefined
  const limit = crashedAt + (options.repairLimitMs ?? 600_000)
  for (let s = 1; sim.loop.now() < limit; s++) {
    await sim.loop.runFor(1000)
    if (s % 10 === 0) violations += checkInvariants(sim.snapshot(), r).violations.length
    if (checkIdeal(sim.snapshot(), r).length === 0) {
      idealAfterS = (sim.loop.now() - crashedAt) / 1000
      break
    }
  }
  const during = await sim.loop.settle(duringPending)
  const repairS = (sim.loop.now() - crashedAt) / 1000
  const repairRate = (sim.network.requests - sentBefore) / sim.truth.size / repairS
  const repairTimeoutRate = ([...sim.network.timedOut.values()].reduce((a, b) => a + b, 0) - timeoutsBefore) / sim.truth.size / repairS

  const after: LookupResult[] = []
  const afterPending = Promise.all(targets.map(async t => { after.push(await runner.lookup(sim.anyMember(), t.key)) }))
  await sim.loop.settle(afterPending)
  const byKey = new Map(targets.map(t => [t.key, t]))
  const live = (node: NodeRef): boolean => sim.network.isUp(node.peer)
  let allHoldersDead = 0
  let missedHolders = 0
  for (const result of after) {
    const t = byKey.get(result.key) as Target
    if (!t.holders.some(live)) allHoldersDead++
    else if (!t.holders.some(h => h.peer === result.owner?.peer)) missedHolders++
  }
  return {
    p,
    n,
    r,
    crashed: victims.length,
    during: judge(sim, during, byKey),
    idealAfterS,
    violations,
    after: judge(sim, after, byKey),
    allHoldersDead,
    missedHolders,
    repairRate,
    repairTimeoutRate
  }
}

function judge (sim: Simulation, results: readonly LookupResult[], targets: ReadonlyMap<RingId, Target>): Judged {
  let right = 0
  let ownerDied = 0
  let wrong = 0
  let errors = 0
  for (const result of results) {
    const t = targets.get(result.key) as Target
    if (result.owner === undefined) errors++
    else if (result.owner.peer !== sim.truth.ownerOf(result.key).peer) wrong++
    else if (result.owner.peer === t.owner.peer) right++
    else ownerDied++
  }
  const answered = results.filter(x => x.owner !== undefined)
  return { lookups: results.length, right, ownerDied, wrong, errors, errorCodes: errorCodes(results), meanHops: mean(answered.map(x => x.hops)), meanTimeouts: mean(results.map(x => x.timeouts)) }
}

/** How many lookups failed with each error code. */
export function errorCodes (results: readonly LookupResult[]): string {
  const counts = new Map<string, number>()
  for (const { error } of results) {
    if (error === undefined) continue
    const code = (error as Partial<ChordError>).code ?? error.name
    counts.set(code, (counts.get(code) ?? 0) + 1)
  }
  return [...counts].map(([code, n]) => `${code} ×${n}`).join(', ')
}

export function massFailureSection (rows: readonly MassFailureRow[], options: MassFailureOptions, args: readonly string[]): Section {
  const first = rows[0]
  const pct = (a: number, b: number): string => `${fixed((100 * a) / b, 1)} %`
  const markdown = [
    `N = ${options.n}, r = 2·log2 N = ${first?.r ?? '?'}, chordkv's maintenance periods (defaults.ts); a random fraction p crashes at once, 10 s after the ideal ring started. ` +
    `${options.lookups} lookups of random keys from random live members once every live member's state is ideal again (checked every virtual second); ` +
    `before that, ${Math.min(1000, options.lookups)} lookups started the moment the nodes crashed. Zave's invariants are checked every 10 virtual seconds during the repair.`,
    '',
    table(
      ['p', 'crashed', 'ideal again after', 'invariant violations', 'after repair: failed (owner died)', 'wrong owners', 'errors', 'mean hops', `k = ${options.replicas}: all holders dead`, 'answer not a holder', 'during repair: wrong / errors', 'timeouts / lookup', 'requests / node / s while repairing (timed out)'],
      rows.map(x => [
        fixed(x.p, 2), x.crashed, x.idealAfterS === undefined ? 'not within the limit' : `${fixed(x.idealAfterS, 0)} s`, x.violations,
        pct(x.after.ownerDied, x.after.lookups), x.after.wrong, x.after.errors, fixed(x.after.meanHops),
        pct(x.allHoldersDead, x.after.lookups), x.missedHolders,
        `${x.during.wrong} / ${x.during.errors}${x.during.errors > 0 ? ` (${x.during.errorCodes})` : ''}`, fixed(x.during.meanTimeouts), `${fixed(x.repairRate)} (${fixed(x.repairTimeoutRate)})`
      ])
    ),
    '',
    `Made by ${commandLine(args)}.`
  ].join('\n')
  const chart = lineChart({
    title: 'Lookups failed after a mass failure (SIGCOMM\'01 §6.4)',
    xLabel: 'fraction of nodes failed',
    yLabel: 'fraction of lookups',
    series: [
      { name: 'failed: owner died (no replicas)', colour: '#d62728', points: rows.map(x => ({ x: x.p, y: x.after.ownerDied / x.after.lookups })) },
      { name: `lost with k = ${options.replicas}`, colour: '#1f77b4', points: rows.map(x => ({ x: x.p, y: x.allHoldersDead / x.after.lookups })) },
      { name: 'p', colour: '#555', reference: true, points: rows.map(x => ({ x: x.p, y: x.p })) },
      { name: `p^${options.replicas}`, colour: '#999', reference: true, points: rows.map(x => ({ x: x.p, y: x.p ** options.replicas })) }
    ]
  })
  return { id: 'fail', markdown, charts: [{ file: 'fail-lookups.svg', svg: chart }] }
}
