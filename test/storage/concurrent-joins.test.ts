import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SimNetwork } from '../utils/sim-network.js'
import { inRingOrder, simRing, str, text, untilIdeal } from '../utils/sim-data.js'
import { ringIdOfKey } from '../../src/ring/hash.js'
import { betweenRightIncl } from '../../src/ring/ids.js'
import type { ChordNode } from '../../src/chord/node.js'
import type { NodeRef } from '../../src/ring/node-ref.js'

/**
 * Peers joining one gap of the ring at the same moment (an orchestrator
 * scaling a ring of 3 to 8) while clients write and read keys of that gap,
 * on the production ChordNode and DataNode over a simulated network whose
 * messages take 0–300 ms. A joiner is an appendage until its predecessor
 * adopts it: were it to serve keys meanwhile, it would take writes for
 * another joiner's keys that the other never sees, which later answers
 * NOT_FOUND or an old value for them.
 */

const R = 3
const JOINERS = 5
const RUN_MS = 4000
/** Each message takes up to this long (ms): a busy machine's. */
const MAX_DELAY_MS = 300

/** A seeded generator, so that each seed replays the same run. */
function seeded (seed: number): () => number {
  let s = seed
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648
    return s / 2147483648
  }
}

/** Joins `node` through `via`, again after a pause while the ring turns it away (as join-or-found would). */
async function joinUntilDone (sim: SimNetwork, node: ChordNode, via: ChordNode): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await node.join(via.self)
      return
    } catch (err) {
      if (attempt >= 20) throw err
      await new Promise(resolve => sim.clock.setTimeout(() => { resolve(undefined) }, 500))
    }
  }
}

/** Lets simulated time run until every one of `pending` has settled; fails after a simulated minute. */
async function settledAll (sim: SimNetwork, pending: ReadonlyArray<Promise<unknown>>): Promise<void> {
  let left = pending.length
  for (const p of pending) p.then(() => { left-- }, () => { left-- })
  for (let ms = 0; ms < 60_000 && left > 0; ms += 100) await sim.clock.advance(100)
  assert.equal(left, 0, `${left} of ${pending.length} still under way after a simulated minute`)
  await Promise.all(pending)
}

for (const seed of [1, 2, 3, 4]) {
  test(`five peers joining one gap at once while it is written and read (seed ${seed}): no acknowledged key NOT_FOUND or stale, then or after`, { timeout: 120_000 }, async () => {
    const random = seeded(seed)
    const sim = new SimNetwork({ successors: R }, { data: { replication: { factor: 3, writeQuorum: 2 } } }, seed)
    const ring = await simRing(sim, 3, R)
    const [a, b] = inRingOrder(sim, ring.map(n => n.self.peer)).map(p => sim.nodes.get(p)?.node as ChordNode) as [ChordNode, ChordNode]
    const gap = (b.self.id - a.self.id + 2n ** 256n) % 2n ** 256n
    const joiners = Array.from({ length: JOINERS }, (_, i) => sim.add({ peer: `joiner-${i}`, id: (a.self.id + gap * BigInt(i + 1) / BigInt(JOINERS + 1)) % 2n ** 256n }))
    const inGap = (key: Uint8Array): boolean => betweenRightIncl(a.self.id, ringIdOfKey(key), b.self.id)
    sim.links = () => ({ delayMs: Math.floor(random() * MAX_DELAY_MS) })

    const members = (): string[] => [...sim.nodes.entries()].filter(([, e]) => e.node.snapshot().member).map(([p]) => p)
    const acked = new Map<string, string>()
    const seen = { reads: 0, notFound: [] as string[], stale: [] as string[] }
    const pending: Array<Promise<unknown>> = []
    const track = (request: Promise<unknown>): void => { pending.push(request) }
    const joining = joiners.map(async (j, i) => joinUntilDone(sim, j, ring[i % ring.length] as ChordNode))
    let n = 0
    for (let t = 0; t < RUN_MS; t += 20) {
      const peers = members()
      const entry = (): string => peers[Math.floor(random() * peers.length)] as string
      let key: Uint8Array
      do key = text(`k-${n++}`); while (!inGap(key))
      const name = str(key) as string
      track(sim.request(entry(), { kind: 'put', key, value: text(`v-${name}`) }).then(() => { acked.set(name, `v-${name}`) }, () => {}))
      const written = [...acked.keys()]
      if (written.length > 0) {
        const old = written[Math.floor(random() * written.length)] as string
        track(sim.request(entry(), { kind: 'get', key: text(old) }).then(reply => {
          seen.reads++
          if (reply.record === undefined) seen.notFound.push(old)
          else if (str(reply.record.value) !== acked.get(old)) seen.stale.push(old)
        }, () => {}))
      }
      await sim.clock.advance(20)
    }
    await settledAll(sim, pending)
    sim.links = () => undefined
    await settledAll(sim, joining)
    await untilIdeal(sim, R)
    assert.ok(acked.size >= 50 && seen.reads >= 50, `enough traffic to mean something: ${acked.size} writes acknowledged, ${seen.reads} reads answered`)
    assert.deepEqual([seen.notFound, seen.stale], [[], []], 'while the peers joined, every acknowledged key read back with its value')

    const after = { notFound: [] as string[], stale: [] as string[] }
    for (const [name, value] of acked) {
      const reply = await sim.request(joiners[0]?.self.peer as string, { kind: 'get', key: text(name) })
      if (reply.record === undefined) after.notFound.push(name)
      else if (str(reply.record.value) !== value) after.stale.push(name)
    }
    assert.deepEqual([after.notFound, after.stale], [[], []], 'once the ring is ideal, every acknowledged key reads back with its value')
  })
}

test('a peer lets another copy its arc only from its predecessor as it is now, one joiner at a time, and only once it serves its own keys', async () => {
  const sim = new SimNetwork({ successors: R }, { data: { replication: { factor: 3, writeQuorum: 2 } } })
  const ring = await simRing(sim, 3, R)
  const host = ring[0] as ChordNode
  const pred = host.state.predecessor
  assert.ok(pred !== undefined)
  const gap = (host.self.id - pred.id + 2n ** 256n) % 2n ** 256n
  const [first, second] = [1n, 2n].map(i => ({ peer: `joiner-${i}`, id: (pred.id + gap * i / 3n) % 2n ** 256n })) as [NodeRef, NodeRef]
  const server = sim.data(host.self.peer).server
  await assert.rejects(server.range(first, (pred.id + 1n) % 2n ** 256n, first.id, undefined, 10), { code: 'NOT_MEMBER', message: /predecessor changed/ })
  await server.range(first, pred.id, first.id, undefined, 10)
  await assert.rejects(server.range(second, pred.id, second.id, undefined, 10), { code: 'BUSY', message: /joiner-1 is joining/ })
  // The first joiner, adopted and caught up, says as an owner that it holds its arc.
  await server.summary(first, pred.id, first.id, 1, true)
  await server.range(second, pred.id, second.id, undefined, 10)
  const newcomer = sim.add({ peer: 'newcomer', id: 5n })
  await assert.rejects(sim.data('newcomer').server.range(first, 1n, first.id, undefined, 10), { code: 'BUSY', message: /joining the ring itself/ })
  assert.equal(newcomer.snapshot().member, false)
})
