import assert from 'node:assert/strict'
import { test } from 'node:test'
import { distinctNodes, sameNode } from '../../src/ring/node-ref.js'
import { ref } from '../utils/ring-fixtures.js'

test('two references name the same node when both exist with one peer', () => {
  assert.ok(sameNode(ref(1), { id: 99n, peer: 'n1' }))
  assert.ok(!sameNode(ref(1), ref(2)))
  assert.ok(!sameNode(undefined, ref(1)))
  assert.ok(!sameNode(ref(1), undefined))
  assert.ok(!sameNode(undefined, undefined))
})

test('repeated peers are dropped, keeping the first of each in order', () => {
  assert.deepEqual(distinctNodes([ref(3), ref(1), { id: 7n, peer: 'n3' }, ref(2), ref(1)]), [ref(3), ref(1), ref(2)])
  assert.deepEqual(distinctNodes([]), [])
})
