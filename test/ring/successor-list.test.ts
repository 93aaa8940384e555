import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { between, idSpace } from '../../src/ring/ids.js'
import { successorListFrom, withoutPeer } from '../../src/ring/successor-list.js'
import { rectifyDecision } from '../../src/ring/rectify.js'
import { ref } from '../utils/ring-fixtures.js'

const m8 = idSpace(8)
const peers = (list: ReadonlyArray<{ peer: string }>): string[] => list.map(n => n.peer)

test('the list is rebuilt as take(r, [head] ++ head.successors)', () => {
  const { successors, wraps } = successorListFrom(m8, ref(10), ref(20), [ref(30), ref(40), ref(50)], 3)
  assert.deepEqual(peers(successors), ['n20', 'n30', 'n40'])
  assert.equal(wraps, false)
})

test('the list stops at self when it wraps around a small ring', () => {
  const { successors, wraps } = successorListFrom(m8, ref(10), ref(20), [ref(30), ref(10), ref(20)], 5)
  assert.deepEqual(peers(successors), ['n20', 'n30'])
  assert.equal(wraps, true)
})

test('the list stops where the neighbour list passes over self', () => {
  // 20 does not know 10 yet, so its list goes on past it to 15.
  const { successors, wraps } = successorListFrom(m8, ref(10), ref(20), [ref(200), ref(15), ref(30)], 5)
  assert.deepEqual(peers(successors), ['n20', 'n200'])
  assert.equal(wraps, false)
})

test('a dead head is dropped and the list shifts up', () => {
  assert.deepEqual(peers(withoutPeer([ref(20), ref(30), ref(40)], 'n20')), ['n30', 'n40'])
})

test('rebuilt lists are always strictly clockwise, without self or repeats', () => {
  const id = fc.integer({ min: 0, max: 255 })
  fc.assert(fc.property(id, id, fc.array(id, { maxLength: 12 }), fc.integer({ min: 1, max: 8 }), (self, head, rest, r) => {
    const list = successorListFrom(m8, ref(self), ref(head), rest.map(ref), r).successors
    const ids = [BigInt(self), ...list.map(n => n.id)]
    assert.ok(list.length <= r)
    assert.ok(!list.some(n => n.id === BigInt(self)))
    for (let j = 0; j + 2 < ids.length; j++) assert.ok(between(ids[j] as bigint, ids[j + 1] as bigint, ids[j + 2] as bigint))
    assert.equal(new Set(peers(list)).size, list.length)
  }))
})

test('rectify adopts a closer notifier, checks a farther one, ignores itself and the current predecessor', () => {
  assert.equal(rectifyDecision(ref(100), undefined, ref(50)), 'adopt')
  assert.equal(rectifyDecision(ref(100), ref(50), ref(70)), 'adopt')
  assert.equal(rectifyDecision(ref(100), ref(50), ref(30)), 'check')
  assert.equal(rectifyDecision(ref(100), ref(50), ref(50)), 'ignore')
  assert.equal(rectifyDecision(ref(100), ref(50), ref(100)), 'ignore')
  // wrapping: predecessor 250, notifier 5 lies in (250, 10)
  assert.equal(rectifyDecision(ref(10), ref(250), ref(5)), 'adopt')
})
