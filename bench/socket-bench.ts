/**
 * Data-path benchmark: put and get through a peer's control socket (what a
 * script sees) on N peers in one process, sequential and pipelined, and the
 * comparison of two ways to reach a key's owner:
 *   carry  — the operation travels along the recursive lookup path;
 *   direct — look the owner up, then send the operation straight to it.
 *
 *   npm run bench                    (runs this after the ring benchmark)
 *   node dist/bench/socket-bench.js --sizes 16,64 --ops 2000
 */
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { logger } from '@libp2p/logger'
import { chordControlApi } from '../src/chord/control-api.js'
import { ControlClient } from '../src/control/client.js'
import { ControlServer } from '../src/control/server.js'
import { ringIdOfKey } from '../src/ring/hash.js'
import { checkIdeal } from '../src/ring/invariants.js'
import { startRing, stopAll } from '../src/chord/testnet.js'
import { percentile, sleep, table, timeEach } from './stats.js'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import type { ChordPeer } from '../src/chord/peer.js'
import type { ClientOp } from '../src/protocol/messages.js'

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '16,64' }, ops: { type: 'string', default: '2000' } } })
const sizes = (values.sizes ?? '16,64').split(',').map(Number)
const ops = Number(values.ops)
const PIPELINE = 64

/** Quick maintenance so the ring is ready fast; the data path does not depend on it. */
const RING = { stabilizeIntervalMs: 200, fixFingersIntervalMs: 50 }

async function converged (peers: readonly ChordPeer[]): Promise<void> {
  const snapshot = (): Map<string, ReturnType<ChordPeer['services']['chord']['node']['snapshot']>> =>
    new Map(peers.map(p => [p.services.chord.self.peer, p.services.chord.snapshot()]))
  const deadline = Date.now() + 180_000
  while (checkIdeal(snapshot(), 8).length > 0) {
    if (Date.now() > deadline) throw new Error(`the ring of ${peers.length} did not converge within 3 minutes`)
    await sleep(50)
  }
  // a few fix-finger passes
  await sleep(60 * Math.ceil(Math.log2(peers.length)) * 2)
}

/** Runs `n` requests keeping `depth` in flight; returns ops per second. */
async function pipelined (n: number, depth: number, request: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0
  const t0 = performance.now()
  await Promise.all(Array.from({ length: depth }, async () => {
    while (next < n) await request(next++)
  }))
  return n / ((performance.now() - t0) / 1000)
}

interface SocketReport { n: number, putP50: number, putP99: number, getP50: number, getP99: number, putOps: number, getOps: number }

async function benchSocket (n: number): Promise<SocketReport> {
  const peers = await startRing(n, RING, 120_000)
  await converged(peers)
  const path = join(await mkdtemp(join(tmpdir(), 'chordkv-bench-')), 'chordkv.sock')
  const server = new ControlServer(chordControlApi(peers[0] as ChordPeer, () => ({ handoff: false, done: Promise.resolve() })), { path, maxLineBytes: 4 * 1024 * 1024, log: logger('bench') })
  await server.listen()
  const client = await ControlClient.connect(path)
  const keys = Array.from({ length: ops }, (_, i) => `key-${i}-${randomBytes(4).toString('hex')}`)
  const value = randomBytes(100).toString('base64')

  await timeEach(200, async i => client.request({ op: 'get', key: keys[i] }))
  const put = await timeEach(ops, async i => client.request({ op: 'put', key: keys[i], value }))
  const get = await timeEach(ops, async i => client.request({ op: 'get', key: keys[i] }))
  const putOps = await pipelined(ops, PIPELINE, async i => client.request({ op: 'put', key: keys[i], value }))
  const getOps = await pipelined(ops, PIPELINE, async i => client.request({ op: 'get', key: keys[i] }))

  client.close()
  await server.close()
  await stopAll(peers)
  return { n, putP50: percentile(put, 50), putP99: percentile(put, 99), getP50: percentile(get, 50), getP99: percentile(get, 99), putOps, getOps }
}

/** Carry vs direct on the same converged ring, from every peer in turn. */
async function benchOpModes (n: number): Promise<Array<[string, number, number, number, number]>> {
  const peers = await startRing(n, RING, 120_000)
  await converged(peers)
  const keys = Array.from({ length: ops }, (_, i) => new TextEncoder().encode(`mode-${i}-${randomBytes(4).toString('hex')}`))
  const value = randomBytes(100)
  const carry = async (peer: ChordPeer, op: ClientOp): Promise<unknown> => peer.services.chord.testing.node.send(ringIdOfKey(op.key), peer.services.chord.testing.data.entry.stamp(op))
  // A lookup, then the operation sent straight to the owner (a route request whose path starts here).
  const direct = async (peer: ChordPeer, op: ClientOp): Promise<unknown> => {
    const key = ringIdOfKey(op.key)
    const { node, transport, data } = peer.services.chord.testing
    const { owner } = await node.lookup(key)
    const stamped = data.entry.stamp(op)
    if (owner.peer === node.self.peer) return node.send(key, stamped)
    return transport.route(owner, { key, path: [node.self.peer], budgetMs: node.options.lookupTimeoutMs, op: stamped })
  }
  const rows: Array<[string, number, number, number, number]> = []
  for (const [name, send] of [['carry (default)', carry], ['direct', direct], ['carry again', carry], ['direct again', direct]] as const) {
    const put = await timeEach(ops, async i => send(peers[i % n] as ChordPeer, { kind: 'put', key: keys[i] as Uint8Array, value }))
    const get = await timeEach(ops, async i => send(peers[(i * 7) % n] as ChordPeer, { kind: 'get', key: keys[i] as Uint8Array }))
    rows.push([name, percentile(put, 50), percentile(put, 99), percentile(get, 50), percentile(get, 99)])
  }
  await stopAll(peers)
  return rows
}

const reports: SocketReport[] = []
for (const n of sizes) {
  reports.push(await benchSocket(n))
  console.error(`control socket, N = ${n} done`)
}
console.log(`\n## put / get through the control socket (${ops} ops, 100-byte values; pipelined: ${PIPELINE} in flight on one connection)\n`)
console.log(table(
  ['N', 'put p50 ms', 'put p99 ms', 'get p50 ms', 'get p99 ms', 'put pipelined ops/s', 'get pipelined ops/s'],
  reports.map(r => [r.n, r.putP50, r.putP99, r.getP50, r.getP99, Math.round(r.putOps), Math.round(r.getOps)])
))

const n = sizes.at(-1) ?? 64
const modes = await benchOpModes(n)
console.log(`\n## Reaching the owner: carry the operation along the lookup vs lookup then contact it (N = ${n}, ${ops} ops from every peer in turn; "again" reruns with connections already open)\n`)
console.log(table(['mode', 'put p50 ms', 'put p99 ms', 'get p50 ms', 'get p99 ms'], modes))
