import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Random } from '../../bench/sim/random.js'
import { idSpace, type IdSpace } from '../../src/ring/ids.js'
import { estimateRingSize, pooledRingSize, successorSample, type RingSample } from '../../src/ring/size-estimate.js'
import type { NodeRef } from '../../src/ring/node-ref.js'
import { ref } from '../utils/ring-fixtures.js'

const space = idSpace(8)

test('a successor list that wraps counts the ring exactly', () => {
  assert.equal(estimateRingSize(space, ref(10), [], true), 1)
  assert.equal(estimateRingSize(space, ref(10), [ref(100), ref(200)], true), 3)
})

test('a list that does not wrap extrapolates from the arc it spans', () => {
  // 4 successors spread evenly over a quarter of the 256 identifiers: 16 peers
  assert.equal(estimateRingSize(space, ref(250), [ref(10), ref(26), ref(42), ref(58)], false), 16)
  // 2 successors in half the circle: 4
  assert.equal(estimateRingSize(space, ref(0), [ref(64), ref(128)], false), 4)
})

test('a list that comes back round counts the members up to the node over the whole circle', () => {
  assert.deepEqual(successorSample(space, ref(10), [ref(100), ref(200), ref(10), ref(100)]), { members: 3, span: space.size })
  assert.deepEqual(successorSample(space, ref(250), [ref(10), ref(26)]), { members: 2, span: 32n })
  assert.equal(successorSample(space, ref(10), []), undefined)
})

test('pooled samples count all their members over all their span', () => {
  // 4 members over a quarter (16 peers) and 2 over a quarter (8): 6 over half, 12 in all
  assert.equal(pooledRingSize(space, [{ members: 4, span: 64n }, { members: 2, span: 64n }]), 12)
  assert.equal(pooledRingSize(space, []), undefined)
})

/** Every member's successor list (r = 8) on a random ring of n in a 2^64 space. */
function randomRing (n: number, seed: number): { big: IdSpace, nodes: NodeRef[], lists: NodeRef[][] } {
  const big = idSpace(64)
  const random = new Random(seed)
  const ids = new Set<bigint>()
  while (ids.size < n) ids.add((BigInt(random.uint32()) << 32n) | BigInt(random.uint32()))
  const nodes = [...ids].sort((a, b) => (a < b ? -1 : 1)).map(id => ({ id, peer: `p${id}` }))
  const lists = nodes.map((_, i) => Array.from({ length: 8 }, (_, j) => nodes[(i + j + 1) % n] as NodeRef))
  return { big, nodes, lists }
}

/** How many members estimate the ring at most `bound`: from their own list, and pooled with the lists of 16 others. */
function estimatesAtMost (n: number, bound: number, seed: number): { own: number, pooled: number } {
  const { big, nodes, lists } = randomRing(n, seed)
  const random = new Random(seed + 1)
  let own = 0
  let pooled = 0
  nodes.forEach((node, i) => {
    const mine = lists[i] as NodeRef[]
    if (estimateRingSize(big, node, mine, false) <= bound) own++
    const heard = Array.from({ length: 16 }, () => random.uint32() % n).map(j => successorSample(big, nodes[j] as NodeRef, lists[j] as NodeRef[]) as RingSample)
    if ((pooledRingSize(big, [successorSample(big, node, mine) as RingSample, ...heard]) as number) <= bound) pooled++
  })
  return { own, pooled }
}

test('pooled with 16 other members\' lists, no member of a ring of 200 takes it for one of at most 128, as about one in 14 did from its own list', () => {
  const { own, pooled } = estimatesAtMost(200, 128, 7)
  assert.ok(own >= 5, `from their own lists ${own} of 200 estimate at most 128`)
  assert.equal(pooled, 0)
})

test('and every member of a ring of 50 still takes it for one of at most 128', () => {
  const { own, pooled } = estimatesAtMost(50, 128, 11)
  assert.ok(own <= 50)
  assert.equal(pooled, 50)
})
