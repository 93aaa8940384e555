import assert from 'node:assert/strict'
import { test } from 'node:test'
import { JoinerArcs } from '../../src/storage/joiner-arcs.js'
import type { NodeRef } from '../../src/ring/node-ref.js'

const node = (peer: string, id: bigint): NodeRef => ({ peer, id })
const peers = (nodes: readonly NodeRef[]): string[] => nodes.map(n => n.peer).sort()

test('an id is held by the joiners whose copied arc (from, joiner] contains it, the joiner\'s own id included', () => {
  const arcs = new JoinerArcs({ holdMs: 100, max: 4 })
  arcs.copied(node('a', 50n), 10n, 0)
  arcs.copied(node('b', 30n), 20n, 0)
  assert.deepEqual(peers(arcs.holding(10n, 1)), [], 'the arc excludes where it starts')
  assert.deepEqual(peers(arcs.holding(11n, 1)), ['a'])
  assert.deepEqual(peers(arcs.holding(25n, 1)), ['a', 'b'])
  assert.deepEqual(peers(arcs.holding(50n, 1)), ['a'])
  assert.deepEqual(peers(arcs.holding(51n, 1)), [])
})

test('an arc that wraps past zero holds ids on both sides of it', () => {
  const arcs = new JoinerArcs({ holdMs: 100, max: 4 })
  arcs.copied(node('a', 5n), 2n ** 255n, 0)
  assert.deepEqual(peers(arcs.holding(2n ** 256n - 1n, 0)), ['a'])
  assert.deepEqual(peers(arcs.holding(0n, 0)), ['a'])
  assert.deepEqual(peers(arcs.holding(6n, 0)), [])
})

test('an arc is forgotten holdMs after its last copy; copying again renews it and replaces the arc', () => {
  const arcs = new JoinerArcs({ holdMs: 100, max: 4 })
  arcs.copied(node('a', 50n), 10n, 0)
  arcs.copied(node('a', 50n), 40n, 60)
  assert.deepEqual(peers(arcs.holding(20n, 61)), [], 'the arc copied last counts')
  assert.deepEqual(peers(arcs.holding(45n, 159)), ['a'], 'held until 100 ms after the last copy')
  assert.deepEqual(peers(arcs.holding(45n, 160)), [])
  assert.equal(arcs.size, 0, 'a lapsed arc is dropped')
})

test('at most `max` joiners are remembered; the one copied longest ago goes first', () => {
  const arcs = new JoinerArcs({ holdMs: 1000, max: 2 })
  arcs.copied(node('a', 50n), 0n, 0)
  arcs.copied(node('b', 50n), 0n, 1)
  arcs.copied(node('a', 50n), 0n, 2)
  arcs.copied(node('c', 50n), 0n, 3)
  assert.equal(arcs.size, 2)
  assert.deepEqual(peers(arcs.holding(20n, 4)), ['a', 'c'], 'b was copied longest ago: a copied again since')
})

test('a joiner is forgotten once the predecessor is it or lies past it; one past the predecessor is still held', () => {
  const arcs = new JoinerArcs({ holdMs: 1000, max: 4 })
  const self = 100n
  arcs.copied(node('a', 40n), 10n, 0)
  arcs.copied(node('b', 60n), 10n, 0)
  arcs.copied(node('c', 80n), 10n, 0)
  arcs.predecessorIs(undefined, self)
  assert.equal(arcs.size, 3, 'no predecessor says nothing')
  arcs.predecessorIs(node('p', 10n), self)
  assert.equal(arcs.size, 3, 'a predecessor before every joiner')
  arcs.predecessorIs(node('b', 60n), self)
  assert.deepEqual(peers(arcs.holding(70n, 1)), ['c'], 'b is the predecessor now, and a lies before it')
  assert.deepEqual(peers(arcs.holding(30n, 1)), ['c'])
  arcs.predecessorIs(node('q', 90n), self)
  assert.equal(arcs.size, 0)
})
