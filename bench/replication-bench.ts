/**
 * Replication benchmark: put and get latency with k = 1 and k = 3 on the
 * same ring size; how many pipelined puts are acknowledged on all k
 * replicas; and how long repair takes (and how many bytes it moves) to bring
 * every key back to 3 replicas after a peer crashes, as a function of the
 * keys stored.
 *
 *   node dist/bench/replication-bench.js [--n 16] [--ops 2000] [--keys 1000,5000,20000] [--rounds 5] [--depth 1000] [--only latency,acked,repair]
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { PeerProcess } from '../src/cli/peer-process.js'
import { ControlClient } from '../src/control/client.js'
import { checkIdeal } from '../src/ring/invariants.js'
import { startRing, stopAll, type RingInit } from '../src/chord/testnet.js'
import { percentile, sleep, table, timeEach } from './stats.js'
import { ringIdeal } from '../test/utils/process-ring.js'
import type { ChordPeer } from '../src/chord/peer.js'

const { values } = parseArgs({ options: { n: { type: 'string', default: '16' }, ops: { type: 'string', default: '2000' }, keys: { type: 'string', default: '1000,5000,20000' }, rounds: { type: 'string', default: '5' }, only: { type: 'string', default: 'latency,acked,repair' }, depth: { type: 'string', default: '1000' } } })
const n = Number(values.n)
const ops = Number(values.ops)
const rounds = Number(values.rounds)
const sections = new Set((values.only ?? '').split(','))
const depth = Number(values.depth)
const keyCounts = (values.keys ?? '').split(',').map(Number)
const RING: RingInit = { stabilizeIntervalMs: 200, fixFingersIntervalMs: 50, repairIntervalMs: 2000, handoffIntervalMs: 2000 }

async function ready (peers: readonly ChordPeer[]): Promise<void> {
  const snapshot = (): Map<string, ReturnType<ChordPeer['services']['chord']['node']['snapshot']>> =>
    new Map(peers.map(p => [p.services.chord.self.peer, p.services.chord.snapshot()]))
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

/** Runs `count` requests keeping `depth` in flight. */
async function pipelined (count: number, depth: number, request: (i: number) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: depth }, async () => {
    while (next < count) await request(next++)
  }))
}


/**
 * The load that left writes acknowledged on fewer than k replicas: 8 peers
 * as separate processes (LevelDB, default replication settings), 1000 puts
 * through one peer's control socket, all in flight at once (`--depth`). Each round reports
 * the share of puts acknowledged on all 3 replicas, and the share of the
 * round's 3000 copies stored anywhere right after its last acknowledgement.
 */
async function ackedOnK (): Promise<Array<Array<string | number>>> {
  const dir = await mkdtemp(join(tmpdir(), 'chordkv-acked-'))
  const peers: PeerProcess[] = []
  const env = { CHORDKV_STABILIZE_INTERVAL_MS: '200', CHORDKV_CHECK_PREDECESSOR_INTERVAL_MS: '500' }
  try {
    let bootstrap: string | undefined
    for (let i = 1; i <= 8; i++) {
      const peer = await PeerProcess.start({ name: `p${i}`, dataDir: join(dir, `p${i}`), bootstrap, env })
      peers.push(peer)
      bootstrap ??= await peer.waitFor(/^listening: (.*)$/)
    }
    await Promise.all(peers.map(async p => p.waitFor(/^(founded a new ring|joined the ring)/)))
    const statuses = async (): Promise<Array<Record<string, unknown>>> => Promise.all(peers.map(async p => {
      const client = await ControlClient.connect(p.socket)
      try { return await client.request({ op: 'status' }) } finally { client.close() }
    }))
    const deadline = Date.now() + 120_000
    while (!ringIdeal(await statuses())) {
      if (Date.now() > deadline) throw new Error('the ring of 8 processes did not converge')
      await sleep(200)
    }
    await sleep(2000)
    const copies = async (): Promise<number> => (await statuses()).reduce((n, s) => n + (s.keys as number), 0)
    const client = await ControlClient.connect((peers[0] as PeerProcess).socket)
    const value = randomBytes(50).toString('hex')
    const out: Array<Array<string | number>> = []
    for (let round = 1; round <= rounds; round++) {
      const keys = Array.from({ length: 1000 }, (_, i) => `acked-${round}-${i}-${randomBytes(4).toString('hex')}`)
      const before = await copies()
      const replicas: number[] = []
      const t0 = performance.now()
      await pipelined(keys.length, depth, async i => {
        const reply = await client.request({ op: 'put', key: keys[i], value })
        if (reply.ok !== true && replicas.every(r => r > 0)) console.error(`round ${round}: a put failed: ${JSON.stringify(reply.error)}`)
        replicas.push(reply.ok === true ? reply.replicas as number : 0)
      })
      const seconds = (performance.now() - t0) / 1000
      const stored = await copies() - before
      out.push([round, Math.round(keys.length / seconds), 100 * replicas.filter(r => r >= 3).length / keys.length, 100 * replicas.filter(r => r === 0).length / keys.length, 100 * stored / (3 * keys.length)])
    }
    client.close()
    return out
  } finally {
    await Promise.all(peers.map(async p => p.stop('SIGKILL')))
    await rm(dir, { recursive: true, force: true })
  }
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
    for (const p of live) if ((await p.services.chord.testing.records.get(key))?.value !== undefined) holders++
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
  const held = (await Promise.all(keys.map(async k => victim.services.chord.testing.records.get(k)))).filter(r => r !== undefined).length
  const live = peers.filter(p => p !== victim)
  const before = live.map(p => ({ ...p.services.chord.status().moved }))
  const t0 = performance.now()
  for (const c of victim.getConnections()) c.abort(new Error('crash'))
  await victim.stop()
  while (await underReplicated(live, keys) > 0) await sleep(100)
  const seconds = (performance.now() - t0) / 1000
  const moved = live.reduce((sum, p, i) => {
    const b = before[i] as { bytes: number, pushed: number, pulled: number, summaries: number }
    const t = p.services.chord.status().moved
    return { bytes: sum.bytes + t.bytes - b.bytes, records: sum.records + t.pushed + t.pulled - b.pushed - b.pulled, summaries: sum.summaries + t.summaries - b.summaries }
  }, { bytes: 0, records: 0, summaries: 0 })
  await stopAll(live)
  return [count, held, seconds, moved.records, Math.round(moved.bytes / 1024), moved.summaries]
}

if (sections.has('latency')) {
  const rows = [await latency(1), await latency(3)]
  console.log(`\n## put / get latency, k = 1 vs k = 3 (N = ${n}, ${ops} sequential ops from every peer in turn, 100-byte values)\n`)
  console.log(table(['replication', 'put p50 ms', 'put p99 ms', 'get p50 ms', 'get p99 ms'], rows))
}

if (sections.has('acked')) {
  const ackedRows = await ackedOnK()
  console.log(`\n## Pipelined puts acknowledged on all k = 3 replicas (8 peer processes, LevelDB, 1000 puts through one control socket, ${depth} in flight, 100-byte values)\n`)
  console.log(table(['round', 'puts/s', 'acknowledged on 3 (%)', 'failed (%)', 'copies stored right after the last ack (%)'], ackedRows))
  const fractions = ackedRows.map(r => r[2] as number)
  console.log(`\nacknowledged on 3: median ${percentile(fractions, 50).toFixed(1)} %, min ${Math.min(...fractions).toFixed(1)} %, max ${Math.max(...fractions).toFixed(1)} %`)
}

if (sections.has('repair')) {
  const repairRows = []
  for (const count of keyCounts) {
    repairRows.push(await repairAfterCrash(count))
    console.error(`repair with ${count} keys done`)
  }
  console.log('\n## Repair after one of 12 peers crashes (k = 3): time until every key is on 3 live replicas, and what repair moved\n')
  console.log(table(['keys stored', 'held by the crashed peer', 'back to 3 replicas (s)', 'records moved', 'KiB moved', 'summary exchanges'], repairRows))
}
