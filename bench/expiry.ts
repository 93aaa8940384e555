/**
 * The cost of expiring values on one peer (`npm run bench:expiry`): a peer
 * (libp2p, LevelDB or memory store) holds N values that all expire at the
 * same instant, and keeps answering gets meanwhile. Reports the memory the
 * held values and their expiry queue take, how long after the instant
 * every one was turned into a deletion, the CPU that took, the event
 * loop's delay while it ran, and the latency of the gets that ran beside
 * it.
 *
 *   node dist/bench/expiry.js [--keys 100000] [--storage leveldb|memory]
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { join } from 'node:path'
import { rm } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { LevelStore } from '../src/storage/level-store.js'
import { MemoryStore } from '../src/storage/memory-store.js'
import { FAST_RING, startPeer, stopAll } from '../test/utils/network.js'
import { tempDir } from '../test/utils/control.js'
import { percentile, procStatus, sleep } from './stats.js'
import type { RecordStore } from '../src/storage/store.js'

const { values } = parseArgs({
  options: {
    keys: { type: 'string', default: '100000' },
    storage: { type: 'string', default: 'leveldb' }
  }
})
const KEYS = Number(values.keys)

const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1)
const text = (s: string): Uint8Array => new TextEncoder().encode(s)

const dir = await tempDir('chordkv-bench-expiry-')
const store: RecordStore = values.storage === 'memory' ? new MemoryStore() : await LevelStore.open(join(dir, 'store'))
const peer = await startPeer([], { ...FAST_RING, store })
const chord = peer.services.chord
const self = peer.peerId.toString()
const value = new Uint8Array(100)
const put = async (key: string, expiresAtMs?: number): Promise<void> => {
  await chord.testing.records.put({ key: text(key), value, version: { timestamp: chord.testing.data.clock.now(), writer: self }, ...(expiresAtMs === undefined ? {} : { expiresAtMs }) })
}
// The instant all expire at must follow the fill: time a warm-up of plain values first.
const warmup = Math.min(2000, KEYS)
let t = performance.now()
for (let i = 0; i < warmup; i++) await put(`plain-${i}`)
const msPerPut = (performance.now() - t) / warmup
global.gc?.()
const before = { heap: process.memoryUsage().heapUsed, anon: procStatus('RssAnon') * 1024 }
const instant = Date.now() + Math.ceil(KEYS * msPerPut * 2) + 3000
t = performance.now()
for (let i = 0; i < KEYS; i++) await put(`expiring-${i}`, instant)
const fillSeconds = (performance.now() - t) / 1000
global.gc?.()
const held = { heap: process.memoryUsage().heapUsed, anon: procStatus('RssAnon') * 1024 }
if (Date.now() >= instant) throw new Error('the fill outlasted the instant: run again')
await sleep(instant - Date.now())

const delay = monitorEventLoopDelay({ resolution: 10 })
delay.enable()
const cpu = process.cpuUsage()
const started = performance.now()
const gets: number[] = []
let reading = true
const reader = (async () => {
  let i = 0
  while (reading) {
    const t = performance.now()
    await chord.get(text(`expiring-${(i++ * 7919) % KEYS}`))
    gets.push(performance.now() - t)
    // A client's pace (200 gets/s), so the CPU measured is the expiry's.
    await sleep(5)
  }
})()
while (chord.status().records.expired < KEYS) await sleep(20)
const seconds = (performance.now() - started) / 1000
const used = process.cpuUsage(cpu)
reading = false
await reader
delay.disable()

const row = {
  keys: KEYS,
  storage: values.storage,
  fillSeconds: Number(fillSeconds.toFixed(1)),
  heapPerKeyBytes: Math.round((held.heap - before.heap) / KEYS),
  anonPerKeyBytes: Math.round((held.anon - before.anon) / KEYS),
  heldHeapMiB: Number(mib(held.heap - before.heap)),
  expiredAfterSeconds: Number(seconds.toFixed(2)),
  expiryCpuSeconds: Number(((used.user + used.system) / 1e6).toFixed(2)),
  eventLoopDelayP99Ms: Number((delay.percentile(99) / 1e6).toFixed(1)),
  eventLoopDelayMaxMs: Number((delay.max / 1e6).toFixed(1)),
  getsDuringExpiry: gets.length,
  getP50Ms: Number(percentile(gets, 50).toFixed(2)),
  getP99Ms: Number(percentile(gets, 99).toFixed(2)),
  getMaxMs: Number(gets.reduce((a, b) => Math.max(a, b), 0).toFixed(1))
}
console.log(`${KEYS} values expiring at once on one peer (${values.storage}):`)
console.log(`  held: ${row.heapPerKeyBytes} B heap and ${row.anonPerKeyBytes} B resident per value (100-byte values, their expiry queue included)`)
console.log(`  all turned into deletions ${row.expiredAfterSeconds} s after their instant, using ${row.expiryCpuSeconds} s of CPU`)
console.log(`  event loop delay p99 ${row.eventLoopDelayP99Ms} ms, max ${row.eventLoopDelayMaxMs} ms; ${row.getsDuringExpiry} gets meanwhile: p50 ${row.getP50Ms} ms, p99 ${row.getP99Ms} ms, max ${row.getMaxMs} ms`)
await stopAll([peer])
await rm(dir, { recursive: true, force: true })
console.log(JSON.stringify(row))
process.exit(0)
