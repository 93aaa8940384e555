import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, test } from 'node:test'
import { OwnerHints } from '../../src/chord/owner-hints.js'
import { RING } from '../../src/defaults.js'
import { Liveness } from '../../src/node/liveness.js'
import { NodeState } from '../../src/node/state.js'
import { idFromBytes, idSpace, type RingId } from '../../src/ring/ids.js'
import { checkIdeal } from '../../src/ring/invariants.js'
import { OwnerCache } from '../../src/ring/owner-cache.js'
import { FakeClock, SimNetwork } from '../utils/sim-network.js'
import type { ChordTransport } from '../../src/protocol/ports.js'
import type { ChordNode } from '../../src/chord/node.js'
import type { NodeRef } from '../../src/ring/node-ref.js'

const R = 4
const refOf = (i: number): NodeRef => ({ id: idFromBytes(createHash('sha256').update(`node-${i}`).digest()), peer: `node-${i}` })
const keyOf = (i: number): RingId => idFromBytes(createHash('sha256').update(`key-${i}`).digest())

/** An ideal ring of `n` simulated production nodes, fingers settled. */
async function ring (n: number, ownerHints: boolean, meshPeers?: number, successors = R): Promise<{ net: SimNetwork, nodes: ChordNode[] }> {
  const net = new SimNetwork(meshPeers === undefined ? { successors } : { successors, meshPeers })
  net.ownerHints = ownerHints
  const first = net.add(refOf(0))
  first.create()
  const nodes = [first]
  for (let i = 1; i < n; i++) {
    const node = net.add(refOf(i))
    await node.join(first.self)
    nodes.push(node)
    if (i % 8 === 0) await net.clock.advance(1000)
  }
  while (checkIdeal(net.snapshot(), successors).length > 0) await net.clock.advance(1000)
  await net.clock.advance(120_000)
  return { net, nodes }
}

/** The live owner of `key` among `nodes`. */
function ownerAmong (nodes: readonly ChordNode[], key: RingId): string {
  const sorted = [...nodes].sort((a, b) => (a.self.id < b.self.id ? -1 : 1))
  return (sorted.find(n => n.self.id >= key) ?? sorted[0] as ChordNode).self.peer
}

/** Each lookup is followed by one from the same node for the owner's own identifier (in the arc it just stated); mean hops of both. */
async function followUps (nodes: readonly ChordNode[]): Promise<{ first: number, again: number, worstAgain: number }> {
  let first = 0
  let again = 0
  let worstAgain = 0
  for (let i = 0; i < 200; i++) {
    const from = nodes[(i * 7) % nodes.length] as ChordNode
    const reply = await from.lookup(keyOf(i))
    assert.equal(reply.owner.peer, ownerAmong(nodes, keyOf(i)))
    const second = await from.lookup(reply.owner.id)
    assert.equal(second.owner.peer, reply.owner.peer)
    first += reply.hops
    again += second.hops
    worstAgain = Math.max(worstAgain, second.hops)
  }
  return { first: first / 200, again: again / 200, worstAgain }
}

describe('owner hints on 64 simulated production nodes (r = 4)', () => {
  test('a lookup in an arc a route just stated goes straight to its owner: one hop at most', async t => {
    const { nodes } = await ring(64, true)
    const { first, again, worstAgain } = await followUps(nodes)
    t.diagnostic(`mean hops: first lookups ${first.toFixed(2)}, in a stated arc ${again.toFixed(2)}`)
    assert.equal(worstAgain, 1)
  })

  test('without hints the same follow-ups take the fingers\' path', async () => {
    const { nodes } = await ring(64, false)
    const { again, worstAgain } = await followUps(nodes)
    assert.ok(worstAgain > 1 && again > 1.5, `mean ${again}, worst ${worstAgain}`)
  })

  test('a hint gone stale (a node joined in the arc) still ends at the true owner, and the cache learns the newcomer', async () => {
    const { net, nodes } = await ring(64, true)
    const from = nodes[3] as ChordNode
    const reply = await from.lookup(keyOf(1))
    const owner = reply.owner
    assert.ok(reply.ownerPredecessor !== undefined)
    // A newcomer takes the key's place on the ring: (predecessor, key] is now its arc.
    const newcomer = net.add({ id: keyOf(1), peer: 'newcomer' })
    await newcomer.join((nodes[0] as ChordNode).self)
    while (checkIdeal(net.snapshot(), R).length > 0) await net.clock.advance(1000)
    assert.equal(from.state.owners.ownerOf(keyOf(1), net.clock.now())?.peer, owner.peer, 'the cache still holds the stale arc')
    const again = await from.lookup(keyOf(1))
    assert.equal(again.owner.peer, 'newcomer')
    assert.equal(from.state.owners.ownerOf(keyOf(1), net.clock.now())?.peer, 'newcomer')
  })

  test('a hint to a crashed peer is skipped and forgotten; the lookup ends at the live owner', async () => {
    const { net, nodes } = await ring(64, true)
    const from = nodes[5] as ChordNode
    const owner = (await from.lookup(keyOf(2))).owner
    net.kill(owner.peer)
    const live = nodes.filter(n => n.self.peer !== owner.peer)
    const again = await from.lookup(keyOf(2))
    assert.equal(again.owner.peer, ownerAmong(live, keyOf(2)))
    assert.notEqual(from.state.owners.ownerOf(keyOf(2), net.clock.now())?.peer, owner.peer)
  })

  test('caches full of wrong arcs never make a lookup name a wrong owner', async () => {
    const { net, nodes } = await ring(64, true)
    // Every node is told that random peers own random arcs.
    let seed = 7
    const random = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 }
    const pick = (): ChordNode => nodes[Math.floor(random() * nodes.length)] as ChordNode
    for (const node of nodes) {
      for (let j = 0; j < 40; j++) node.state.owners.learn(keyOf(1000 + Math.floor(random() * 10_000)), pick().self, net.clock.now())
    }
    for (let i = 0; i < 300; i++) {
      const reply = await pick().lookup(keyOf(i))
      assert.equal(reply.owner.peer, ownerAmong(nodes, keyOf(i)), `key ${i}`)
    }
  })
})

test('a small ring dials hinted owners it has no connection to (RING.meshPeers); a larger one only asks for open streams', async () => {
  const small = await ring(16, true)
  // Whether a lookup from a node that learned the owner's arc asks to dial it.
  const asks = async ({ net, nodes }: { net: SimNetwork, nodes: ChordNode[] }): Promise<boolean[]> => {
    net.hintDials.length = 0
    for (let i = 0; i < 40; i++) {
      const from = nodes[i % nodes.length] as ChordNode
      const { owner } = await from.lookup(keyOf(i))
      if (owner.peer !== from.self.peer) await from.lookup(owner.id)
    }
    return [...net.hintDials]
  }
  const smallAsks = await asks(small)
  assert.ok(smallAsks.length > 0, 'hints were asked for')
  assert.ok(smallAsks.every(dial => dial), '16 peers, at most 64: dial')
  // The same ring size with meshPeers below it: the estimate (about 16) is above the bound.
  const larger = await asks(await ring(16, true, 8))
  assert.ok(larger.length > 0 && larger.every(dial => !dial), '16 peers, more than 8: no dial')
})

test('a small ring learns every arc as it maintains itself, and lookups then take one hop (once more where a later joiner made an arc stale); a larger one does not walk', async () => {
  const { net, nodes } = await ring(32, true)
  for (const node of nodes) assert.equal(node.state.owners.frontier(node.self, net.clock.now()), undefined, `${node.self.peer} knows every arc`)
  // An arc learned while the ring formed can hide a peer that joined in it
  // later: a lookup there is misled past the stated owner, still ends at
  // the true one, and its reply teaches the arc, so the same lookup again
  // goes straight there.
  const misled: number[] = []
  for (let i = 0; i < 100; i++) {
    const from = nodes[i % nodes.length] as ChordNode
    const reply = await from.lookup(keyOf(i))
    assert.equal(reply.owner.peer, ownerAmong(nodes, keyOf(i)))
    if (reply.hops > 1) misled.push(i)
  }
  assert.ok(misled.length <= 3, `keys ${misled.join(', ')} took more than one hop`)
  for (const i of misled) {
    const again = await (nodes[i % nodes.length] as ChordNode).lookup(keyOf(i))
    assert.ok(again.hops <= 1, `key ${i} again: ${again.hops} hops`)
  }
  assert.ok(nodes.every(node => node.hints.isSmallRing()))
  // With meshPeers below its size the same ring is not small to any of its nodes.
  const larger = await ring(32, true, 8)
  assert.ok(larger.nodes.every(node => !node.hints.isSmallRing()))
})

test('a ring of 100 at rest: no node that found it small finds it large again, though size estimates stray past meshPeers (each flip closed the mesh, dialled again on the next walk)', async () => {
  const { net, nodes } = await ring(100, true, undefined, 8)
  let estimatedLarge = 0
  const small = new Map(nodes.map(node => [node.self.peer, node.hints.isSmallRing()]))
  const flipped: string[] = []
  for (let s = 0; s < 600; s++) {
    await net.clock.advance(1000)
    for (const node of nodes) {
      if (node.hints.ringSizeEstimate() > RING.meshPeers) estimatedLarge++
      const now = node.hints.isSmallRing()
      if (small.get(node.self.peer) === true && !now) flipped.push(`${node.self.peer} at ${s} s`)
      small.set(node.self.peer, now)
    }
  }
  assert.ok(estimatedLarge > 0, 'no estimate strayed past meshPeers: this ring shows nothing')
  assert.deepEqual(flipped, [], `${estimatedLarge} of ${600 * nodes.length} estimates were over ${RING.meshPeers}`)
  assert.ok([...small.values()].filter(Boolean).length >= 95, 'nearly every node finds the ring small')
})

test('on a small ring a route that ends at a newcomer leaves a gap, and the next rounds walk the ring again', async () => {
  const { net, nodes } = await ring(32, true, 10_000)
  const from = nodes[3] as ChordNode
  assert.equal(from.state.owners.frontier(from.self, net.clock.now()), undefined, 'every arc known')
  // A newcomer takes a key's place far from `from`: the arc `from` knows for the key is stale.
  const key = keyOf(7)
  const stale = from.state.owners.ownerOf(key, net.clock.now())
  const newcomer = net.add({ id: key, peer: 'newcomer' })
  await newcomer.join((nodes[0] as ChordNode).self)
  while (checkIdeal(net.snapshot(), R).length > 0) await net.clock.advance(1000)
  // A key in the newcomer's arc but not its own identifier: what the hint says is wrong.
  const inside = key - 1n
  assert.equal(from.state.owners.ownerOf(inside, net.clock.now())?.peer, stale?.peer)
  assert.equal((await from.lookup(inside)).owner.peer, 'newcomer')
  assert.notEqual(from.state.owners.frontier(from.self, net.clock.now()), undefined, 'the newcomer\'s arc no longer meets the next one known')
  await net.clock.advance(120_000)
  assert.equal(from.state.owners.frontier(from.self, net.clock.now()), undefined, 'walked: every arc known again')
  for (const node of [...nodes, newcomer]) {
    if (node.self.peer === from.self.peer) continue
    assert.equal(from.state.owners.ownerOf(node.self.id, net.clock.now())?.peer, node.self.peer)
  }
})

test('a peer whose predecessor changed tells its successor, whose record guard then learns the predecessors past the first again', async () => {
  const { net, nodes } = await ring(16, false)
  const sorted = [...nodes].sort((a, b) => (a.self.id < b.self.id ? -1 : 1))
  // A newcomer joins just before p: p's predecessor changes, and p tells its successor s.
  const [p, s] = [sorted[5] as ChordNode, sorted[6] as ChordNode]
  let told = 0
  s.predecessorMoved = () => { told++ }
  const newcomer = net.add({ id: p.self.id - 1n, peer: 'newcomer' })
  await newcomer.join((nodes[0] as ChordNode).self)
  while (checkIdeal(net.snapshot(), R).length > 0) await net.clock.advance(1000)
  assert.equal(p.state.predecessor?.peer, 'newcomer')
  assert.ok(told >= 1, 'the successor heard that its predecessor\'s predecessor changed')
})

test('fix-fingers learns the arcs around each finger', async () => {
  const { net, nodes } = await ring(32, true)
  const sorted = [...nodes].sort((a, b) => (a.self.id < b.self.id ? -1 : 1))
  for (const node of nodes) {
    const fingers = node.state.fingers.distinct().filter(f => f.peer !== node.self.peer)
    assert.ok(fingers.length > 0)
    for (const finger of fingers) {
      // The finger's state named its successors: their arcs are known too.
      const i = sorted.findIndex(n => n.self.peer === finger.peer)
      for (let j = 0; j <= R; j++) {
        const owner = sorted[(i + j) % sorted.length] as ChordNode
        assert.equal(node.state.owners.ownerOf(owner.self.id, net.clock.now())?.peer, owner.self.peer, `${node.self.peer} knows the arc of ${owner.self.peer}`)
      }
    }
  }
})

test('the ring\'s size is its own successor list pooled with the lists of members heard within a minute: a list spread wide no longer makes a large ring small', async () => {
  const space = idSpace(16)
  const at = (id: number): NodeRef => ({ id: BigInt(id), peer: `p${id}` })
  const clock = new FakeClock()
  const state = new NodeState(space, at(0), 8, new OwnerCache(256, 60_000))
  // Its own 8 successors spread over half the circle: a ring of 16 by its own list.
  state.setSuccessors({ successors: [1, 2, 3, 4, 5, 6, 7, 8].map(i => at(i * 4096)), wraps: false })
  state.markJoined()
  const hints = new OwnerHints({ state, liveness: new Liveness(clock, 1000), transport: {} as unknown as ChordTransport, clock }, { meshPeers: 128, sizeSamples: { count: 16, maxAgeMs: 60_000 } })
  assert.equal(hints.ringSizeEstimate(), 16)
  assert.equal(hints.isSmallRing(), true)
  // 16 members elsewhere each name 8 successors within 256 identifiers: 512 members to the circle.
  for (let m = 0; m < 16; m++) {
    const base = 40_000 + m * 1024
    hints.heard(at(base), { successors: [1, 2, 3, 4, 5, 6, 7, 8].map(i => at(base + i * 32)), member: true })
  }
  const pooled = hints.ringSizeEstimate()
  assert.ok(pooled > 128 && pooled < 512, `pooled estimate ${pooled}`)
  assert.equal(hints.isSmallRing(), false)
  // A minute on, what was heard no longer counts: the node's own list again.
  await clock.advance(60_001)
  assert.equal(hints.ringSizeEstimate(), 16)
})
