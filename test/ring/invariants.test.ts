import assert from 'node:assert/strict'
import { test } from 'node:test'
import { checkIdeal, checkInvariants, type NodeSnapshot } from '../../src/ring/invariants.js'

/** A snapshot of nodes named by identifier: `n10: [succ...] pred`. */
function snapshot (nodes: Array<[id: number, successors: number[], predecessor?: number, alive?: boolean]>): Map<string, NodeSnapshot> {
  return new Map(nodes.map(([id, successors, predecessor, alive]) => [`n${id}`, {
    id: BigInt(id),
    alive: alive ?? true,
    member: true,
    successors: successors.map(s => `n${s}`),
    predecessor: predecessor === undefined ? undefined : `n${predecessor}`
  }]))
}

const ideal = snapshot([
  [10, [20, 30], 50], [20, [30, 40], 10], [30, [40, 50], 20], [40, [50, 10], 30], [50, [10, 20], 40]
])

test('an ideal ring of r+3 nodes satisfies every invariant and is inside the envelope', () => {
  const report = checkInvariants(ideal, 2)
  assert.deepEqual(report.violations, [])
  assert.deepEqual(report.outsideEnvelope, [])
  assert.equal(report.principals, 5)
  assert.equal(report.ringMembers, 5)
  assert.deepEqual(checkIdeal(ideal, 2), [])
})

test('two disjoint loops are found (the AtMostOneRing counterexample shape)', () => {
  const split = snapshot([[10, [30, 50]], [20, [40, 10]], [30, [10, 20]], [40, [20, 30]], [50, [10, 30]]])
  const report = checkInvariants(split, 2)
  assert.ok(report.violations.some(v => v.startsWith('AtMostOneRing')), report.violations.join('\n'))
})

test('a ring that skips one of its own members is not ordered', () => {
  // 10 → 30 → 20 → 40 → 10: 20 lies between ring neighbours 10 and 30
  const unordered = snapshot([[10, [30]], [30, [20]], [20, [40]], [40, [10]]])
  const report = checkInvariants(unordered, 1)
  assert.ok(report.violations.some(v => v.startsWith('OrderedRing')), report.violations.join('\n'))
})

test('unordered lists, repeats and self-references are reported', () => {
  const bad = snapshot([[10, [30, 20]], [20, [30, 30]], [30, [10, 30]]])
  const report = checkInvariants(bad, 2)
  assert.ok(report.violations.some(v => v.startsWith('OrderedSuccessorLists') && v.includes('0a')) || report.violations.some(v => v.startsWith('OrderedSuccessorLists')))
  assert.equal(report.violations.filter(v => v.startsWith('NoDuplicates')).length, 2)
})

test('a member whose whole list died breaks I1 and is flagged outside the envelope', () => {
  const crashed = snapshot([
    [10, [20, 30]], [20, [30, 40], 10, false], [30, [40, 50], 20, false], [40, [50, 10], 30], [50, [10, 20], 40]
  ])
  const report = checkInvariants(crashed, 2)
  assert.ok(report.violations.some(v => v.startsWith('I1')))
  assert.ok(report.outsideEnvelope.some(v => v.startsWith('A1')))
})

test('an appendage that points into the ring is connected; one pointing at a dead node is not', () => {
  const joined = new Map(ideal)
  joined.set('n25', { id: 25n, alive: true, member: true, successors: ['n30', 'n40'] })
  const ok = checkInvariants(joined, 2)
  assert.deepEqual(ok.violations, [])
  assert.deepEqual(checkIdeal(joined, 2).length > 0, true)
  const lost = new Map(ideal)
  lost.set('n25', { id: 25n, alive: true, member: true, successors: ['n99'] })
  lost.set('n99', { id: 99n, alive: false, member: true, successors: [] })
  assert.ok(checkInvariants(lost, 2).violations.some(v => v.startsWith('ConnectedAppendages')))
})

test('principals: a node skipped by some extended list is not one', () => {
  // 10 lists [30, 40] and so skips 20; with r = 2 four principals remain of five.
  const stale = snapshot([
    [10, [30, 40], 50], [20, [30, 40], 10], [30, [40, 50], 20], [40, [50, 10], 30], [50, [10, 20], 40]
  ])
  const report = checkInvariants(stale, 2)
  assert.equal(report.principals, 4)
  assert.deepEqual(report.outsideEnvelope, [])
  assert.ok(checkInvariants(stale, 4).outsideEnvelope.some(v => v.includes('fewer than r+1')))
})

test('a lone node is a ring of one', () => {
  const alone = snapshot([[10, []]])
  assert.deepEqual(checkInvariants(alone, 3).violations, [])
  assert.deepEqual(checkIdeal(alone, 3), [])
})

test('a founder still alone while joiners point at it is one ring with appendages', () => {
  const growing = snapshot([[10, []], [20, [10]], [30, [10]]])
  const report = checkInvariants(growing, 3)
  assert.deepEqual(report.violations, [])
  assert.equal(report.ringMembers, 1)
  // but a node alone beside another ring is a second ring
  const split = snapshot([[10, []], [20, [30]], [30, [20]]])
  assert.ok(checkInvariants(split, 3).violations.some(v => v.startsWith('AtMostOneRing')))
})

test('short successor lists put a snapshot outside the envelope (Zave\'s lists hold r entries)', () => {
  const partial = snapshot([
    [10, [20, 30], 50], [20, [30], 10], [30, [40, 50], 20], [40, [50, 10], 30], [50, [10, 20], 40]
  ])
  const report = checkInvariants(partial, 2)
  assert.deepEqual(report.violations, [])
  assert.ok(report.outsideEnvelope.some(v => v.includes('fewer than r entries')))
})
