/**
 * Churn on the real stack (ToN'03 Table III, with chordkv's own peers):
 * one ring of N real libp2p peers (TCP + Noise + Yamux, production code and
 * defaults) spread over worker processes. For each rate R, new peers join
 * and live peers crash (connections cut, no goodbye, their data gone) as two
 * Poisson processes of rate R each, for the phase's length, while a steady
 * client runs lookups of random keys, puts of new keys and gets of
 * acknowledged keys, each through a random live peer. When a phase's churn
 * stops it measures the time until the ring is ideal again, then reads back
 * every key acknowledged so far.
 *
 *   npm run bench:churn                                   (200 peers; 0.05, 0.1, 0.2, 0.4 events/s; 10 min each)
 *   npm run bench:churn -- --peers 50 --rates 0.8,1.6,3.2 --minutes 3 --out /tmp/churn-small
 *
 * A lookup fails when it errs, or answers an owner that was the key's
 * successor among the live members neither when it started nor when it
 * answered (a wrong owner). A get of an acknowledged key that answers
 * NOT_FOUND, or a value other than the one put, is counted apart (must be 0);
 * so is a key missing from the read-back after a phase (a lost write).
 *
 * Writes bench/results/churn.{md,json}; the last line printed is the JSON summary.
 */
import { randomBytes } from 'node:crypto'
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import { ringIdOfKey } from '../src/ring/hash.js'
import { successorIn } from './fingers.js'
import { RingWorkers, type RingPeer, type Usage } from './ring-workers.js'
import { latencies, mean, percentile, publish, sleep, table } from './stats.js'
import { bootstrapsFrom, formInWaves, pick } from './waves.js'
import type { OpAnswer, OpKind } from './chordkv-worker.js'
import type { RingId } from '../src/ring/ids.js'

const { values } = parseArgs({
  options: {
    peers: { type: 'string', default: '200' },
    workers: { type: 'string', default: '4' },
    /** Joins per second and crashes per second, one phase each, in order. */
    rates: { type: 'string', default: '0.05,0.1,0.2,0.4' },
    /** Length of each phase's churn (min). */
    minutes: { type: 'string', default: '10' },
    /** The client's steady rates (operations per second, each through a random live peer). */
    'lookups-per-s': { type: 'string', default: '5' },
    'puts-per-s': { type: 'string', default: '2' },
    'gets-per-s': { type: 'string', default: '5' },
    wave: { type: 'string', default: '25' },
    'bootstrap-peers': { type: 'string', default: '3' },
    /** Longest wait for the ring to be ideal, at the start and after each phase (s). */
    'ideal-timeout-s': { type: 'string', default: '600' },
    out: { type: 'string', default: 'bench/results' }
  }
})
const n = Number(values.peers)
const workers = Math.min(n, Number(values.workers))
const rates = (values.rates as string).split(',').map(Number)
const phaseMs = Number(values.minutes) * 60_000
const idealTimeoutMs = Number(values['ideal-timeout-s']) * 1000
const clientRates = { lookup: Number(values['lookups-per-s']), put: Number(values['puts-per-s']), get: Number(values['gets-per-s']) }
if (!Number.isInteger(n) || n < 4 || !Number.isInteger(workers) || workers < 1) throw new Error('--peers takes an integer ≥ 4, --workers an integer ≥ 1')
if (rates.some(r => !(r > 0)) || !(phaseMs > 0) || Object.values(clientRates).some(r => !(r > 0))) throw new Error('--rates, --minutes and the client rates take positive numbers')
const command = `npm run bench:churn${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`
const started = performance.now()
const log = (line: string): void => { console.error(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${line}`) }

/** Exponential wait of a Poisson process of `rate` per second (ms). */
const nextGapMs = (rate: number): number => -Math.log(1 - Math.random()) / rate * 1000

/** Sorted ring ids of the live members and the peer owning each id: the ground truth for owners. */
function truth (ring: RingWorkers): { sorted: RingId[], byId: Map<RingId, string> } {
  const members = [...ring.peers.values()].filter(p => p.joined && !p.founded)
  return { sorted: members.map(p => p.id).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), byId: new Map(members.map(p => [p.id, p.peer])) }
}
const ownerIn = (t: ReturnType<typeof truth>, key: Uint8Array): string | undefined => t.byId.get(successorIn(t.sorted, ringIdOfKey(key)))

/** One phase's counts. */
interface Phase {
  rate: number
  minutes: number
  joins: number
  joinFailures: number
  crashes: number
  peersAtEnd: number
  lookups: OpAnswer[]
  lookupFailed: number
  wrongOwner: number
  /** Operations whose entry peer crashed under them: neither failures nor successes. */
  entryCrashed: number
  puts: OpAnswer[]
  putFailed: number
  gets: OpAnswer[]
  getFailed: number
  notFound: number
  /** Keys a get answered NOT_FOUND for that the read-back after the phase found: a false NOT_FOUND. */
  falseNotFound: number
  staleOrWrong: number
  idealAfterS: number | null
  idealProblem?: string
  readBack: number
  lost: number
  /** Keys whose reads still failed after the retries (not counted as lost), by the last error's code. */
  unreadable: number
  unreadableCodes: Record<string, number>
  /** Of the keys lost, how many had been acknowledged by fewer than k replicas (W of them). */
  lostAckedBelowK: number
  /** Of the acknowledged puts this phase, how many fewer than k replicas stored. */
  ackedBelowK: number
  usage?: Usage
}

/** Acknowledged writes: key (hex) → value. */
const acked = new Map<string, { key: Uint8Array, value: Uint8Array, replicas: number }>()
/** Acknowledged keys (hex) a get answered NOT_FOUND for, this phase. */
const answeredAbsent = new Set<string>()
const ring = await RingWorkers.start({ workers, joinTimeoutMs: 120_000 })
const phases: Phase[] = []
let formedS: number | null = null
// What the ring does, every 30 s, through formation, churn and recovery: what a broken phase spends its CPU on.
const stopWatch = ring.watch(log)
try {
  const t0 = performance.now()
  await formInWaves(ring, n, { wave: Number(values.wave), bootstrapPeers: Number(values['bootstrap-peers']), progress: (peers, ms) => { log(`${peers} peers; the wave joined in ${(ms / 1000).toFixed(1)} s`) } })
  formedS = (await ring.untilIdeal(idealTimeoutMs, 1000) - t0) / 1000
  log(`ideal ring of ${n} after ${formedS.toFixed(1)} s`)

  for (const rate of rates) phases.push(await runPhase(rate))
} finally {
  stopWatch()
  await ring.close()
}
await report()

/** One rate: churn and client for `phaseMs`, then the time to an ideal ring and the read-back of every acknowledged key. */
async function runPhase (rate: number): Promise<Phase> {
  const phase: Phase = {
    rate, minutes: phaseMs / 60_000, joins: 0, joinFailures: 0, crashes: 0, peersAtEnd: 0, lookups: [], lookupFailed: 0, wrongOwner: 0,
    entryCrashed: 0, puts: [], putFailed: 0, gets: [], getFailed: 0, notFound: 0, falseNotFound: 0, staleOrWrong: 0, idealAfterS: null, readBack: 0, lost: 0, unreadable: 0, unreadableCodes: {}, lostAckedBelowK: 0, ackedBelowK: 0
  }
  log(`phase ${rate} joins and ${rate} crashes per s for ${phase.minutes} min`)
  const before = await ring.sample()
  const end = performance.now() + phaseMs
  const pendingJoins = new Set<Promise<void>>()
  const running = new Set<Promise<void>>()

  /** Runs `fn` at Poisson times of `perS` until the phase ends, without waiting for one to finish before the next. */
  const poisson = async (perS: number, fn: () => Promise<void>, into: Set<Promise<void>>): Promise<void> => {
    while (true) {
      await sleep(nextGapMs(perS))
      if (performance.now() >= end) return
      const p = fn().catch(err => { log(`unexpected: ${(err as Error).message}`) }).finally(() => into.delete(p))
      into.add(p)
    }
  }

  const join = async (): Promise<void> => {
    phase.joins++
    const [peer] = await ring.startPeers(bootstrapsFrom(ring, 1, Number(values['bootstrap-peers'])))
    if (peer === undefined || !peer.joined || peer.founded) phase.joinFailures++
  }
  const crash = async (): Promise<void> => {
    const victim = pick([...ring.peers.values()], 1)[0]
    if (victim === undefined || ring.peers.size <= 4) return
    phase.crashes++
    await ring.crash(victim.peer)
  }
  /** One operation through a random live peer; undefined when that peer crashed under it. */
  const through = async (kind: OpKind, key: Uint8Array, value?: Uint8Array): Promise<OpAnswer | undefined> => {
    const entry = pick([...ring.peers.values()], 1)[0] as RingPeer
    try {
      const answer = await ring.run(entry.peer, kind, key, value)
      if (answer.error !== undefined && !ring.peers.has(entry.peer)) { phase.entryCrashed++; return undefined }
      return answer
    } catch {
      phase.entryCrashed++
      return undefined
    }
  }
  const lookup = async (): Promise<void> => {
    const key = randomBytes(16)
    const atStart = ownerIn(truth(ring), key)
    const answer = await through('lookup', key)
    if (answer === undefined) return
    phase.lookups.push(answer)
    if (answer.error !== undefined) { phase.lookupFailed++; return }
    if (answer.owner !== atStart && answer.owner !== ownerIn(truth(ring), key)) phase.wrongOwner++
  }
  const put = async (): Promise<void> => {
    const key = randomBytes(16)
    const value = randomBytes(80)
    const answer = await through('put', key, value)
    if (answer === undefined) return
    phase.puts.push(answer)
    if (answer.error !== undefined) phase.putFailed++
    else if ((answer.replicas ?? 0) < 3) phase.ackedBelowK++
    if (answer.error === undefined) acked.set(Buffer.from(key).toString('hex'), { key, value, replicas: answer.replicas ?? 0 })
  }
  const get = async (): Promise<void> => {
    const written = pick([...acked.values()], 1)[0]
    if (written === undefined) return
    const answer = await through('get', written.key)
    if (answer === undefined) return
    phase.gets.push(answer)
    if (answer.error !== undefined) phase.getFailed++
    else if (answer.value === undefined) { phase.notFound++; answeredAbsent.add(Buffer.from(written.key).toString('hex')) }
    else if (!Buffer.from(answer.value).equals(written.value)) phase.staleOrWrong++
  }

  await Promise.all([
    poisson(rate, join, pendingJoins),
    poisson(rate, crash, running),
    poisson(clientRates.lookup, lookup, running),
    poisson(clientRates.put, put, running),
    poisson(clientRates.get, get, running)
  ])
  await Promise.all([...running, ...pendingJoins])
  phase.usage = RingWorkers.usage(before, await ring.sample())
  phase.peersAtEnd = ring.peers.size
  const stoppedAt = performance.now()
  log(`churn stopped: ${phase.joins} joins (${phase.joinFailures} failed), ${phase.crashes} crashes, ${phase.peersAtEnd} peers; ${phase.lookupFailed + phase.wrongOwner} of ${phase.lookups.length} lookups failed, ${phase.notFound} NOT_FOUND`)
  try {
    phase.idealAfterS = (await ring.untilIdeal(idealTimeoutMs, 1000) - stoppedAt) / 1000
  } catch (err) {
    phase.idealProblem = (err as Error).message
  }
  log(phase.idealAfterS === null ? `not ideal: ${phase.idealProblem}` : `ideal again ${phase.idealAfterS.toFixed(1)} s after the churn stopped`)
  await readBack(phase)
  log(`read back ${phase.readBack} acknowledged keys: ${phase.lost} lost (${phase.lostAckedBelowK} of them stored on fewer than k at the ack), ${phase.unreadable} unreadable`)
  return phase
}

/**
 * Reads every acknowledged key through random peers, 16 at a time; a key is
 * lost when it reads absent or different. A read that fails is retried, a
 * second apart, 10 times; a key still failing is unreadable (counted apart,
 * asked again after the next phase). Lost keys are counted once: later
 * phases no longer ask for them.
 */
async function readBack (phase: Phase): Promise<void> {
  const keys = [...acked.values()]
  let next = 0
  const lost = new Set<string>()
  const reader = async (): Promise<void> => {
    while (next < keys.length) {
      const { key, value } = keys[next++] as { key: Uint8Array, value: Uint8Array, replicas: number }
      let answer: OpAnswer | undefined
      for (let attempt = 0; attempt < 10 && (answer?.error !== undefined || answer === undefined); attempt++) {
        if (attempt > 0) await sleep(1000)
        answer = await ring.run((pick([...ring.peers.values()], 1)[0] as RingPeer).peer, 'get', key)
      }
      phase.readBack++
      if (answer?.error !== undefined) {
        phase.unreadable++
        phase.unreadableCodes[answer.error.code] = (phase.unreadableCodes[answer.error.code] ?? 0) + 1
      } else if (answer?.value === undefined || !Buffer.from(answer.value).equals(value)) lost.add(Buffer.from(key).toString('hex'))
    }
  }
  await Promise.all(Array.from({ length: 16 }, reader))
  phase.lost = lost.size
  phase.lostAckedBelowK = [...lost].filter(key => (acked.get(key)?.replicas ?? 3) < 3).length
  for (const key of lost) acked.delete(key)
  phase.falseNotFound = [...answeredAbsent].filter(key => !lost.has(key)).length
  answeredAbsent.clear()
}

async function report (): Promise<void> {
  const per10k = (x: number, of: number): number => of === 0 ? 0 : 10_000 * x / of
  const ok = (answers: OpAnswer[]): OpAnswer[] => answers.filter(a => a.error === undefined)
  const rows = phases.map(p => {
    const u = p.usage as Usage
    const peerS = mean([n, p.peersAtEnd]) * u.seconds
    const lookupMs = latencies(ok(p.lookups).map(a => a.ms))
    const hops = ok(p.lookups).map(a => a.hops as number)
    return {
      rate: p.rate,
      minutes: p.minutes,
      joins: p.joins,
      joinFailures: p.joinFailures,
      crashes: p.crashes,
      peersAtEnd: p.peersAtEnd,
      lookups: p.lookups.length,
      failedLookupsPer10k: per10k(p.lookupFailed + p.wrongOwner, p.lookups.length),
      lookupErrors: p.lookupFailed,
      wrongOwner: p.wrongOwner,
      hopsMean: mean(hops),
      hopsP99: percentile(hops, 99),
      lookupP50Ms: lookupMs.p50,
      lookupP99Ms: lookupMs.p99,
      puts: p.puts.length,
      putFailed: p.putFailed,
      gets: p.gets.length,
      getFailed: p.getFailed,
      getP50Ms: latencies(ok(p.gets).map(a => a.ms)).p50,
      getP99Ms: latencies(ok(p.gets).map(a => a.ms)).p99,
      notFoundForAcknowledged: p.notFound,
      falseNotFound: p.falseNotFound,
      staleOrWrongValue: p.staleOrWrong,
      entryCrashed: p.entryCrashed,
      idealAfterSeconds: p.idealAfterS,
      idealProblem: p.idealProblem ?? null,
      readBack: p.readBack,
      acknowledgedLost: p.lost,
      unreadable: p.unreadable,
      unreadableCodes: p.unreadableCodes,
      acknowledgedBelowK: p.ackedBelowK,
      lostAcknowledgedBelowK: p.lostAckedBelowK,
      cpuPercentOfOneCore: u.cpuPct,
      requestsPerPeerPerSecond: u.requests / peerS,
      frameBytesPerPeerPerSecond: u.frameBytes / peerS,
      wireBytesPerPeerPerSecond: u.wireBytes / peerS,
      loopDelayP99Ms: u.loopDelayP99Ms
    }
  })
  const summary = {
    peers: n,
    workers,
    formedSeconds: formedS,
    phases: rows,
    acknowledgedWrites: acked.size,
    acknowledgedLost: rows.reduce((a, r) => a + r.acknowledgedLost, 0),
    notFoundForAcknowledged: rows.reduce((a, r) => a + r.notFoundForAcknowledged, 0),
    falseNotFound: rows.reduce((a, r) => a + r.falseNotFound, 0),
    minutes: (performance.now() - started) / 60_000
  }
  const machine = `${availableParallelism()} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.version}`
  const markdown = `# Churn on the real stack

\`${command}\` on ${machine}, ${new Date().toISOString().slice(0, 10)}; the run took ${summary.minutes.toFixed(0)} min
(1-minute load average ${(loadavg()[0] as number).toFixed(1)} at the end; the machine is shared).

One ring of ${n} peers (TCP + Noise + Yamux on loopback, production defaults: r = 8, k = 3, W = 2, R = 2)
over ${workers} worker processes, ideal after ${formedS === null ? '—' : formedS.toFixed(0)} s. Each phase: joins and crashes as two Poisson processes of
the rate each (a join enters through ${values['bootstrap-peers']} random members; a crash cuts the peer's connections without a goodbye and
loses its store), and a client through random live peers: ${clientRates.lookup} lookups, ${clientRates.put} puts of new keys and
${clientRates.get} gets of acknowledged keys per second (Poisson). A lookup fails when it errs or names an owner that was the key's
live successor neither when it started nor when it answered. After the churn stops: the time until the ring is ideal again,
then every key acknowledged so far is read back (a key absent or different is lost: all k replicas crashed before repair
copied it on). A NOT_FOUND during churn for a key the read-back then finds is a false NOT_FOUND (in brackets; must be 0).

## Churn

${table(['joins/s = crashes/s', 'min', 'joins (failed)', 'crashes', 'peers at end', 'lookups', 'failed per 10^4', 'wrong owner', 'hops mean / p99', 'lookup p50 / p99 ms', 'ideal again after s'],
  rows.map(r => [r.rate, r.minutes, `${r.joins} (${r.joinFailures})`, r.crashes, r.peersAtEnd, r.lookups, r.failedLookupsPer10k, r.wrongOwner, `${r.hopsMean.toFixed(2)} / ${r.hopsP99}`, `${r.lookupP50Ms.toFixed(1)} / ${r.lookupP99Ms.toFixed(1)}`, r.idealAfterSeconds ?? 'not within the timeout']))}

## Data

${table(['rate', 'puts (failed)', 'gets (failed)', 'get p50 / p99 ms', 'NOT_FOUND for acknowledged (of keys read back later)', 'stale or wrong value', 'read back after the phase', 'unreadable after 10 tries', 'acknowledged lost (of them stored on < k at the ack)', 'puts stored on < k at the ack', 'entry crashed under the operation'],
  rows.map(r => [r.rate, `${r.puts} (${r.putFailed})`, `${r.gets} (${r.getFailed})`, `${r.getP50Ms.toFixed(1)} / ${r.getP99Ms.toFixed(1)}`, `${r.notFoundForAcknowledged} (${r.falseNotFound})`, r.staleOrWrongValue, r.readBack, r.unreadable === 0 ? 0 : `${r.unreadable} (${Object.entries(r.unreadableCodes).map(([c, n]) => `${n} ${c}`).join(', ')})`, `${r.acknowledgedLost} (${r.lostAcknowledgedBelowK})`, r.acknowledgedBelowK, r.entryCrashed]))}

## Cost during churn

${table(['rate', 'CPU, % of one core', 'requests per peer per s', 'frame bytes per peer per s', 'wire bytes per peer per s', 'event-loop delay p99 ms'],
  rows.map(r => [r.rate, r.cpuPercentOfOneCore, r.requestsPerPeerPerSecond, r.frameBytesPerPeerPerSecond, r.wireBytesPerPeerPerSecond, r.loopDelayP99Ms]))}

Requests and bytes include the client's operations and the joins' key hand-over, not only maintenance.
${rows.some(r => r.idealProblem !== null) ? `\nNot ideal in time: ${rows.filter(r => r.idealProblem !== null).map(r => `${r.rate}: ${r.idealProblem}`).join('; ')}\n` : ''}`
  await publish(values.out as string, 'churn', markdown, { command, machine, ...summary }, summary)
}
