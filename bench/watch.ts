/**
 * Watches, measured (`npm run bench:watch`): a ring of real libp2p peers in
 * this process; one watcher. Reports how long a change takes from the put
 * being acknowledged to the watcher hearing it, for puts through the
 * watching peer itself and through another peer; and what many watched
 * keys cost the watching peer (memory, and the CPU of renewing them every
 * 5 s at the keys' replicas) and the whole ring.
 *
 *   node dist/bench/watch.js [--peers 8] [--puts 300] [--keys 1000]
 */
import { parseArgs } from 'node:util'
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

// Default maintenance periods, as a deployed ring runs.
const peers = await startRing(PEERS, { ...FAST_RING, stabilizeIntervalMs: 2000, fixFingersIntervalMs: 5000, checkPredecessorIntervalMs: 5000 })
await waitForIdealRing(peers, Math.min(8, PEERS - 1), 60_000)
const watcher = peers[0] as ChordPeer
const other = peers[Math.floor(PEERS / 2)] as ChordPeer

/** Put → event, in ms from the put's acknowledgement; each put waits for its event. */
async function latencies (through: ChordPeer, key: string): Promise<number[]> {
  let heard: ((event: WatchEvent) => void) | undefined
  const end = await watcher.services.chord.watch(text(key), undefined, event => { heard?.(event) })
  const out: number[] = []
  for (let i = 0; i < PUTS; i++) {
    const event = new Promise<number>(resolve => { heard = () => { resolve(performance.now()) } })
    await through.services.chord.put(text(key), text(`v${i}`))
    const acked = performance.now()
    out.push(await event - acked)
  }
  end()
  return out
}

const same = await latencies(watcher, 'watched-same')
const across = await latencies(other, 'watched-across')

// Many watched keys: memory of the watching peer, CPU of the whole ring while nothing changes.
global.gc?.()
const heapBefore = process.memoryUsage().heapUsed
const ends = []
for (let i = 0; i < KEYS; i++) ends.push(await watcher.services.chord.watch(text(`many-${i}`), undefined, () => {}))
global.gc?.()
const heapPerWatch = (process.memoryUsage().heapUsed - heapBefore) / KEYS
await sleep(5000)
const cpu = process.cpuUsage()
const started = performance.now()
await sleep(20_000)
const used = process.cpuUsage(cpu)
const cpuPercent = (used.user + used.system) / 1000 / (performance.now() - started) * 100
const registrations = peers.reduce((n, p) => n + p.services.chord.testing.data.watchers.count, 0)
for (const end of ends) end()

const row = {
  peers: PEERS,
  puts: PUTS,
  samePeerP50Ms: Number(percentile(same, 50).toFixed(2)),
  samePeerP99Ms: Number(percentile(same, 99).toFixed(2)),
  acrossP50Ms: Number(percentile(across, 50).toFixed(2)),
  acrossP99Ms: Number(percentile(across, 99).toFixed(2)),
  watchedKeys: KEYS,
  registrations,
  heapPerWatchBytes: Math.round(heapPerWatch),
  ringCpuPercentOfOneCoreWhileWatching: Number(cpuPercent.toFixed(1))
}
console.log(`put acknowledged → watcher hears it (${PUTS} puts each): through the watching peer p50 ${row.samePeerP50Ms} ms, p99 ${row.samePeerP99Ms} ms; through another peer p50 ${row.acrossP50Ms} ms, p99 ${row.acrossP99Ms} ms`)
console.log(`${KEYS} keys watched through one peer: ${registrations} registrations at their replicas, ${row.heapPerWatchBytes} B of heap per watch, the ${PEERS}-peer ring at ${row.ringCpuPercentOfOneCoreWhileWatching} % of a core while nothing changes`)
await stopAll(peers)
console.log(JSON.stringify(row))
process.exit(0)
