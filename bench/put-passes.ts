/**
 * Where a put's tail comes from on a ring in one process: N peers (the
 * production stack and defaults, all in this process as in
 * `bench:opendht -- --workers 1`) rest, then take several passes of puts
 * one at a time (key i through peer i mod N), back to back. Each pass
 * reports its p50, p95 and p99, its total time, and the time the garbage
 * collector took during it (V8's `gc` performance entries). The first pass
 * after a rest is the one `bench:opendht` times.
 *
 *   node dist/bench/put-passes.js --peers 50 --keys 200 --passes 3 --rest-s 30
 */
import { PerformanceObserver } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { startRing, stopAll } from '../src/chord/testnet.js'
import { latencies, sleep } from './stats.js'
import { workload } from './workload.js'

const { values } = parseArgs({
  options: {
    peers: { type: 'string', default: '50' },
    keys: { type: 'string', default: '200' },
    passes: { type: 'string', default: '3' },
    'rest-s': { type: 'string', default: '30' },
    seed: { type: 'string', default: `${Date.now()}` }
  }
})
const n = Number(values.peers)
const keys = Number(values.keys)
const passes = Number(values.passes)
const restMs = Number(values['rest-s']) * 1000
if (![n, keys, passes].every(x => Number.isInteger(x) && x >= 1) || n < 2 || !(restMs >= 0)) {
  throw new Error('--peers takes an integer ≥ 2; --keys and --passes integers ≥ 1; --rest-s a number ≥ 0')
}

/** Collections seen so far (start, duration ms): each pass sums those that began within it. */
const collections: Array<{ at: number, ms: number }> = []
new PerformanceObserver(list => { for (const entry of list.getEntries()) collections.push({ at: entry.startTime, ms: entry.duration }) }).observe({ entryTypes: ['gc'] })

const peers = await startRing(n, {}, 120_000)
await sleep(restMs)
const rows: Array<Record<string, number>> = []
for (let pass = 1; pass <= passes; pass++) {
  const ms: number[] = []
  const began = performance.now()
  for (const [i, { key, value }] of workload(`${values.seed as string}:${pass}`, keys).entries()) {
    const started = performance.now()
    await (peers[i % n] as typeof peers[number]).services.chord.put(key, value)
    ms.push(performance.now() - started)
  }
  const ended = performance.now()
  // The observer hears of a collection a moment after it: let it catch up before summing.
  await new Promise(resolve => setImmediate(resolve))
  const gcMs = collections.filter(c => c.at >= began && c.at < ended).reduce((sum, c) => sum + c.ms, 0)
  const { p50, p95, p99 } = latencies(ms)
  const row = { pass, p50, p95, p99, totalMs: ms.reduce((a, b) => a + b, 0), gcMs }
  rows.push(row)
  process.stderr.write(`pass ${pass}: put p50 ${row.p50.toFixed(2)} ms, p95 ${row.p95.toFixed(2)}, p99 ${row.p99.toFixed(2)}; ${row.totalMs.toFixed(0)} ms in all, ${gcMs.toFixed(0)} ms of it collecting garbage\n`)
}
await stopAll(peers)
process.stdout.write(JSON.stringify({ peers: n, keys, restS: restMs / 1000, passes: rows }) + '\n')
process.exit(0)
