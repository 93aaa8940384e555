import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'
import { checkIdeal } from '../../src/ring/invariants.js'
import { idFromBytes } from '../../src/ring/ids.js'
import { SimNetwork } from '../utils/sim-network.js'
import type { ChordNode } from '../../src/chord/node.js'
import type { NodeRef } from '../../src/ring/node-ref.js'

/**
 * ChordNode.hostGone: what a peer does when the kernel gives up on the
 * connection to another (its host stopped answering TCP). Production
 * ChordNodes over the simulated network; ChordService calls it from the
 * connection's close event (test/hosts/silent-host.test.ts runs that part).
 */

const R = 4
const refOf = (i: number): NodeRef => ({ id: idFromBytes(createHash('sha256').update(`gone-${i}`).digest()), peer: `gone-${i}` })

async function idealRing (n: number): Promise<{ net: SimNetwork, nodes: ChordNode[] }> {
  const net = new SimNetwork({ successors: R })
  const nodes = Array.from({ length: n }, (_, i) => net.add(refOf(i)))
  const [first] = nodes as [ChordNode]
  first.create()
  for (const node of nodes.slice(1)) await node.join(first.self)
  for (let s = 0; s < 60 && checkIdeal(net.snapshot(), R).length > 0; s++) await net.clock.advance(1000)
  assert.deepEqual(checkIdeal(net.snapshot(), R), [])
  return { net, nodes }
}

test('a successor whose host went silent leaves the list at once, the next stabilize round links past it, and once its probes find it still silent it counts as vanished, the ring tag unchanged', async () => {
  const { net, nodes } = await idealRing(6)
  const node = nodes[0] as ChordNode
  const gone = node.state.successors[0] as NodeRef
  const second = node.state.successors[1] as NodeRef
  const tag = node.state.tag
  net.partition([[...net.nodes.keys()].filter(p => p !== gone.peer)])

  node.hostGone(gone)
  assert.ok(!node.state.successors.some(s => s.peer === gone.peer), 'dropped without a request')
  assert.equal(node.state.successor.peer, second.peer)
  assert.deepEqual(node.state.tag, tag, 'the tag waits for the probe of the lost head')
  assert.ok(node.liveness.isSuspect(gone.peer))
  assert.ok(node.merger.passive.has(gone.peer), 'the lost head is probed')

  // The round it asked for notifies the new head, which (once its ping of the silent peer times out) takes this node as predecessor.
  const next = nodes.find(n => n.self.peer === second.peer) as ChordNode
  for (let ms = 0; ms < 20_000 && next.state.predecessor?.peer !== node.self.peer; ms += 100) await net.clock.advance(100)
  assert.equal(next.state.predecessor?.peer, node.self.peer)
  // The probes of the silent head time out: crashed, or across a split,
  // which only its answering again from another ring will tell.
  for (let ms = 0; ms < 20_000 && node.merger.vanishedSuccessors === 0; ms += 100) await net.clock.advance(100)
  assert.equal(node.merger.vanishedSuccessors, 1, 'the silent head counts as vanished')
  assert.deepEqual(node.state.tag, tag, 'a lost head raises no tag by itself (on a ring under churn every crash would send one round)')
})

test('a peer further down the list leaves it too; one on no list is only failed, and the list and tag stay', async () => {
  const { nodes } = await idealRing(6)
  const node = nodes[0] as ChordNode
  const [head, third] = [node.state.successors[0] as NodeRef, node.state.successors[2] as NodeRef]
  const tag = node.state.tag
  node.hostGone(third)
  assert.equal(node.state.successor.peer, head.peer)
  assert.ok(!node.state.successors.some(s => s.peer === third.peer))
  assert.deepEqual(node.state.tag, tag)

  const before = node.state.successors.map(s => s.peer)
  const outsider = nodes.map(n => n.self).find(r => r.peer !== node.self.peer && !before.includes(r.peer)) as NodeRef
  assert.ok(outsider !== undefined, 'a ring of 6 with r = 4 has a peer on no list of this node')
  node.hostGone(outsider)
  assert.deepEqual(node.state.successors.map(s => s.peer), before)
  assert.ok(node.liveness.isSuspect(outsider.peer))
})
