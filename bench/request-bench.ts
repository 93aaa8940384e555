/**
 * Request benchmark: what one request on an open stream costs, the floor
 * under every hop of a route and every replica's store. Two peers in one
 * process; one sends requests one after the other to the other, after a
 * warm-up: a fetch of an absent key (the data lane) and getState (the ring
 * lane). Reports the round trip's median, p95 and p99 and the process's
 * CPU per request (both ends together: the whole stack, TCP, Noise, Yamux
 * and the peer protocol, in both directions), the median of `--runs`.
 *
 *   node dist/bench/request-bench.js [--requests 3000] [--runs 3]
 */
import { parseArgs } from 'node:util'
import { startRing, stopAll } from '../src/chord/testnet.js'
import { median, percentile, table, timeEach } from './stats.js'
import { waitFor } from '../test/utils/network.js'
import type { NodeRef } from '../src/ring/node-ref.js'
import type { Libp2pTransport } from '../src/network/libp2p-transport.js'

const { values } = parseArgs({ options: { requests: { type: 'string', default: '3000' }, runs: { type: 'string', default: '3' } } })
const requests = Number(values.requests)
const runs = Number(values.runs)
if (!(requests >= 100) || !(runs >= 1)) throw new Error('--requests takes an integer ≥ 100, --runs one ≥ 1')

interface Run { readonly p50: number, readonly p95: number, readonly p99: number, readonly cpuMs: number }

/** `requests` requests one after the other: their round trips and the CPU each cost. */
async function measure (send: () => Promise<unknown>): Promise<Run> {
  await timeEach(500, send)
  const cpu = process.cpuUsage()
  const ms = await timeEach(requests, send)
  const used = process.cpuUsage(cpu)
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), p99: percentile(ms, 99), cpuMs: (used.user + used.system) / 1000 / requests }
}

const peers = await startRing(2)
try {
  const chord = peers[0]?.services.chord
  if (chord === undefined) throw new Error('no peer started')
  const otherPeer = (): NodeRef | undefined => chord.testing.node.state.successors.find(s => s.peer !== chord.self.peer)
  await waitFor(() => otherPeer() !== undefined, 30_000, () => 'the two peers did not form a ring')
  const other = otherPeer() as NodeRef
  const transport: Libp2pTransport = chord.testing.transport
  const to: NodeRef = other
  const absent = new Uint8Array(16)
  const kinds: Array<[string, () => Promise<unknown>]> = [
    ['fetch (data lane)', async () => transport.fetch(to, [absent])],
    ['getState (ring lane)', async () => transport.getState(to)]
  ]
  const rows: Array<Array<string | number>> = []
  for (const [name, send] of kinds) {
    const done: Run[] = []
    for (let i = 0; i < runs; i++) done.push(await measure(send))
    const mid = (pick: (r: Run) => number): string => median(done.map(pick)).toFixed(3)
    rows.push([name, mid(r => r.p50), mid(r => r.p95), mid(r => r.p99), mid(r => r.cpuMs)])
  }
  console.log(`\nOne request on an open stream, 2 peers in one process, ${requests} one after the other, median of ${runs} runs (Node.js ${process.version})\n`)
  console.log(table(['request', 'round trip p50 ms', 'p95 ms', 'p99 ms', 'CPU per request ms'], rows))
} finally {
  await stopAll(peers)
}
