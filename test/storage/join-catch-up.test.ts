import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SimNetwork } from '../utils/sim-network.js'
import { replicasOf, settled, simRing, str, text } from '../utils/sim-data.js'
import { ringIdOfKey } from '../../src/ring/hash.js'
import { checkIdeal } from '../../src/ring/invariants.js'

/**
 * A joiner copies its arc from its successor, which owns the arc until it
 * hears of the joiner and may take writes for it meanwhile. On the
 * production ChordNode and DataNode over a simulated network (no periodic
 * repair or hand-off runs there, so only the join itself can bring the
 * write over).
 */
test('a write the old owner acknowledged after the joiner copied the arc reaches the joiner, even when its next successors joined too', async () => {
  const sim = new SimNetwork({ successors: 4 }, { data: { replication: { factor: 3, writeQuorum: 2 } } })
  const nodes = await simRing(sim, 5, 4)
  const key = text('raced')
  const id = ringIdOfKey(key)
  const [oldOwner] = replicasOf(sim, key, 1) as [string]
  const successor = sim.nodes.get(oldOwner)?.node.self
  assert.ok(successor !== undefined)
  // The joiner lands just past the key; two more join between it and the old owner afterwards.
  const gap = (successor.id - id) / 4n
  const joiner = sim.add({ peer: 'joiner', id: id + 1n })
  const next = [sim.add({ peer: 'next-1', id: id + gap }), sim.add({ peer: 'next-2', id: id + 2n * gap })]
  const via = (nodes[0] as (typeof nodes)[number]).self
  const entry = nodes.find(n => n.self.peer !== oldOwner)?.self.peer as string
  // The joiner's notify to the old owner is held: the old owner still owns the key after the copy.
  let held = true
  sim.links = (from, to, kind) => (held && from === 'joiner' && to === oldOwner && kind === 'notify' ? { delayMs: 400 } : undefined)
  const joining = joiner.join(via)
  await sim.clock.advance(200)
  assert.equal(held, true)
  const put = await settled(sim, sim.request(entry, { kind: 'put', key, value: text('v') }), 100)
  assert.equal(put.replicas, 3, 'acknowledged by the old owner and its successors')
  assert.equal(await sim.data('joiner').records.get(key), undefined, 'the write came after the copy')
  held = false
  await settled(sim, joining, 2000)
  for (const node of next) await settled(sim, node.join(via))
  for (let s = 0; checkIdeal(sim.snapshot(), 4).length > 0; s++) {
    assert.ok(s < 120, 'the ring became ideal')
    await sim.clock.advance(1000)
  }
  assert.deepEqual(replicasOf(sim, key, 3), ['joiner', 'next-1', 'next-2'], 'the old owner is no longer a replica')
  assert.equal(str((await sim.data('joiner').records.get(key))?.value), 'v', 'the joiner caught up with the old owner')
  assert.equal(str((await settled(sim, sim.request(entry, { kind: 'get', key }))).record?.value), 'v', 'never NOT_FOUND')
})
