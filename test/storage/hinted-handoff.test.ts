import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { SimNetwork, type SimDataOptions } from '../utils/sim-network.js'
import { replicasOf, settled, simRing, text } from '../utils/sim-data.js'

/**
 * Hinted hand-off on the production DataNode over a simulated network (no
 * periodic repair runs there): a replica that misses writes gets them when
 * it answers again, without a repair pass.
 */

const R = 4
const K = 3

interface Scene {
  sim: SimNetwork
  owner: string
  /** The owner's first successor, cut off from its stores. */
  missing: string
  others: string[]
  keys: Uint8Array[]
}

/** A ring whose owner `owner` writes 10 keys while stores to its first successor are lost. */
async function scene (data: SimDataOptions['data'] = {}): Promise<Scene> {
  const sim = new SimNetwork({ successors: R }, { data: { replication: { factor: K, writeQuorum: 2 }, ...data } })
  const nodes = await simRing(sim, 6, R)
  const owner = (nodes[2] as { self: { peer: string } }).self.peer
  const keys: Uint8Array[] = []
  for (let i = 0; keys.length < 10; i++) {
    const key = text(`key-${i}`)
    if (replicasOf(sim, key, K)[0] === owner) keys.push(key)
  }
  const [, missing, ...others] = replicasOf(sim, keys[0] as Uint8Array, K + 1) as [string, string, ...string[]]
  sim.links = (from, to, kind) => (from === owner && to === missing && kind === 'store' ? { delayMs: Number.POSITIVE_INFINITY } : undefined)
  for (const [i, key] of keys.entries()) {
    const reply = await settled(sim, sim.request(owner, { kind: 'put', key, value: text(`v${i}`) }), 1000)
    // The next successor stands in for the missing replica: still k copies.
    assert.equal(reply.replicas, K)
  }
  return { sim, owner, missing, others, keys }
}

async function held (sim: SimNetwork, peer: string, keys: readonly Uint8Array[]): Promise<number> {
  return (await Promise.all(keys.map(async k => sim.data(peer).records.get(k)))).filter(r => r !== undefined).length
}

describe('hinted hand-off', () => {
  test('writes a replica missed are kept for it and delivered once it answers again, with no repair pass', async () => {
    const { sim, owner, missing, keys } = await scene()
    assert.equal(await held(sim, missing, keys), 0)
    assert.deepEqual({ ...sim.data(owner).hintStats, bytes: 0 }, { records: 10, bytes: 0, replicas: 1, delivered: 0, dropped: 0, overflowed: 0 })
    // Still cut off: nothing is delivered, nothing is lost.
    await settled(sim, sim.data(owner).deliverHints(), 20_000)
    assert.equal(sim.data(owner).hintStats.records, 10)

    sim.links = () => undefined
    await sim.clock.advance(20_000) // its suspicion expires
    assert.equal(await settled(sim, sim.data(owner).deliverHints()), 10)
    assert.equal(await held(sim, missing, keys), 10)
    assert.deepEqual({ ...sim.data(owner).hintStats, bytes: 0 }, { records: 0, bytes: 0, replicas: 0, delivered: 10, dropped: 0, overflowed: 0 })
  })

  test('a repair pass that brought the replica up to date makes its hints unnecessary', async () => {
    const { sim, owner, missing, keys } = await scene()
    sim.links = () => undefined
    await sim.clock.advance(20_000)
    await settled(sim, sim.data(owner).repair())
    assert.equal(await held(sim, missing, keys), 10)
    assert.deepEqual({ ...sim.data(owner).hintStats, bytes: 0 }, { records: 0, bytes: 0, replicas: 0, delivered: 0, dropped: 10, overflowed: 0 })
  })

  test('hints for a peer that is no longer a replica (it crashed and the ring closed over it) are dropped', async () => {
    const { sim, owner, missing } = await scene()
    sim.kill(missing)
    await sim.clock.advance(30_000)
    assert.ok(!sim.nodes.get(owner)?.node.state.successors.some(s => s.peer === missing), 'the ring dropped the crashed peer')
    await settled(sim, sim.data(owner).deliverHints())
    assert.deepEqual({ ...sim.data(owner).hintStats, bytes: 0 }, { records: 0, bytes: 0, replicas: 0, delivered: 0, dropped: 10, overflowed: 0 })
  })

  test('hints are bounded: beyond the limit the oldest are dropped and counted', async () => {
    const { sim, owner, missing, keys } = await scene({ hints: { maxRecords: 4, maxBytes: 1 << 20 } })
    assert.deepEqual({ ...sim.data(owner).hintStats, bytes: 0 }, { records: 4, bytes: 0, replicas: 1, delivered: 0, dropped: 0, overflowed: 6 })
    sim.links = () => undefined
    await sim.clock.advance(20_000)
    assert.equal(await settled(sim, sim.data(owner).deliverHints()), 4)
    // The newest four: the ones still kept.
    assert.equal(await held(sim, missing, keys.slice(6)), 4)
  })
})
