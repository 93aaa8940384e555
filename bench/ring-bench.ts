/**
 * Ring benchmark: for N peers in one process (real TCP + Noise + Yamux on
 * loopback, default maintenance periods) it reports lookup hops against
 * ½·log2 N, lookup latency, the raw round trip of one request on an open
 * stream (the per-hop floor) against a new stream per request, the time to
 * converge from a cold start, and RSS per peer.
 *
 *   npm run bench                 N = 16 and 64
 *   npm run bench -- --sizes 16,32,128
 */
import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import { peerIdFromString } from '@libp2p/peer-id'
import { RpcChannel } from '../src/network/rpc-channel.js'
import { DEFAULT_MAX_FRAME_SIZE, PROTOCOL } from '../src/protocol/constants.js'
import { checkIdeal } from '../src/ring/invariants.js'
import { startRing, stopAll, type RingInit } from '../src/chord/testnet.js'
import { wrongFingers } from './fingers.js'
import { mean, percentile, rssMiB, sleep, table, timeEach } from './stats.js'
import type { ChordPeer } from '../src/chord/peer.js'
import type { NodeSnapshot } from '../src/ring/invariants.js'
import type { NodeRef } from '../src/ring/node-ref.js'

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '16,64' }, lookups: { type: 'string', default: '1000' } } })
const sizes = (values.sizes ?? '16,64').split(',').map(Number)
const lookups = Number(values.lookups)

interface RingReport {
  n: number
  joinMs: number
  idealMs: number
  fingersMs: number
  hopsMean: number
  hopsP99: number
  lookupP50: number
  lookupP99: number
  rssPerPeer: number
}

function snapshot (peers: readonly ChordPeer[]): Map<string, NodeSnapshot> {
  return new Map(peers.map(p => [p.services.chord.self.peer, p.services.chord.snapshot()]))
}

/** Whether every finger of every peer points at the true successor of its start. */
function fingersComplete (peers: readonly ChordPeer[]): boolean {
  const ids = peers.map(p => p.services.chord.self.id).sort((a, b) => (a < b ? -1 : 1))
  return peers.every(p => wrongFingers(p, ids).wrong === 0)
}

async function until (check: () => boolean, timeoutMs: number): Promise<number> {
  const t0 = performance.now()
  while (!check()) {
    if (performance.now() - t0 > timeoutMs) throw new Error('did not converge in time')
    await sleep(20)
  }
  return performance.now()
}

async function benchRing (n: number, init: RingInit): Promise<RingReport> {
  const rssBefore = rssMiB()
  const t0 = performance.now()
  const peers = await startRing(n, init, 120_000)
  const joined = performance.now()
  const r = peers[0]?.services.chord.status().successorListLength ?? 8
  const ideal = await until(() => checkIdeal(snapshot(peers), r).length === 0, 120_000)
  const fingers = await until(() => fingersComplete(peers), 120_000)
  const rssPerPeer = (rssMiB() - rssBefore) / n

  const hops: number[] = []
  const latency = await timeEach(lookups, async i => {
    const from = peers[i % n] as ChordPeer
    const reply = await from.services.chord.lookup(randomBytes(16))
    hops.push(reply.hops)
  })
  await stopAll(peers)
  return {
    n,
    joinMs: joined - t0,
    idealMs: ideal - t0,
    fingersMs: fingers - t0,
    hopsMean: mean(hops),
    hopsP99: percentile(hops, 99),
    lookupP50: percentile(latency, 50),
    lookupP99: percentile(latency, 99),
    rssPerPeer
  }
}

/**
 * Round trip of one request between two neighbours: over the long-lived
 * stream the peer keeps per neighbour and lane, and over a new stream for
 * each request, closed after the reply (what sharing saves).
 */
async function benchStreams (): Promise<{ shared: number[], perRequest: number[] }> {
  const peers = await startRing(16, { stabilizeIntervalMs: 200, fixFingersIntervalMs: 100 }, 60_000)
  await until(() => checkIdeal(snapshot(peers), 8).length === 0 && fingersComplete(peers), 60_000)
  const a = peers[0] as ChordPeer
  const b = a.services.chord.status().successors[0] as NodeRef
  const transport = a.services.chord.testing.transport
  await timeEach(200, async () => transport.ping(b))
  const shared = await timeEach(2000, async () => transport.ping(b))
  const perRequest = await timeEach(2000, async () => {
    const channel = new RpcChannel(await a.dialProtocol(peerIdFromString(b.peer), PROTOCOL), b.peer, DEFAULT_MAX_FRAME_SIZE, 1)
    try {
      await channel.call({ ping: {} }, { timeoutMs: 5000 })
    } finally {
      channel.close()
    }
  })
  await stopAll(peers)
  return { shared, perRequest }
}

const reports: RingReport[] = []
for (const n of sizes) {
  reports.push(await benchRing(n, {}))
  console.error(`N = ${n} done`)
}

console.log(`## Ring (default maintenance: stabilize every 2 s, one finger every 5 s, both backing off to 4× while nothing changes), ${lookups} lookups from every peer in turn\n`)
console.log(table(
  ['N', '½·log2 N', 'hops mean', 'hops p99', 'lookup p50 ms', 'lookup p99 ms', 'all joined ms', 'ideal ring ms', 'all fingers ms', 'RSS/peer MiB'],
  reports.map(r => [r.n, 0.5 * Math.log2(r.n), r.hopsMean, r.hopsP99, r.lookupP50, r.lookupP99, Math.round(r.joinMs), Math.round(r.idealMs), Math.round(r.fingersMs), r.rssPerPeer])
))

const streams = await benchStreams()
console.log('\n## One long-lived stream per neighbour vs a new stream per request (N = 16)\n')
console.log(table(
  ['stream', 'request RTT p50 ms', 'request RTT p99 ms'],
  [
    ['shared (what the peer does)', percentile(streams.shared, 50), percentile(streams.shared, 99)],
    ['a new one per request', percentile(streams.perRequest, 50), percentile(streams.perRequest, 99)]
  ]
))
console.log(`\nper-request/shared ratio: request RTT p50 ${(percentile(streams.perRequest, 50) / percentile(streams.shared, 50)).toFixed(2)}`)
