import assert from 'node:assert/strict'
import { test } from 'node:test'
import { FingerTable, firstFingerBeyond, nextFingerToFix } from '../../src/ring/finger-table.js'
import { betweenRightIncl, fingerStart, idSpace } from '../../src/ring/ids.js'
import { ref, trueSuccessor } from '../utils/ring-fixtures.js'

test('the 2001 paper example: m = 3, nodes 0, 1, 3', () => {
  const m3 = idSpace(3)
  const ids = [0n, 1n, 3n]
  const expected: Record<string, bigint[]> = { 0: [1n, 3n, 0n], 1: [3n, 3n, 0n], 3: [0n, 0n, 0n] }
  for (const self of ids) {
    const table = new FingerTable(m3, self)
    const starts = [0, 1, 2].map(i => table.start(i))
    const succ = starts.map(s => trueSuccessor(m3, ids, s))
    assert.deepEqual(succ, expected[String(self)])
  }
  const t1 = new FingerTable(m3, 1n)
  assert.deepEqual([0, 1, 2].map(i => t1.start(i)), [2n, 3n, 5n])
})

test('one lookup fills every finger with the same successor (m = 8)', () => {
  const m8 = idSpace(8)
  const table = new FingerTable(m8, 10n)
  // starts: 11 12 14 18 26 42 74 138; nodes 40, 100, 200
  assert.equal(firstFingerBeyond(m8, 10n, 40n), 5)
  assert.equal(table.update(5, ref(100)), 6) // 42 and 74 both go to 100
  assert.equal(table.update(7, ref(200)), 7)
  assert.deepEqual(table.all().map(e => e?.peer), [undefined, undefined, undefined, undefined, undefined, 'n100', 'n100', 'n200'])
  assert.deepEqual(table.distinct().map(n => n.peer), ['n100', 'n200'])
  assert.equal(table.removePeer('n100'), true)
  assert.deepEqual(table.distinct().map(n => n.peer), ['n200'])
  assert.equal(table.removePeer('n100'), false)
})

test('a lookup answered by the node itself empties that finger and all later ones', () => {
  const m8 = idSpace(8)
  const table = new FingerTable(m8, 10n)
  table.update(5, ref(100))
  table.update(7, ref(200))
  assert.equal(table.update(6, ref(10)), 7)
  assert.deepEqual(table.distinct().map(n => n.peer), ['n100'])
})

test('fix-fingers skips fingers covered by the successor and wraps', () => {
  const m8 = idSpace(8)
  assert.equal(nextFingerToFix(m8, 10n, 40n, 0), 5)
  assert.equal(nextFingerToFix(m8, 10n, 40n, 6), 6)
  assert.equal(nextFingerToFix(m8, 10n, 40n, 8), 5)
  assert.equal(nextFingerToFix(m8, 10n, undefined, 3), 3)
  // successor beyond every finger start: everything is the successor
  assert.equal(firstFingerBeyond(m8, 10n, 9n), 0)
})

test('the first finger beyond the successor is the first whose start lies outside (n, successor], for every pair (m = 6) and across 256 bits', () => {
  const byDefinition = (space: ReturnType<typeof idSpace>, self: bigint, successor: bigint): number => {
    let i = 0
    while (i < space.bits && betweenRightIncl(self, fingerStart(space, self, i), successor)) i++
    return i < space.bits ? i : 0
  }
  const m6 = idSpace(6)
  for (let self = 0n; self < 64n; self++) {
    for (let successor = 0n; successor < 64n; successor++) {
      if (successor !== self) assert.equal(firstFingerBeyond(m6, self, successor), byDefinition(m6, self, successor), `self ${self}, successor ${successor}`)
    }
  }
  const m256 = idSpace(256)
  const self = (1n << 255n) + 12345n
  for (let bits = 1; bits <= 256; bits++) {
    for (const successor of [(self + (1n << BigInt(bits - 1))) % m256.size, (self + (1n << BigInt(bits - 1)) - 1n) % m256.size]) {
      if (successor !== self) assert.equal(firstFingerBeyond(m256, self, successor), byDefinition(m256, self, successor))
    }
  }
})
