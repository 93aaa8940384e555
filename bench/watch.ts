/**
 * Watches, measured (`npm run bench:watch`): a ring of real libp2p peers in
 * this process; one watcher. Reports how long a change takes from the put
 * being sent to the watcher hearing it (beside the put's own latency), for puts through the
 * watching peer itself and through another peer; and what many watched
 * keys cost the watching peer (memory, and the CPU of renewing them every
 * 5 s at the keys' replicas) and the whole ring.
 *
 *   node dist/bench/watch.js [--peers 8] [--puts 300] [--keys 1000]
 */
import { parseArgs } from 'node:util'
import { WATCH } from '../src/defaults.js'
import { FAST_RING, startRing, stopAll } from '../test/utils/network.js'
import { waitForIdealRing } from '../test/utils/ring-checks.js'
import { percentile, sleep } from './stats.js'
import type { ChordPeer } from '../src/chord/peer.js'
import type { WatchEvent } from '../src/protocol/messages.js'

const { values } = parseArgs({
  options: {
    peers: { type: 'string', default: '8' },
    puts: { type: 'string', default: '300' },
    keys: { type: 'string', default: '1000' }
  }
})
const PEERS = Number(values.peers)
const PUTS = Number(values.puts)
const KEYS = Number(values.keys)
const text = (s: string): Uint8Array => new TextEncoder().encode(s)

// Default maintenance and watch-renewal periods, as a deployed ring runs.
const peers = await startRing(PEERS, { ...FAST_RING, stabilizeIntervalMs: 2000, fixFingersIntervalMs: 5000, checkPredecessorIntervalMs: 5000, watchRenewMs: WATCH.renewMs })
await waitForIdealRing(peers, Math.min(8, PEERS - 1), 60_000)
const watcher = peers[0] as ChordPeer
const other = peers[Math.floor(PEERS / 2)] as ChordPeer

/**
 * From a put being sent to the watcher hearing it, and to the put being
 * acknowledged (ms); each put waits for its event. Replicas tell watchers
 * as they store, so the event usually comes before the acknowledgement.
 */
async function latencies (through: ChordPeer, key: string): Promise<{ event: number[], ack: number[] }> {
  let heard: ((event: WatchEvent) => void) | undefined
  const end = await watcher.services.chord.watch(text(key), undefined, event => { heard?.(event) })
  const out = { event: [] as number[], ack: [] as number[] }
  for (let i = 0; i < PUTS; i++) {
    const event = new Promise<number>(resolve => { heard = () => { resolve(performance.now()) } })
    const sent = performance.now()
    await through.services.chord.put(text(key), text(`v${i}`))
    out.ack.push(performance.now() - sent)
    out.event.push(await event - sent)
  }
  end()
  return out
}

const same = await latencies(watcher, 'watched-same')
const across = await latencies(other, 'watched-across')

/** The CPU this process (the whole ring) uses over `ms`, in % of one core. */
async function cpuOver (ms: number): Promise<number> {
  const cpu = process.cpuUsage()
  const started = performance.now()
  await sleep(ms)
  const used = process.cpuUsage(cpu)
  return (used.user + used.system) / 1000 / (performance.now() - started) * 100
}

// Many watched keys: memory of the watching peer, CPU of the whole ring while nothing changes (two renewal periods), beside none.
const idleMs = 2 * WATCH.renewMs
const cpuWithout = await cpuOver(idleMs)
global.gc?.()
const heapBefore = process.memoryUsage().heapUsed
const ends = []
for (let i = 0; i < KEYS; i++) ends.push(await watcher.services.chord.watch(text(`many-${i}`), undefined, () => {}))
global.gc?.()
const heapPerWatch = (process.memoryUsage().heapUsed - heapBefore) / KEYS
const cpuPercent = await cpuOver(idleMs)
const registrations = peers.reduce((n, p) => n + p.services.chord.testing.data.server.watchers.count, 0)
for (const end of ends) end()

const row = {
  peers: PEERS,
  puts: PUTS,
  samePeerP50Ms: Number(percentile(same.event, 50).toFixed(2)),
  samePeerP99Ms: Number(percentile(same.event, 99).toFixed(2)),
  samePeerPutP50Ms: Number(percentile(same.ack, 50).toFixed(2)),
  acrossP50Ms: Number(percentile(across.event, 50).toFixed(2)),
  acrossP99Ms: Number(percentile(across.event, 99).toFixed(2)),
  acrossPutP50Ms: Number(percentile(across.ack, 50).toFixed(2)),
  watchedKeys: KEYS,
  registrations,
  heapPerWatchBytes: Math.round(heapPerWatch),
  ringCpuPercentOfOneCoreWhileWatching: Number(cpuPercent.toFixed(1)),
  ringCpuPercentOfOneCoreWithoutWatches: Number(cpuWithout.toFixed(1))
}
console.log(`put sent → watcher hears it (${PUTS} puts each): through the watching peer p50 ${row.samePeerP50Ms} ms, p99 ${row.samePeerP99Ms} ms (the put's acknowledgement p50 ${row.samePeerPutP50Ms} ms); through another peer p50 ${row.acrossP50Ms} ms, p99 ${row.acrossP99Ms} ms (acknowledged p50 ${row.acrossPutP50Ms} ms)`)
console.log(`${KEYS} keys watched through one peer: ${registrations} registrations at their replicas, ${row.heapPerWatchBytes} B of heap per watch, the ${PEERS}-peer ring at ${row.ringCpuPercentOfOneCoreWhileWatching} % of a core while nothing changes (${row.ringCpuPercentOfOneCoreWithoutWatches} % without them)`)
await stopAll(peers)
console.log(JSON.stringify(row))
process.exit(0)
