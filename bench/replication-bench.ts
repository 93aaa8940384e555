/**
 * Replication benchmark: put and get latency with k = 1 and k = 3 on the
 * same ring size, and how long repair takes (and how many bytes it moves)
 * to bring every key back to 3 replicas after a peer crashes, as a function
 * of the keys stored.
 *
 *   node dist/bench/replication-bench.js [--n 16] [--ops 2000] [--keys 1000,5000,20000]
 */
import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import { checkIdeal } from '../src/ring/invariants.js'
import { startRing, stopAll, type RingInit } from '../src/testnet.js'
import { percentile, sleep, table, timeEach } from './stats.js'
import type { ChordPeer } from '../src/peer.js'

const { values } = parseArgs({ options: { n: { type: 'string', default: '16' }, ops: { type: 'string', default: '2000' }, keys: { type: 'string', default: '1000,5000,20000' } } })
const n = Number(values.n)
const ops = Number(values.ops)
const keyCounts = (values.keys ?? '').split(',').map(Number)
const RING: RingInit = { stabilizeIntervalMs: 200, fixFingersIntervalMs: 50, repairIntervalMs: 2000, handoffIntervalMs: 2000 }

async function ready (peers: readonly ChordPeer[]): Promise<void> {
  const snapshot = (): Map<string, ReturnType<ChordPeer['services']['chord']['node']['snapshot']>> =>
    new Map(peers.map(p => [p.services.chord.self.peer, p.services.chord.node.snapshot()]))
  const deadline = Date.now() + 180_000
  while (checkIdeal(snapshot(), 8).length > 0) {
    if (Date.now() > deadline) throw new Error('ring did not converge')
    await sleep(50)
  }
  await sleep(1000)
}

async function latency (k: number): Promise<Array<string | number>> {
  const peers = await startRing(n, { ...RING, replication: { factor: k } }, 120_000)
  await ready(peers)
  const keys = Array.from({ length: ops }, () => randomBytes(16))
  const value = randomBytes(100)
  const put = await timeEach(ops, async i => (peers[i % n] as ChordPeer).services.chord.put(keys[i] as Uint8Array, value))
  const get = await timeEach(ops, async i => (peers[(i * 7) % n] as ChordPeer).services.chord.get(keys[i] as Uint8Array))
  await stopAll(peers)
  return [`k = ${k}${k > 1 ? ` (W = ${Math.floor(k / 2) + 1})` : ''}`, percentile(put, 50), percentile(put, 99), percentile(get, 50), percentile(get, 99)]
}

/**
 * Keys whose live holders number fewer than 3. In-memory reads resolve
 * without I/O, so the scan yields to the event loop every few hundred keys:
 * otherwise a scan of 20,000 keys blocks the peers it is measuring for
 * seconds, their requests time out, and repair looks slow.
 */
async function underReplicated (live: readonly ChordPeer[], keys: readonly Uint8Array[]): Promise<number> {
  let short = 0
  for (const [i, key] of keys.entries()) {
    if (i % 256 === 0) await new Promise(resolve => setImmediate(resolve))
    let holders = 0
    for (const p of live) if ((await p.services.chord.data.records.get(key))?.value !== undefined) holders++
    if (holders < 3) short++
  }
  return short
}

async function repairAfterCrash (count: number): Promise<Array<string | number>> {
  const peers = await startRing(12, RING, 120_000)
  await ready(peers)
  const keys = Array.from({ length: count }, (_, i) => new TextEncoder().encode(`repair-${i}-${randomBytes(4).toString('hex')}`))
  const value = randomBytes(100)
  for (let i = 0; i < count; i += 256) {
    await Promise.all(keys.slice(i, i + 256).map(async (k, j) => (peers[(i + j) % 12] as ChordPeer).services.chord.put(k, value)))
  }
  while (await underReplicated(peers, keys) > 0) await sleep(200)
  await sleep(2500) // let the surplus hand-off settle so only crash repair is measured
  const victim = [...peers].sort((a, b) => (a.services.chord.self.id < b.services.chord.self.id ? -1 : 1))[5] as ChordPeer
  const held = (await Promise.all(keys.map(async k => victim.services.chord.data.records.get(k)))).filter(r => r !== undefined).length
  const live = peers.filter(p => p !== victim)
  const before = live.map(p => ({ ...p.services.chord.data.repairTotals }))
  const t0 = performance.now()
  for (const c of victim.getConnections()) c.abort(new Error('crash'))
  await victim.stop()
  while (await underReplicated(live, keys) > 0) await sleep(100)
  const seconds = (performance.now() - t0) / 1000
  const moved = live.reduce((sum, p, i) => {
    const b = before[i] as { bytes: number, pushed: number, pulled: number, summaries: number }
    const t = p.services.chord.data.repairTotals
    return { bytes: sum.bytes + t.bytes - b.bytes, records: sum.records + t.pushed + t.pulled - b.pushed - b.pulled, summaries: sum.summaries + t.summaries - b.summaries }
  }, { bytes: 0, records: 0, summaries: 0 })
  await stopAll(live)
  return [count, held, seconds, moved.records, Math.round(moved.bytes / 1024), moved.summaries]
}

const rows = [await latency(1), await latency(3)]
console.log(`\n## put / get latency, k = 1 vs k = 3 (N = ${n}, ${ops} sequential ops from every peer in turn, 100-byte values)\n`)
console.log(table(['replication', 'put p50 ms', 'put p99 ms', 'get p50 ms', 'get p99 ms'], rows))

const repairRows = []
for (const count of keyCounts) {
  repairRows.push(await repairAfterCrash(count))
  console.error(`repair with ${count} keys done`)
}
console.log('\n## Repair after one of 12 peers crashes (k = 3): time until every key is on 3 live replicas, and what repair moved\n')
console.log(table(['keys stored', 'held by the crashed peer', 'back to 3 replicas (s)', 'records moved', 'KiB moved', 'summary exchanges'], repairRows))
