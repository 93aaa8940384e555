/**
 * One measurement of the overlay comparison (`compare.ts` runs one worker
 * process per overlay and size, so RSS and CPU belong to one swarm): start N
 * peers in this process, wait until the network has formed, run the same
 * puts and gets the other overlays run, then measure RSS and idle CPU.
 *
 * Overlays:
 *   chord      the Chord ring (startRing, default maintenance periods), through ChordService
 *   kad        @libp2p/kad-dht as kad mode configures it, through KadService
 *   chord+kad  the Chord ring with kad-dht added for peer routing (it serves
 *              nothing here; it measures what running it alongside costs)
 *
 * Run alone to profile the idle swarm:
 *   node dist/bench/compare-worker.js --overlay chord --n 50 --keys 1 --cpu-prof-idle chord-idle.cpuprofile
 */
import { parseArgs } from 'node:util'
import { identify } from '@libp2p/identify'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { kadDHT, passthroughMapper, type KadDHT } from '@libp2p/kad-dht'
import { ping } from '@libp2p/ping'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p, type Libp2p } from 'libp2p'
import { KAD_PROTOCOL } from '../src/kad/constants.js'
import { startKadSwarm } from '../src/kad/testnet.js'
import { stackOptions } from '../src/stack.js'
import { checkIdeal, type NodeSnapshot } from '../src/ring/invariants.js'
import { chord, type ChordService } from '../src/chord/service.js'
import { LOCAL_CONNECTION_LIMITS, startRing } from '../src/chord/testnet.js'
import { idleCpu } from './idle-cpu.js'
import { percentile, rssMiB, sleep } from './stats.js'
import { workload } from './workload.js'

export type Overlay = 'chord' | 'kad' | 'chord+kad' | 'kad-quiet'

/** What one worker reports (JSON on its last stdout line). */
export interface SwarmReport {
  overlay: Overlay
  n: number
  keys: number
  /** Start of the first peer until the network has formed (chord: ideal ring; kad: every peer joined) (ms). */
  formMs: number
  put: OpStats
  get: OpStats
  /** Gets that returned the value put, out of `keys`. */
  getSuccess: number
  /** (RSS after the operations − RSS before the first peer) / N (MiB), after a GC. */
  rssPerPeerMiB: number
  /** Process CPU over the idle window right after forming, as % of one core. */
  idleCpuFormedPct: number
  /** The same after the operations (connections they opened stay open). */
  idleCpuPct: number
  connectionsPerPeer: number
  /** kad: mean routing-table size; chord: mean distinct fingers. */
  tablePerPeer: number
}

export interface OpStats {
  p50: number
  p95: number
  ok: number
  /** Mean peers that took part per operation (chord: route length, origin included; kad: peers queried). */
  peers: number
  /** Mean requests sent per operation (chord: hops; kad: kad-dht messages sent). */
  requests: number
}

interface Driver {
  readonly peers: ReadonlyArray<Libp2p<any>>
  put (from: number, key: Uint8Array, value: Uint8Array): Promise<{ peers: number, requests: number }>
  get (from: number, key: Uint8Array): Promise<{ value: Uint8Array | undefined, peers: number, requests: number }>
  table (peer: number): number
}

type ChordLike = Libp2p<{ chord: ChordService }>

async function untilIdeal (peers: readonly ChordLike[], timeoutMs: number): Promise<void> {
  const r = peers[0]?.services.chord.status().successorListLength ?? 8
  const deadline = Date.now() + timeoutMs
  while (true) {
    const snap = new Map<string, NodeSnapshot>(peers.map(p => [p.services.chord.self.peer, p.services.chord.snapshot()]))
    if (checkIdeal(snap, r).length === 0) return
    if (Date.now() > deadline) throw new Error(`the ring was not ideal within ${timeoutMs} ms`)
    await sleep(20)
  }
}

function chordDriver (peers: readonly ChordLike[]): Driver {
  return {
    peers,
    async put (from, key, value) {
      const reply = await (peers[from] as ChordLike).services.chord.put(key, value)
      return { peers: reply.path.length, requests: reply.hops }
    },
    async get (from, key) {
      const reply = await (peers[from] as ChordLike).services.chord.get(key)
      return { value: reply.record?.value, peers: reply.path.length, requests: reply.hops }
    },
    table: i => (peers[i] as ChordLike).services.chord.status().fingers.length
  }
}

/** A Chord ring whose peers also run kad-dht as a LAN DHT would (server mode, private addresses kept). */
async function startChordKadRing (n: number): Promise<Array<Libp2p<{ chord: ChordService, dht: KadDHT }>>> {
  const start = async (bootstrap: string[]): Promise<Libp2p<{ chord: ChordService, dht: KadDHT }>> => createLibp2p({
    ...await stackOptions({ privateKey: await generateKeyPair('Ed25519'), listen: ['/ip4/127.0.0.1/tcp/0'], connectionManager: LOCAL_CONNECTION_LIMITS }, true),
    services: {
      identify: identify(),
      ping: ping(),
      chord: chord({ bootstrap: bootstrap.map(a => multiaddr(a)) }),
      dht: kadDHT({ protocol: KAD_PROTOCOL, clientMode: false, peerInfoMapper: passthroughMapper })
    }
  })
  const first = await start([])
  const address = (first.getMultiaddrs()[0] as { toString: () => string }).toString()
  const rest = await Promise.all(Array.from({ length: n - 1 }, async () => start([address])))
  const peers = [first, ...rest]
  while (!peers.every(p => p.services.chord.joined)) await sleep(20)
  return peers
}

async function startDriver (overlay: Overlay, n: number): Promise<Driver> {
  switch (overlay) {
    case 'chord': {
      const peers = await startRing(n, {}, 120_000)
      await untilIdeal(peers, 120_000)
      return chordDriver(peers)
    }
    case 'chord+kad': {
      const peers = await startChordKadRing(n)
      await untilIdeal(peers, 120_000)
      return chordDriver(peers)
    }
    case 'kad':
    case 'kad-quiet': {
      const peers = await startKadSwarm(n, { quietConnections: overlay === 'kad-quiet' }, 180_000)
      return {
        peers,
        async put (from, key, value) {
          const outcome = await (peers[from] as typeof peers[number]).services.kad.put(key, value)
          return { peers: outcome.queried, requests: outcome.messages }
        },
        async get (from, key) {
          const outcome = await (peers[from] as typeof peers[number]).services.kad.get(key)
          return { value: outcome.record?.value, peers: outcome.queried, requests: outcome.messages }
        },
        table: i => (peers[i] as typeof peers[number]).services.kad.routingTableSize
      }
    }
  }
}

function summarise (latencies: number[], costs: Array<{ peers: number, requests: number }>, ok: number): OpStats {
  const mean = (xs: number[]): number => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length)
  return { p50: percentile(latencies, 50), p95: percentile(latencies, 95), ok, peers: mean(costs.map(c => c.peers)), requests: mean(costs.map(c => c.requests)) }
}

async function measure (overlay: Overlay, n: number, seed: string, keys: number, idleMs: number, settleMs: number, profile?: string): Promise<SwarmReport> {
  const rssBefore = rssMiB()
  const t0 = performance.now()
  const driver = await startDriver(overlay, n)
  const formMs = performance.now() - t0
  console.error(`${overlay} N=${n}: formed in ${(formMs / 1000).toFixed(1)} s`)
  await sleep(settleMs)
  const idleCpuFormedPct = await idleCpu(idleMs, profile)

  const work = workload(seed, keys)
  const putLatency: number[] = []
  const putCost: Array<{ peers: number, requests: number }> = []
  let putOk = 0
  for (const [i, { key, value }] of work.entries()) {
    const started = performance.now()
    try {
      putCost.push(await driver.put(i % n, key, value))
      putLatency.push(performance.now() - started)
      putOk++
    } catch (err) {
      console.error(`put ${i} failed: ${(err as Error).message}`)
    }
  }
  const getLatency: number[] = []
  const getCost: Array<{ peers: number, requests: number }> = []
  let getOk = 0
  let getSuccess = 0
  for (const [i, { key, value }] of work.entries()) {
    const started = performance.now()
    try {
      // read through a different peer than the one that wrote
      const reply = await driver.get((i + Math.ceil(n / 2)) % n, key)
      getLatency.push(performance.now() - started)
      getCost.push(reply)
      getOk++
      if (reply.value !== undefined && Buffer.from(reply.value).equals(Buffer.from(value))) getSuccess++
    } catch (err) {
      console.error(`get ${i} failed: ${(err as Error).message}`)
    }
  }
  console.error(`${overlay} N=${n}: operations done`)

  await sleep(settleMs)
  const rssPerPeerMiB = (rssMiB() - rssBefore) / n
  const idleCpuPct = await idleCpu(idleMs)
  const connectionsPerPeer = driver.peers.reduce((a, p) => a + p.getConnections().length, 0) / n
  const tablePerPeer = driver.peers.reduce((a, _, i) => a + driver.table(i), 0) / n
  await Promise.all(driver.peers.map(async p => { await Promise.resolve(p.stop()).catch(() => {}) }))
  return {
    overlay,
    n,
    keys,
    formMs,
    put: summarise(putLatency, putCost, putOk),
    get: summarise(getLatency, getCost, getOk),
    getSuccess,
    rssPerPeerMiB,
    idleCpuFormedPct,
    idleCpuPct,
    connectionsPerPeer,
    tablePerPeer
  }
}

const { values } = parseArgs({
  options: {
    overlay: { type: 'string' },
    n: { type: 'string' },
    seed: { type: 'string', default: 'chordkv' },
    keys: { type: 'string', default: '200' },
    'idle-ms': { type: 'string', default: '10000' },
    'settle-ms': { type: 'string', default: '2000' },
    /** Write a CPU profile (.cpuprofile, for Chrome DevTools) of the idle window after forming. */
    'cpu-prof-idle': { type: 'string' }
  }
})
const overlay = values.overlay as Overlay
if (!['chord', 'kad', 'chord+kad', 'kad-quiet'].includes(overlay)) throw new Error(`--overlay must be chord, kad, chord+kad or kad-quiet, got ${String(overlay)}`)
const report = await measure(overlay, Number(values.n), values.seed as string, Number(values.keys), Number(values['idle-ms']), Number(values['settle-ms']), values['cpu-prof-idle'])
process.stdout.write(JSON.stringify(report) + '\n')
process.exit(0)
