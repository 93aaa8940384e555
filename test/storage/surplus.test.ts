import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SimNetwork } from '../utils/sim-network.js'
import { refOf, replicasOf, settled, simRing, text, untilIdeal } from '../utils/sim-data.js'

/**
 * Hand-off's check for surplus records, on the production DataNode over a
 * simulated network: it must not cost the ring anything for the arcs a peer
 * replicates (at rest that is every record it holds), and must still hand on
 * what a join made surplus.
 */

const R = 4
const K = 3

/**
 * Runs one hand-off pass on every live peer; returns the records they
 * deleted. Requests are delivered at once and the clock stands still, so
 * no other maintenance runs meanwhile.
 */
async function handOffAll (sim: SimNetwork): Promise<number> {
  let removed = 0
  for (const [peer, { alive }] of sim.nodes) if (alive) removed += await sim.data(peer).dropSurplus()
  return removed
}

/** Every key's holders, against the k peers that should hold it. */
async function misplaced (sim: SimNetwork, keys: readonly Uint8Array[]): Promise<string[]> {
  const wrong: string[] = []
  for (const key of keys) {
    const holders: string[] = []
    for (const [peer, { data }] of sim.nodes) if (await data?.records.get(key) !== undefined) holders.push(peer)
    const want = replicasOf(sim, key, K)
    if (holders.sort().join() !== want.sort().join()) wrong.push(`${new TextDecoder().decode(key)}: on ${holders.join()} not ${want.join()}`)
  }
  return wrong
}

test('at rest hand-off sends no lookup or state read for the arcs a peer replicates; after a join it hands the surplus on', async () => {
  const sim = new SimNetwork({ successors: R }, { data: { replication: { factor: K, writeQuorum: 2 } } })
  await simRing(sim, 8, R)
  // simRing's first node, node-0, founded the ring.
  const first = refOf(0)
  const keys = Array.from({ length: 120 }, (_, i) => text(`key-${i}`))
  for (const key of keys) await settled(sim, sim.request(first.peer, { kind: 'put', key, value: text('v') }))
  // Owners tell their replicas which arcs they hold for them on every pass.
  await settled(sim, sim.repairAll())
  assert.deepEqual(await misplaced(sim, keys), [])

  let asked = 0
  sim.links = (_from, _to, kind) => {
    if (kind.startsWith('route:') || kind === 'getState') asked++
    return undefined
  }
  assert.equal(await handOffAll(sim), 0)
  assert.equal(asked, 0, 'hand-off asked the ring about records in arcs their owners said this peer replicates')
  sim.links = () => undefined

  // A join puts each key in its arc on one peer fewer than before: those copies are surplus.
  const joiner = sim.add(refOf(8))
  await settled(sim, joiner.join(first))
  await untilIdeal(sim, R)
  await settled(sim, sim.repairAll())
  let handedOn = 0
  for (let pass = 0; pass < 3; pass++) handedOn += await handOffAll(sim)
  assert.ok(handedOn > 0, 'the join left surplus copies to hand on')
  assert.deepEqual(await misplaced(sim, keys), [])
})
