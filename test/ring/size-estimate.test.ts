import assert from 'node:assert/strict'
import { test } from 'node:test'
import { idSpace } from '../../src/ring/ids.js'
import { estimateRingSize } from '../../src/ring/size-estimate.js'
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
