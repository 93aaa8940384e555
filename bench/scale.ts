/**
 * A thousand peers: one chordkv ring of N real libp2p peers (TCP + Noise +
 * Yamux, the production code and defaults) spread over worker processes,
 * grown in waves through random members. It waits until the ring is ideal
 * (Zave's ideal-state checks over every peer's state, gathered from all
 * workers), lets it settle, then measures idle CPU and traffic, memory and
 * connections, and lookups, puts and gets one at a time from random peers,
 * against the Chord paper's ½·log2 N hops.
 *
 *   npm run bench:scale -- --peers 1000
 *   npm run bench:scale -- --peers 100 --workers 2 --settle-s 10 --idle-s 10 --ops 200
 *
 * Writes bench/results/scale.{md,json}; the last line printed is the JSON summary.
 */
import { randomBytes } from 'node:crypto'
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import { RING } from '../src/defaults.js'
import { ringIdOfKey } from '../src/ring/hash.js'
import { successorIn } from './fingers.js'
import { byKindText, defaultWorkers, RingWorkers, type RingPeer } from './ring-workers.js'
import { latencies, mean, percentile, publish, sleep, table } from './stats.js'
import { pick, formInWaves } from './waves.js'
import type { OpAnswer, OpKind } from './chordkv-worker.js'
import type { RingId } from '../src/ring/ids.js'

const { values } = parseArgs({
  options: {
    peers: { type: 'string', default: '1000' },
    /** Default: one per core, more when the limit on open files needs it (defaultWorkers). */
    workers: { type: 'string' },
    /** r; the production default (8) when absent. */
    successors: { type: 'string' },
    wave: { type: 'string', default: '40' },
    'bootstrap-peers': { type: 'string', default: '3' },
    /** Longest wait for every finger to be right before measuring (s). */
    'fingers-s': { type: 'string', default: '180' },
    'settle-s': { type: 'string', default: '30' },
    'idle-s': { type: 'string', default: '60' },
    /** Lookups, puts and gets each. */
    ops: { type: 'string', default: '1000' },
    'form-timeout-s': { type: 'string', default: '900' },
    out: { type: 'string', default: 'bench/results' }
  }
})
const n = Number(values.peers)
const workers = values.workers === undefined ? defaultWorkers(n) : Math.min(n, Number(values.workers))
const successors = values.successors === undefined ? undefined : Number(values.successors)
const wave = Number(values.wave)
const ops = Number(values.ops)
const formTimeoutMs = Number(values['form-timeout-s']) * 1000
if (![n, workers, wave, ops].every(x => Number.isInteger(x) && x >= 1) || n < 2) throw new Error('--peers takes an integer ≥ 2; --workers, --wave and --ops integers ≥ 1')
const command = `npm run bench:scale${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`
const log = (line: string): void => { console.error(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${line}`) }

const started = performance.now()
const loadAtStart = loadavg()[0] as number
const ring = await RingWorkers.start({ workers, successors, joinTimeoutMs: 120_000 })
try {
  // Formation: first peer start → ideal ring.
  const t0 = performance.now()
  const cpuAtStart = await ring.sample()
  // What the ring does while it forms, every 30 s: where a slow formation spends its CPU.
  const stopWatch = ring.watch(log)
  const { notJoined, founded } = await formInWaves(ring, n, {
    wave,
    bootstrapPeers: Number(values['bootstrap-peers']),
    progress: (peers, ms) => { log(`${peers} peers; the wave joined in ${(ms / 1000).toFixed(1)} s`) }
  })
  const joinedS = (performance.now() - t0) / 1000
  if (notJoined.length > 0 || founded.length > 0) {
    const whys = new Map<string, number>()
    for (const p of founded) {
      const why = p.foundedWhy?.replace(/\(.*\)/, '(…)') ?? '?'
      whys.set(why, (whys.get(why) ?? 0) + 1)
    }
    log(`${notJoined.length} peers did not join in time, ${founded.length} founded rings of their own: ${[...whys].map(([why, count]) => `${count} × ${why}`).join('; ')}`)
    for (const p of founded.filter(p => p.lastProblem !== undefined).slice(0, 3)) log(`  e.g. ${p.peer.slice(-6)} founded after: ${p.lastProblem as string}`)
  }
  // Not ideal in time: said, and measured all the same.
  const formedAt = await ring.untilIdeal(formTimeoutMs - (performance.now() - t0), Math.max(250, n)).catch((err: Error) => { log(err.message); return undefined })
  const formedS = formedAt === undefined ? undefined : (formedAt - t0) / 1000
  stopWatch()
  const formation = RingWorkers.usage(cpuAtStart, await ring.sample())
  log(`${formedS === undefined ? 'no ideal ring' : `ideal ring of ${n} after ${formedS.toFixed(1)} s`} (all joined after ${joinedS.toFixed(1)} s); ${formation.cpuPct.toFixed(0)} % of a core meanwhile`)

  // Fingers are hints and fix themselves slowly (one per round, stretching while right): wait for them, bounded.
  const fingersDeadline = performance.now() + Number(values['fingers-s']) * 1000
  let fingers = await ring.fingers()
  while (fingers.wrong > 0 && performance.now() < fingersDeadline) {
    await sleep(5000)
    fingers = await ring.fingers()
  }
  const fingersS = fingers.wrong === 0 ? (performance.now() - t0) / 1000 : undefined
  log(`fingers: ${fingers.wrong} of ${fingers.checked} wrong ${fingersS === undefined ? 'when the wait ended' : `(all right after ${fingersS.toFixed(0)} s)`}`)

  await sleep(Number(values['settle-s']) * 1000)
  const idle = await ring.measure(Number(values['idle-s']) * 1000)
  const perPeerPerS = (x: number): number => x / n / idle.seconds
  const idleByKind = Object.fromEntries(Object.entries(idle.byKind).filter(([, count]) => count > 0).sort((a, b) => b[1] - a[1]).map(([kind, count]) => [kind, perPeerPerS(count)]))
  const idleByKindText = byKindText(idle.byKind, c => perPeerPerS(c).toFixed(3))
  log(`idle: ${idle.cpuPct.toFixed(1)} % of a core, ${perPeerPerS(idle.stabilizeRounds).toFixed(3)} stabilize rounds and ${perPeerPerS(idle.requests).toFixed(2)} requests per peer per s (${idleByKindText}); ${idle.socketsOpened} sockets opened`)
  const resources = await ring.resources()
  const connections = resources.flatMap(r => r.connections)

  // Operations one at a time, each from a random peer; owners judged against the sorted ring ids.
  const peers = [...ring.peers.values()]
  const sorted: RingId[] = peers.map(p => p.id).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const outcomes: Record<OpKind, OpAnswer[]> = { lookup: [], put: [], get: [] }
  let wrongOwner = 0
  const owners = new Map(peers.map(p => [p.id, p.peer]))
  const once = async (kind: OpKind, key: Uint8Array, value?: Uint8Array): Promise<OpAnswer> => {
    const answer = await ring.run((pick(peers, 1)[0] as RingPeer).peer, kind, key, value)
    outcomes[kind].push(answer)
    if (answer.owner !== undefined && answer.owner !== owners.get(successorIn(sorted, ringIdOfKey(key)))) wrongOwner++
    return answer
  }
  for (let i = 0; i < ops; i++) await once('lookup', randomBytes(16))
  const written = Array.from({ length: ops }, () => ({ key: randomBytes(16), value: randomBytes(80) }))
  for (const { key, value } of written) await once('put', key, value)
  let correct = 0
  for (const { key, value } of written) {
    const got = await once('get', key)
    if (got.value !== undefined && Buffer.from(got.value).equals(value)) correct++
  }
  log('operations done')

  const ok = (kind: OpKind): OpAnswer[] => outcomes[kind].filter(a => a.error === undefined)
  const ms = (kind: OpKind): number[] => ok(kind).map(a => a.ms)
  const failed = (kind: OpKind): number => outcomes[kind].length - ok(kind).length
  const hops = (kind: OpKind): number[] => ok(kind).map(a => a.hops as number)
  const halfLog2N = 0.5 * Math.log2(n)
  const lat = { lookup: latencies(ms('lookup')), get: latencies(ms('get')), put: latencies(ms('put')) }
  const summary = {
    peers: n,
    workers,
    successors: successors ?? 8,
    formedSeconds: formedS ?? null,
    ideal: formedS !== undefined,
    joinedSeconds: joinedS,
    notJoined: notJoined.length,
    founded: founded.length,
    formationCpuPercentOfOneCore: formation.cpuPct,
    fingersRightPercent: 100 * (1 - fingers.wrong / fingers.checked),
    fingersSeconds: fingersS ?? null,
    halfLog2N,
    hopsMean: mean(hops('lookup')),
    hopsP99: percentile(hops('lookup'), 99),
    getHopsMean: mean(hops('get')),
    putHopsMean: mean(hops('put')),
    lookupP50Ms: lat.lookup.p50,
    lookupP95Ms: lat.lookup.p95,
    lookupP99Ms: lat.lookup.p99,
    getP50Ms: lat.get.p50,
    getP95Ms: lat.get.p95,
    getP99Ms: lat.get.p99,
    putP50Ms: lat.put.p50,
    putP95Ms: lat.put.p95,
    putP99Ms: lat.put.p99,
    failed: { lookup: failed('lookup'), put: failed('put'), get: failed('get') },
    getsCorrect: correct,
    wrongOwner,
    idleSeconds: idle.seconds,
    idleCpuPercentOfOneCore: idle.cpuPct,
    idleCpuPercentPerPeer: idle.cpuPct / n,
    idleLoopDelayP99Ms: idle.loopDelayP99Ms,
    rssPerPeerMiB: resources.reduce((a, r) => a + r.growthMiB, 0) / n,
    rssTotalMiB: resources.reduce((a, r) => a + r.totalMiB, 0),
    connectionsPerPeer: mean(connections),
    connectionsPerPeerMax: Math.max(...connections),
    fdsPerWorkerMax: Math.max(...resources.map(r => r.fds)),
    messagesPerPeerPerSecond: perPeerPerS(idle.requests),
    messagesPerPeerPerSecondByKind: idleByKind,
    frameBytesPerPeerPerSecond: perPeerPerS(idle.frameBytes),
    wireBytesPerPeerPerSecond: perPeerPerS(idle.wireBytes),
    socketsOpenedPerSecond: idle.socketsOpened / idle.seconds,
    loadAverageAtStart: loadAtStart,
    minutes: (performance.now() - started) / 60_000
  }
  const targets: Array<[string, boolean]> = [
    ['one ideal ring within 5 minutes', formedS !== undefined && formedS <= 300],
    ['idle CPU of the whole ring ≤ 50 % of one core', idle.cpuPct <= 50],
    ['get p50 ≤ 3 ms', lat.get.p50 <= 3],
    ['get p99 ≤ 30 ms', lat.get.p99 <= 30],
    [`hops mean ≤ ½·log2 N + 0.5 = ${(halfLog2N + 0.5).toFixed(2)}`, summary.hopsMean <= halfLog2N + 0.5]
  ]
  const machine = `${availableParallelism()} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.version}`
  const markdown = `# A thousand peers

\`${command}\` on ${machine}, ${new Date().toISOString().slice(0, 10)}; the run took ${summary.minutes.toFixed(0)} min,
the 1-minute load average was ${loadAtStart.toFixed(1)} when it began (the machine is shared).

One ring of ${n} peers (TCP + Noise + Yamux on loopback, production defaults: r = ${summary.successors}, k = 3, W = 2,
stabilize ${RING.stabilizeIntervalMs / 1000} s stretching to ${RING.stabilizeIntervalMs * RING.stabilizeBackoff / 1000} s, fix-fingers ${RING.fixFingersIntervalMs / 1000} s stretching to ${RING.fixFingersIntervalMs * RING.fingerBackoff / 1000} s) spread over ${workers} worker processes. One peer
founds it; waves of ${wave} peers join through ${values['bootstrap-peers']} random members each, a wave starting once
the last has joined. Formed: every peer is a member and the ring is ideal (every successor list and predecessor right,
checked over all workers' snapshots). Then fingers get up to ${values['fingers-s']} s to be right, the ring rests
${values['settle-s']} s, and idle CPU and traffic are measured over ${summary.idleSeconds.toFixed(0)} s. Then ${ops} lookups of random
keys, ${ops} puts of new keys (80-byte values) and ${ops} gets of those keys, one at a time, each from a random peer,
timed in the worker hosting that peer.

| targets | met |
| --- | --- |
${targets.map(([what, met]) => `| ${what} | ${met ? 'yes' : 'no'} |`).join('\n')}

## Formation

${table(['peers', 'workers', 'all joined s', 'ideal ring s', 'CPU while forming, % of one core', 'not joined', 'founded own ring', 'fingers right %', 'all fingers right s'],
  [[n, workers, joinedS, formedS ?? `not within ${values['form-timeout-s']}`, formation.cpuPct, notJoined.length, founded.length, summary.fingersRightPercent, fingersS ?? `not within ${values['fingers-s']}`]])}

## Operations

${table(['operation', 'count', 'failed', 'p50 ms', 'p95 ms', 'p99 ms', 'hops mean', 'hops p99'], (['lookup', 'get', 'put'] as const).map(kind => [
  kind, outcomes[kind].length, failed(kind), lat[kind].p50, lat[kind].p95, lat[kind].p99, mean(hops(kind)), percentile(hops(kind), 99)]))}

½·log2 N = ${halfLog2N.toFixed(2)}. Gets that returned the value put: ${correct} of ${ops}. Answers from a peer other
than the key's true owner (from the sorted ring ids): ${wrongOwner}.

## Idle cost

${table(['whole ring CPU, % of one core', 'per peer, % of one core', 'requests per peer per s', 'frame bytes per peer per s', 'wire bytes per peer per s', 'TCP sockets opened per s', 'RSS per peer MiB', 'RSS total MiB', 'connections per peer (mean / max)', 'event-loop delay p99 ms'],
  [[idle.cpuPct, idle.cpuPct / n, summary.messagesPerPeerPerSecond, summary.frameBytesPerPeerPerSecond, summary.wireBytesPerPeerPerSecond, summary.socketsOpenedPerSecond, summary.rssPerPeerMiB, summary.rssTotalMiB, `${summary.connectionsPerPeer.toFixed(1)} / ${summary.connectionsPerPeerMax}`, idle.loopDelayP99Ms]])}

Requests per peer per s by kind: ${idleByKindText || 'none'}.

Requests: every \`/chordkv/1.0.0\` request a peer sent. Frame bytes: those requests and their replies. Wire bytes:
everything written to TCP sockets (Noise, Yamux and chord). RSS per peer: the workers' RSS growth since
before their first peer, divided by N.
`
  await publish(values.out as string, 'scale', markdown, { command, machine, ...summary }, summary)
} finally {
  await ring.close()
}
