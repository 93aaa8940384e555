import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SimNetwork } from '../utils/sim-network.js'
import { replicasOf, settled, simRing, str, text, untilIdeal } from '../utils/sim-data.js'
import { ringIdOfKey } from '../../src/ring/hash.js'

/**
 * A joiner copies its arc from its successor, which owns the arc until it
 * hears of the joiner and may take writes for it meanwhile. On the
 * production ChordNode and DataNode over a simulated network (no periodic
 * repair or hand-off runs there, so only the join itself can bring the
 * write over): the old owner sends such a write to the joiner too, and the
 * joiner catches up with it by digest once its predecessor adopted it,
 * before it serves any key.
 */

/** Milliseconds past the end of any test: a request held this long never arrives. */
const NEVER = 1e9

/**
 * A ring of 5 (r = 4, k = 3), a key, a joiner just past it and two more
 * peers to join between the joiner and the key's old owner afterwards. The
 * joiner's notify to the old owner is held until `release()`, so the old
 * owner still owns the key after the joiner copied it; `drop(kinds)`
 * loses the joiner's requests of those kinds to the old owner and the old
 * owner's to the joiner.
 */
async function racedJoin (before?: string) {
  const sim = new SimNetwork({ successors: 4 }, { data: { replication: { factor: 3, writeQuorum: 2 } } })
  const nodes = await simRing(sim, 5, 4)
  const key = text('raced')
  if (before !== undefined) await settled(sim, sim.request(nodes[0]?.self.peer as string, { kind: 'put', key, value: text(before) }), 100)
  const id = ringIdOfKey(key)
  const [oldOwner] = replicasOf(sim, key, 1) as [string]
  const successor = sim.nodes.get(oldOwner)?.node.self
  assert.ok(successor !== undefined)
  const gap = (successor.id - id) / 4n
  const joiner = sim.add({ peer: 'joiner', id: id + 1n })
  const next = [sim.add({ peer: 'next-1', id: id + gap }), sim.add({ peer: 'next-2', id: id + 2n * gap })]
  const via = (nodes[0] as (typeof nodes)[number]).self
  const entry = nodes.find(n => n.self.peer !== oldOwner)?.self.peer as string
  let held = true
  let dropped = new Set<string>()
  sim.links = (from, to, kind) => {
    const between = (from === 'joiner' && to === oldOwner) || (from === oldOwner && to === 'joiner')
    if (!between) return undefined
    if (dropped.has(kind)) return { delayMs: NEVER }
    return held && from === 'joiner' && kind === 'notify' ? { delayMs: 400 } : undefined
  }
  const joining = joiner.join(via)
  await sim.clock.advance(200)
  assert.equal(held, true)
  return {
    sim,
    key,
    entry,
    oldOwner,
    drop: (kinds: readonly string[]) => { dropped = new Set(kinds) },
    /** Lets the notify through and ends the join. */
    async notify () {
      held = false
      await settled(sim, joining, 2000)
    },
    /** Lets the notify through, ends the join, joins the next two and waits for the ideal ring. */
    async release () {
      await this.notify()
      for (const node of next) await settled(sim, node.join(via))
      await untilIdeal(sim, 4)
      assert.deepEqual(replicasOf(sim, key, 3), ['joiner', 'next-1', 'next-2'], 'the old owner is no longer a replica')
    }
  }
}

test('a write the old owner acknowledged after the joiner copied the arc is on the joiner when acknowledged, with no catch-up', async () => {
  const race = await racedJoin()
  const { sim, key, entry } = race
  // The joiner's catch-up with the old owner fails: the old owner's copy of the write alone must do.
  race.drop(['summary', 'digests', 'fetch'])
  const put = await settled(sim, sim.request(entry, { kind: 'put', key, value: text('v') }), 100)
  assert.equal(put.replicas, 3, 'acknowledged by the old owner and its successors')
  assert.equal(str((await sim.data('joiner').records.get(key))?.value), 'v', 'the old owner sent it to the joiner before acknowledging it')
  // The joiner serves its keys only once it caught up: the next peers join in front of the old owner only then.
  race.drop([])
  await race.release()
  assert.equal(str((await settled(sim, sim.request(entry, { kind: 'get', key }))).record?.value), 'v', 'never NOT_FOUND')
})

test('a write the old owner could not send to the joiner reaches it by the catch-up, even when its next successors joined too', async () => {
  const race = await racedJoin()
  const { sim, key, entry } = race
  race.drop(['store'])
  const putting = sim.request(entry, { kind: 'put', key, value: text('v') })
  await sim.clock.advance(100)
  assert.equal(str((await sim.data(race.oldOwner).records.get(key))?.value), 'v', 'the old owner took the write')
  assert.equal(await sim.data('joiner').records.get(key), undefined, 'the write came after the copy and its copy to the joiner is lost')
  const put = await settled(sim, putting, 1000)
  assert.equal(put.replicas, 3, 'acknowledged by the old owner and its successors')
  await race.release()
  assert.equal(str((await sim.data('joiner').records.get(key))?.value), 'v', 'the joiner caught up with the old owner')
  assert.equal(str((await settled(sim, sim.request(entry, { kind: 'get', key }))).record?.value), 'v', 'never NOT_FOUND')
})

test('a joiner serves no key before it caught up with its successor: meanwhile a read it would answer from an older copy is answered by the successor, also one entering at the joiner', async () => {
  const race = await racedJoin('old')
  const { sim, key, entry } = race
  for (let ms = 0; ms < 1000 && await sim.data('joiner').records.get(key) === undefined; ms += 10) await sim.clock.advance(10)
  assert.equal(str((await sim.data('joiner').records.get(key))?.value), 'old', 'the joiner copied the old value')
  // The old owner's copy of the next write to the joiner is lost, and so is the joiner's catch-up.
  race.drop(['store', 'summary', 'digests', 'fetch'])
  assert.equal((await settled(sim, sim.request(entry, { kind: 'put', key, value: text('new') }), 1000)).replicas, 3)
  await race.notify()
  await sim.clock.advance(3000)
  assert.ok(sim.nodes.get('joiner')?.node.state.predecessor !== undefined, 'its predecessor adopted it')
  assert.equal(str((await sim.data('joiner').records.get(key))?.value), 'old', 'it still holds the old value')
  assert.equal(str((await settled(sim, sim.request(entry, { kind: 'get', key }), 1000)).record?.value), 'new', 'never the old value')
  const atJoiner = await settled(sim, sim.request('joiner', { kind: 'get', key }), 1000)
  assert.equal(str(atJoiner.record?.value), 'new', 'a get entering at the joiner is served by its successor')
  assert.equal(atJoiner.owner.peer, race.oldOwner)
  race.drop([])
  // The data tasks try again every second (no periodic task runs in the simulation).
  assert.equal(await settled(sim, sim.data('joiner').settle(), 1000), true, 'settled once it could catch up')
  assert.equal(str((await sim.data('joiner').records.get(key))?.value), 'new', 'caught up')
  await race.release()
  assert.equal(str((await settled(sim, sim.request(entry, { kind: 'get', key }))).record?.value), 'new')
})

test('a peer still joining (its copy of the arc held up) relays its clients\' operations to the member it joins through', async () => {
  const sim = new SimNetwork({ successors: 4 }, { data: { replication: { factor: 3, writeQuorum: 2 } } })
  const nodes = await simRing(sim, 5, 4)
  const via = (nodes[0] as (typeof nodes)[number]).self
  const key = text('early')
  await settled(sim, sim.request(via.peer, { kind: 'put', key, value: text('before') }), 100)
  sim.links = (from, _to, kind) => from === 'joiner' && kind === 'range' ? { delayMs: NEVER } : undefined
  const joiner = sim.add({ peer: 'joiner', id: ringIdOfKey(key) + 1n })
  void joiner.join(via).catch(() => {})
  await sim.clock.advance(100)
  assert.equal(joiner.state.joined, false, 'still joining')
  assert.equal(str((await settled(sim, sim.request('joiner', { kind: 'get', key }), 1000)).record?.value), 'before')
  const put = await settled(sim, sim.request('joiner', { kind: 'put', key, value: text('during') }), 1000)
  assert.equal(put.replicas, 3)
  assert.deepEqual(put.path.slice(0, 2), ['joiner', via.peer], 'the joiner sent it to the member it joins through')
  assert.equal(str((await settled(sim, sim.request(via.peer, { kind: 'get', key }), 1000)).record?.value), 'during')
})
