import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isCloserSuccessor } from '../../src/ring/closer.js'
import { ref } from '../utils/ring-fixtures.js'

test('a candidate is a closer successor only if it lies strictly between the node and its successor (m = 8)', () => {
  const self = ref(100)
  assert.ok(isCloserSuccessor(self, ref(150), ref(120)))
  assert.ok(!isCloserSuccessor(self, ref(150), ref(150)))
  assert.ok(!isCloserSuccessor(self, ref(150), ref(200)))
  // Around zero: 10 lies between 250 and 20.
  assert.ok(isCloserSuccessor(ref(250), ref(20), ref(10)))
  assert.ok(!isCloserSuccessor(ref(250), ref(20), ref(30)))
})

test('a node alone takes any other node; never itself', () => {
  const self = ref(100)
  assert.ok(isCloserSuccessor(self, undefined, ref(7)))
  assert.ok(isCloserSuccessor(self, self, ref(7)))
  assert.ok(!isCloserSuccessor(self, undefined, self))
  assert.ok(!isCloserSuccessor(self, ref(150), { id: 120n, peer: 'n100' }))
})
