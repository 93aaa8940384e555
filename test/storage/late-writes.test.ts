import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { SimNetwork } from '../utils/sim-network.js'
import { copiesOf, replicasOf, settled, simRing, str, text } from '../utils/sim-data.js'
import type { RouteReply } from '../../src/protocol/messages.js'

/**
 * Writes whose requests arrive late or twice, on the production ChordNode
 * and DataNode over a simulated network that delays and duplicates
 * messages (fake clock, no sockets): a write's version is fixed where it
 * entered the ring, so no copy of it can overtake a write acknowledged
 * after it.
 */

const R = 4
const K = 3
const others = (peers: readonly string[], ...not: string[]): string[] => peers.filter(p => !not.includes(p))

async function ringOf (n: number): Promise<{ sim: SimNetwork, peers: string[] }> {
  const sim = new SimNetwork({ successors: R }, { data: { replication: { factor: K, writeQuorum: 2 } } })
  const nodes = await simRing(sim, n, R)
  return { sim, peers: nodes.map(n => n.self.peer) }
}

async function get (sim: SimNetwork, peer: string, key: Uint8Array): Promise<string | undefined> {
  return str((await settled(sim, sim.request(peer, { kind: 'get', key }))).record?.value)
}

describe('writes that arrive late or twice', () => {
  test('a put held 25 s on its way to the owner, routed around meanwhile, cannot overwrite a put acknowledged after it', async () => {
    const { sim, peers } = await ringOf(6)
    const key = text('contested')
    const [owner, ...rest] = replicasOf(sim, key, K) as [string, ...string[]]
    // The first put frame to the owner sits in a send buffer for 25 s.
    let holding = true
    sim.links = (_from, to, kind) => {
      if (to !== owner || kind !== 'route:put' || !holding) return undefined
      holding = false
      return { delayMs: 25_000 }
    }
    const [entryA, entryB] = others(peers, owner) as [string, string]

    const a = await settled(sim, sim.request(entryA, { kind: 'put', key, value: text('A') }))
    assert.ok((a.replicas ?? 0) >= 2, 'A was acknowledged, by a route around the held hop')
    const b = await settled(sim, sim.request(entryB, { kind: 'put', key, value: text('B') }))
    assert.ok((b.replicas ?? 0) >= 2)
    assert.equal(sim.lateDeliveries, 0)

    await sim.clock.advance(30_000)
    assert.equal(sim.lateDeliveries, 1, 'the held put reached the owner after B was acknowledged')
    const bVersion = (b.record as NonNullable<RouteReply['record']>).version.timestamp
    assert.deepEqual(await copiesOf(sim, [owner, ...rest], key), [owner, ...rest].map(() => ({ value: 'B', timestamp: bVersion })))
    for (const p of peers) assert.equal(await get(sim, p, key), 'B')
  })

  test('every put and delete delivered three extra times, up to 40 s late, leaves the last acknowledged write everywhere', async () => {
    const { sim, peers } = await ringOf(6)
    sim.links = (_from, _to, kind) => (kind === 'route:put' || kind === 'route:del' ? { duplicatesAfterMs: [1000, 5000, 40_000] } : undefined)
    const keys = ['one', 'two', 'three'].map(text)
    const last = new Map<string, bigint>()
    for (const [i, key] of keys.entries()) {
      // Through a different entry peer each time: put, put, delete, put.
      const ops = [
        { kind: 'put' as const, key, value: text(`first-${i}`) },
        { kind: 'put' as const, key, value: text(`second-${i}`) },
        { kind: 'del' as const, key },
        { kind: 'put' as const, key, value: text(`final-${i}`) }
      ]
      for (const [j, op] of ops.entries()) {
        const reply = await settled(sim, sim.request(peers[(i + j) % peers.length] as string, op), 100)
        last.set(str(key) as string, (reply.record as NonNullable<RouteReply['record']>).version.timestamp)
      }
    }
    await sim.clock.advance(60_000)
    for (const [i, key] of keys.entries()) {
      const replicas = replicasOf(sim, key, K)
      const version = last.get(str(key) as string)
      assert.deepEqual(await copiesOf(sim, replicas, key), replicas.map(() => ({ value: `final-${i}`, timestamp: version })), `key ${str(key)}`)
      for (const p of peers) assert.equal(await get(sim, p, key), `final-${i}`)
    }
  })

  test('a put through a peer whose clock lags is stamped again above the newer version it met, so it still wins', async () => {
    const { sim, peers } = await ringOf(5)
    const key = text('skewed')
    const [owner] = replicasOf(sim, key, K) as [string]
    const [fast, slow] = others(peers, owner) as [string, string]
    sim.skewMs.set(fast, 2000)
    const early = await settled(sim, sim.request(fast, { kind: 'put', key, value: text('early') }), 100)
    const late = await settled(sim, sim.request(slow, { kind: 'put', key, value: text('late') }), 100)
    const version = (reply: RouteReply): bigint => (reply.record as NonNullable<RouteReply['record']>).version.timestamp
    assert.ok(version(late) > version(early), 'the later put carries the newer version')
    assert.equal(late.replicas, K)
    for (const p of peers) assert.equal(await get(sim, p, key), 'late')
  })

  test('a write stamped more than a minute ahead of the owner\'s clock is refused, and nothing is stored', async () => {
    const { sim, peers } = await ringOf(5)
    const key = text('from-the-future')
    const replicas = replicasOf(sim, key, K)
    const [ahead] = others(peers, ...replicas) as [string]
    sim.skewMs.set(ahead, 120_000)
    await assert.rejects(settled(sim, sim.request(ahead, { kind: 'put', key, value: text('x') })), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'BAD_REQUEST')
      assert.match(err.message, /a put version 12\d{4} ms ahead of this peer's clock is refused \(at most 60000 ms/)
      return true
    })
    assert.deepEqual(await copiesOf(sim, replicas, key), replicas.map(() => ({ value: undefined, timestamp: undefined })))
  })
})
