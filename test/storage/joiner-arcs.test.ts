import assert from 'node:assert/strict'
import { test } from 'node:test'
import { JoinerArcs } from '../../src/storage/joiner-arcs.js'
import type { NodeRef } from '../../src/ring/node-ref.js'

const node = (peer: string, id: bigint): NodeRef => ({ peer, id })
const peers = (nodes: readonly NodeRef[]): string[] => nodes.map(n => n.peer).sort()

test('an id is held by the joiners whose copied arc (from, joiner] contains it, the joiner\'s own id included', () => {
  const arcs = new JoinerArcs({ holdMs: 100, settledMs: 50, noticeMs: 1000, max: 4 })
  arcs.copied(node('a', 50n), 10n, 0)
  arcs.settled('a', 0)
  arcs.copied(node('b', 30n), 20n, 0)
  assert.deepEqual(peers(arcs.holding(10n, 1)), [], 'the arc excludes where it starts')
  assert.deepEqual(peers(arcs.holding(11n, 1)), ['a'])
  assert.deepEqual(peers(arcs.holding(25n, 1)), ['a', 'b'])
  assert.deepEqual(peers(arcs.holding(50n, 1)), ['a'])
  assert.deepEqual(peers(arcs.holding(51n, 1)), [])
})

test('an arc that wraps past zero holds ids on both sides of it', () => {
  const arcs = new JoinerArcs({ holdMs: 100, settledMs: 50, noticeMs: 1000, max: 4 })
  arcs.copied(node('a', 5n), 2n ** 255n, 0)
  assert.deepEqual(peers(arcs.holding(2n ** 256n - 1n, 0)), ['a'])
  assert.deepEqual(peers(arcs.holding(0n, 0)), ['a'])
  assert.deepEqual(peers(arcs.holding(6n, 0)), [])
})

test('an arc is forgotten holdMs after its last copy; copying again renews it and replaces the arc', () => {
  const arcs = new JoinerArcs({ holdMs: 100, settledMs: 50, noticeMs: 1000, max: 4 })
  arcs.copied(node('a', 50n), 10n, 0)
  arcs.copied(node('a', 50n), 40n, 60)
  assert.deepEqual(peers(arcs.holding(20n, 61)), [], 'the arc copied last counts')
  assert.deepEqual(peers(arcs.holding(45n, 159)), ['a'], 'held until 100 ms after the last copy')
  assert.deepEqual(peers(arcs.holding(45n, 160)), [])
  assert.equal(arcs.size, 0, 'a lapsed arc is dropped')
})

test('at most `max` joiners are remembered; the one copied longest ago goes first', () => {
  const arcs = new JoinerArcs({ holdMs: 1000, settledMs: 500, noticeMs: 10_000, max: 2 })
  const settledCopy = (peer: string, at: number): void => {
    arcs.copied(node(peer, 50n), 0n, at)
    arcs.settled(peer, at)
  }
  settledCopy('a', 0)
  settledCopy('b', 1)
  settledCopy('a', 2)
  settledCopy('c', 3)
  assert.equal(arcs.size, 2)
  assert.deepEqual(peers(arcs.holding(20n, 4)), ['a', 'c'], 'b was copied longest ago: a copied again since')
})

test('one joiner at a time: another is refused (BUSY) until the first settles or its arc lapses; the first may copy again', () => {
  const arcs = new JoinerArcs({ holdMs: 1000, settledMs: 500, noticeMs: 10_000, max: 4 })
  arcs.copied(node('a', 40n), 10n, 0)
  arcs.copied(node('a', 40n), 10n, 5)
  assert.throws(() => { arcs.copied(node('b', 60n), 40n, 10) }, { name: 'BusyError', message: /a is joining in front of this peer/ })
  arcs.settled('a', 15)
  arcs.copied(node('b', 60n), 40n, 20)
  assert.deepEqual(peers(arcs.holding(30n, 514)), ['a'], 'a settled arc still gets the writes taken here for it a while')
  assert.deepEqual(peers(arcs.holding(30n, 515)), [], 'settledMs after it settled')
  assert.throws(() => { arcs.copied(node('c', 80n), 60n, 1019) }, { name: 'BusyError' })
  arcs.copied(node('c', 80n), 60n, 1020)
  assert.deepEqual(peers(arcs.holding(70n, 1021)), ['c'], 'b lapsed without settling')
})

test('a joiner that did not become the predecessor within noticeMs of its copy keeps nobody out; one that did, until it settles', () => {
  const arcs = new JoinerArcs({ holdMs: 1000, settledMs: 500, noticeMs: 100, max: 4 })
  arcs.copied(node('outsider', 40n), 10n, 0)
  assert.throws(() => { arcs.copied(node('b', 60n), 40n, 99) }, { name: 'BusyError' })
  arcs.copied(node('b', 60n), 40n, 100)
  assert.deepEqual(peers(arcs.holding(30n, 101)), ['outsider'], 'its arc still gets the writes taken here for it')
  arcs.predecessorIs('b')
  arcs.predecessorIs(undefined)
  assert.throws(() => { arcs.copied(node('c', 80n), 60n, 900) }, { name: 'BusyError' }, 'adopted: it keeps its place past noticeMs')
  arcs.copied(node('b', 60n), 40n, 950)
  assert.throws(() => { arcs.copied(node('c', 80n), 60n, 1100) }, { name: 'BusyError' }, 'copying again does not undo the adoption')
})

test('an adopted joiner that another predecessor followed (it crashed mid-settle) keeps nobody out; its arc is still held', () => {
  const arcs = new JoinerArcs({ holdMs: 60_000, settledMs: 500, noticeMs: 100, max: 4 })
  arcs.copied(node('a', 40n), 10n, 0)
  arcs.predecessorIs('a')
  assert.throws(() => { arcs.copied(node('b', 60n), 40n, 200) }, { name: 'BusyError' })
  arcs.predecessorIs('p')
  arcs.copied(node('b', 60n), 40n, 300)
  assert.deepEqual(peers(arcs.holding(30n, 301)), ['a'], 'the writes taken here for its arc still go to it until holdMs')
})

test('a settled word from a peer that copied nothing changes nothing', () => {
  const arcs = new JoinerArcs({ holdMs: 1000, settledMs: 500, noticeMs: 10_000, max: 4 })
  arcs.settled('x', 0)
  assert.equal(arcs.size, 0)
  arcs.copied(node('a', 40n), 10n, 0)
  arcs.settled('x', 1)
  assert.throws(() => { arcs.copied(node('b', 60n), 40n, 1) }, { name: 'BusyError' })
})
