import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { betweenRightIncl, idSpace, type RingId } from '../../src/ring/ids.js'
import { arcWithin, recordAccess, type NeighbourhoodView, type RecordAccess } from '../../src/ring/replica-neighbourhood.js'
import { ref, trueSuccessor } from '../utils/ring-fixtures.js'

const m8 = idSpace(8)
/** Node 130 of the ring 10, 40, 70, …, 250 (every 30) with k = 3: it knows four predecessors and five successors. */
const VIEW: NeighbourhoodView = {
  space: m8,
  self: ref(130),
  member: true,
  predecessors: [100, 70, 40, 10].map(ref),
  successors: [160, 190, 220, 250, 10].map(ref),
  replicas: 3,
  departed: []
}

const arc = (from: number, to: number): RecordAccess => ({ kind: 'read-arc', from: BigInt(from), to: BigInt(to) })
const keys = (...ids: number[]): RecordAccess => ({ kind: 'read-keys', keys: ids.map(BigInt) })
const write: RecordAccess = { kind: 'write' }
const decide = (sender: number, access: RecordAccess, view: NeighbourhoodView = VIEW): string => {
  const d = recordAccess(view, ref(sender), access)
  return d.kind === 'allow' ? `allow ${d.as}` : d.kind
}

test('hand-checked: node 130 of 10, 40, …, 250 with k = 3 (neighbours 40..100 and 160..220)', () => {
  const table: Array<[number, RecordAccess, string]> = [
    // k−1 = 2 places and one of slack on each side are neighbours: they may send and read records
    [100, write, 'allow neighbour'],
    [40, write, 'allow neighbour'],
    [220, write, 'allow neighbour'],
    [70, arc(40, 70), 'allow neighbour'],
    [70, arc(10, 130), 'allow neighbour'],
    [160, keys(20, 120), 'allow neighbour'],
    // the fourth predecessor and the fourth successor are farther: their hand-offs need the ring's word, and they read nothing
    [10, write, 'verify'],
    [250, write, 'verify'],
    [10, arc(40, 70), 'refuse'],
    [250, keys(50), 'refuse'],
    [190, arc(100, 130), 'allow neighbour'],
    // 115 stands where a joining node would: it may read (100, 115], what it would take over from 130
    [115, arc(100, 115), 'allow newcomer'],
    [115, arc(105, 110), 'allow newcomer'],
    [115, keys(101, 115), 'allow newcomer'],
    [115, arc(100, 120), 'refuse'],
    [115, arc(90, 115), 'refuse'],
    [115, arc(115, 115), 'refuse'],
    [115, write, 'verify'],
    // so does 200 (between 190 and 220, which 130 knows), for (190, 200]; and nothing else
    [200, arc(190, 200), 'allow newcomer'],
    [200, arc(100, 115), 'refuse'],
    [200, keys(120), 'refuse'],
    // beyond the members 130 knows (40 … 220), an outsider reads nothing
    [5, arc(250, 5), 'refuse'],
    [30, arc(10, 30), 'refuse'],
    [5, arc(0, 0), 'refuse']
  ]
  for (const [sender, access, expected] of table) {
    assert.equal(decide(sender, access), expected, `${sender} ${JSON.stringify(access, (_, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))}`)
  }
})

test('a neighbour that just left may hand its records over; back at its old place, it reads what a joining node takes over', () => {
  const view = { ...VIEW, predecessors: [70, 40, 10].map(ref), departed: ['n100'] }
  assert.equal(decide(100, write), 'allow neighbour')
  assert.equal(decide(100, write, view), 'allow departed')
  assert.equal(decide(100, arc(70, 100), view), 'allow newcomer')
  assert.equal(decide(100, arc(40, 100), view), 'refuse')
})

test('a node that is not a ring member exchanges records with no one', () => {
  const view = { ...VIEW, member: false }
  for (const access of [write, arc(100, 130), keys(120)]) assert.equal(decide(100, access, view), 'refuse')
})

test('the members a node knows bound where it places newcomers; a view that goes round the circle places them anywhere', () => {
  const short = { ...VIEW, predecessors: [ref(100)] }
  assert.equal(decide(80, arc(70, 80), short), 'refuse')
  assert.equal(decide(110, arc(100, 110), short), 'allow newcomer')
  const small = { ...VIEW, predecessors: [100, 40, 130].map(ref), successors: [40, 100].map(ref) }
  assert.equal(decide(20, arc(130, 20), small), 'allow newcomer')
  assert.equal(decide(20, arc(100, 20), small), 'refuse')
  // alone, with no predecessor: whoever joins may take (self, itself]
  const alone = { ...VIEW, predecessors: [], successors: [] }
  assert.equal(decide(200, arc(130, 200), alone), 'allow newcomer')
  assert.equal(decide(200, arc(130, 210), alone), 'refuse')
  assert.equal(decide(200, arc(200, 130), alone), 'refuse')
})

test('arcWithin: (from, to] inside (outerFrom, outerTo], across zero, with whole circles', () => {
  const a = (from: number, to: number): { from: RingId, to: RingId } => ({ from: BigInt(from), to: BigInt(to) })
  assert.equal(arcWithin(m8, a(10, 20), a(5, 20)), true)
  assert.equal(arcWithin(m8, a(4, 20), a(5, 20)), false)
  assert.equal(arcWithin(m8, a(250, 3), a(240, 10)), true)
  assert.equal(arcWithin(m8, a(250, 11), a(240, 10)), false)
  assert.equal(arcWithin(m8, a(7, 7), a(240, 10)), false)
  assert.equal(arcWithin(m8, a(7, 7), a(9, 9)), true)
  assert.equal(arcWithin(m8, a(20, 10), a(5, 30)), false)
})

/** The view of `self` in an ideal ring of `ids`: every predecessor and successor it could know. */
function idealView (ids: readonly number[], self: number, k: number): NeighbourhoodView {
  const sorted = [...new Set(ids)].sort((a, b) => a - b)
  const i = sorted.indexOf(self)
  const n = sorted.length
  const around = (step: number): number[] => Array.from({ length: n - 1 }, (_, j) => sorted[(i + step * (j + 1) + n * n) % n] as number)
  return { space: m8, self: ref(self), member: true, predecessors: around(-1).slice(0, k + 1).map(ref), successors: around(1).slice(0, 8).map(ref), replicas: k, departed: [] }
}

/** The k members holding `key` in a ring of `ids`, owner first. */
function replicaSet (ids: readonly number[], key: number, k: number): number[] {
  const sorted = [...new Set(ids)].sort((a, b) => a - b)
  const owner = Number(trueSuccessor(m8, sorted.map(BigInt), BigInt(key)))
  const at = sorted.indexOf(owner)
  return Array.from({ length: Math.min(k, sorted.length) }, (_, j) => sorted[(at + j) % sorted.length] as number)
}

const ring = fc.uniqueArray(fc.integer({ min: 0, max: 255 }), { minLength: 2, maxLength: 24 })

test('property: in a settled ring, replication and repair between the holders of a key are never refused', () => {
  fc.assert(fc.property(ring, fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 5 }), (ids, key, k) => {
    const holders = replicaSet(ids, key, k)
    for (const self of holders) {
      const view = idealView(ids, self, k)
      for (const sender of holders.filter(h => h !== self)) {
        assert.equal(recordAccess(view, ref(sender), { kind: 'write' }).kind, 'allow', `${sender} → ${self} write ${key}`)
        assert.equal(recordAccess(view, ref(sender), { kind: 'read-keys', keys: [BigInt(key)] }).kind, 'allow', `${sender} → ${self} fetch ${key}`)
      }
    }
  }), { seed: 11, numRuns: 400 })
})

test('property: the owner may compare its whole arc with each of its k−1 successors', () => {
  fc.assert(fc.property(ring, fc.integer({ min: 1, max: 5 }), fc.nat(), (ids, k, pick) => {
    const sorted = [...ids].sort((a, b) => a - b)
    const owner = sorted[pick % sorted.length] as number
    const pred = sorted[(sorted.indexOf(owner) + sorted.length - 1) % sorted.length] as number
    for (const replica of replicaSet(ids, owner, k).slice(1)) {
      const access: RecordAccess = { kind: 'read-arc', from: BigInt(pred), to: BigInt(owner) }
      assert.equal(recordAccess(idealView(ids, replica, k), ref(owner), access).kind, 'allow', `${owner} repairs (${pred}, ${owner}] with ${replica}`)
    }
  }), { seed: 11, numRuns: 400 })
})

test('property: a joining node may pull its arc from its successor; an outsider never reads beyond the arc it would own, nor writes without the ring\'s word', () => {
  fc.assert(fc.property(ring, fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), (ids, joiner, k, from, to) => {
    fc.pre(!ids.includes(joiner))
    const sorted = [...ids].sort((a, b) => a - b)
    const successor = Number(trueSuccessor(m8, sorted.map(BigInt), BigInt(joiner)))
    const truePred = sorted[(sorted.indexOf(successor) + sorted.length - 1) % sorted.length] as number
    const own = { from: BigInt(truePred), to: BigInt(joiner) }
    assert.equal(recordAccess(idealView(ids, successor, k), ref(joiner), { kind: 'read-arc', ...own }).kind, 'allow')
    for (const member of sorted) {
      const view = idealView(ids, member, k)
      const asked = { from: BigInt(from), to: BigInt(to) }
      if (recordAccess(view, ref(joiner), { kind: 'read-arc', ...asked }).kind === 'allow') assert.ok(arcWithin(m8, asked, own), `${member} lets ${joiner} read (${from}, ${to}]`)
      if (recordAccess(view, ref(joiner), { kind: 'read-keys', keys: [BigInt(from)] }).kind === 'allow') assert.ok(betweenRightIncl(own.from, BigInt(from), own.to))
      assert.notEqual(recordAccess(view, ref(joiner), { kind: 'write' }).kind, 'allow')
    }
  }), { seed: 11, numRuns: 400 })
})
