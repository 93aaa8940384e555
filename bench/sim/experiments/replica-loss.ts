import { ringIdOfKey } from '../../../src/ring/hash.js'
import { checkIdeal } from '../../../src/ring/invariants.js'
import { DATA_DEFAULTS } from '../../../test/utils/sim-network.js'
import { table } from '../../stats.js'
import { commandLine, fixed, type Section } from '../report.js'
import { Simulation } from '../simulation.js'

/**
 * SIGCOMM'01 §6.4 with chordkv's records: a ring whose peers carry the
 * production DataNode (k replicas, write quorum W) takes acknowledged
 * writes, then a fraction p of its peers crashes at once. Once
 * stabilization has made the ring ideal again, every key is read back
 * through a random live peer. An acknowledged key may be lost only if all
 * k peers that held it when it was written died.
 */

export interface ReplicaLossOptions {
  readonly n: number
  readonly keys: number
  readonly fractions: readonly number[]
  readonly seed: number
}

export interface ReplicaLossRow {
  readonly p: number
  readonly r: number
  readonly acknowledged: number
  /** Acknowledged keys missing on some of the k peers meant to hold them, before the crash. */
  readonly underReplicated: number
  readonly allHoldersDead: number
  /** Keys read back with their value. */
  readonly found: number
  /** Keys not read back: not found, or an error. */
  readonly lost: number
  /** Lost although one of their holders lived: a bug. */
  readonly lostWithLiveHolder: number
  readonly idealAfterS: number | undefined
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s)

export async function replicaLoss (options: ReplicaLossOptions): Promise<ReplicaLossRow[]> {
  const rows: ReplicaLossRow[] = []
  for (const p of options.fractions) {
    const r = Math.round(2 * Math.log2(options.n))
    const sim = new Simulation({ seed: options.seed, chord: { successors: r }, resolutionMs: 1, data: DATA_DEFAULTS })
    sim.idealRing(options.n, true)
    const k = DATA_DEFAULTS.replication.factor
    const keys = Array.from({ length: options.keys }, (_, i) => `key-${i}`)
    const acked = new Set<string>()
    await sim.loop.settle(pool(keys, 64, async key => {
      const reply = await sim.request(sim.anyMember(), { kind: 'put', key: text(key), value: text(`value of ${key}`) }).catch(() => undefined)
      if (reply !== undefined) acked.add(key)
    }))
    await sim.loop.runFor(10_000)
    // A key's holders: its owner and the next k−1 members, those of them that store it.
    const holders = new Map<string, string[]>()
    let underReplicated = 0
    for (const key of acked) {
      const i = sim.truth.indexOf(ringIdOfKey(text(key)))
      const intended = Array.from({ length: k }, (_, j) => sim.truth.at(i, j).peer)
      const on = (await Promise.all(intended.map(async peer => ((await sim.records.get(peer)?.records.get(text(key))) === undefined ? undefined : peer))))
        .filter((x): x is string => x !== undefined)
      if (on.length < k) underReplicated++
      holders.set(key, on)
    }

    for (const i of sim.random.sample(options.n, Math.round(p * options.n)).map(j => sim.truth.at(j))) sim.crash(i.peer)
    const crashedAt = sim.loop.now()
    let idealAfterS: number | undefined
    for (let s = 0; s < 600 && idealAfterS === undefined; s++) {
      await sim.loop.runFor(1000)
      if (checkIdeal(sim.snapshot(), r).length === 0) idealAfterS = (sim.loop.now() - crashedAt) / 1000
    }

    let found = 0
    let lostWithLiveHolder = 0
    let allHoldersDead = 0
    await sim.loop.settle(pool([...acked], 64, async key => {
      const reply = await sim.request(sim.anyMember(), { kind: 'get', key: text(key) }).catch(() => undefined)
      const ok = reply?.record?.value !== undefined && new TextDecoder().decode(reply.record.value) === `value of ${key}`
      const alive = (holders.get(key) ?? []).some(peer => sim.network.isUp(peer))
      if (!alive) allHoldersDead++
      if (ok) found++
      else if (alive) lostWithLiveHolder++
    }))
    rows.push({ p, r, acknowledged: acked.size, underReplicated, allHoldersDead, found, lost: acked.size - found, lostWithLiveHolder, idealAfterS })
  }
  return rows
}

/** Runs `work` on every item, at most `width` at once. */
async function pool<T> (items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) await work(items[next++] as T)
  }))
}

export function replicaLossSection (rows: readonly ReplicaLossRow[], options: ReplicaLossOptions, args: readonly string[]): Section {
  const { factor, writeQuorum } = DATA_DEFAULTS.replication
  const markdown = [
    `N = ${options.n} peers carrying the production DataNode (k = ${factor}, W = ${writeQuorum}), r = 2·log2 N = ${rows[0]?.r ?? '?'}, chordkv's default periods; ` +
    `${options.keys} keys written through random peers, then a random fraction p crashes at once; once the ring is ideal again every acknowledged key is read through a random live peer. ` +
    'No anti-entropy pass runs: the reads find what the writes left.',
    '',
    table(
      ['p', 'acknowledged', 'on fewer than k peers before', 'all k holders dead', 'read back', 'lost', 'lost with a holder alive', 'ideal again after'],
      rows.map(x => [fixed(x.p, 2), x.acknowledged, x.underReplicated, `${x.allHoldersDead} (${fixed((100 * x.allHoldersDead) / x.acknowledged, 2)} %; p^${factor} = ${fixed(100 * x.p ** factor, 2)} %)`,
        x.found, x.lost, x.lostWithLiveHolder, x.idealAfterS === undefined ? 'not within 10 min' : `${fixed(x.idealAfterS, 0)} s`])
    ),
    '',
    `Made by ${commandLine(args)}.`
  ].join('\n')
  return { id: 'replicas', markdown, charts: [] }
}

