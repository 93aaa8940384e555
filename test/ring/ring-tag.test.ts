import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatTag, freshTag, raisedTag, sameTag, tagWins } from '../../src/ring/ring-tag.js'

test('a fresh tag keeps 64 random bits at the given epoch; a raised one is a fresh draw one epoch up', () => {
  assert.deepEqual(freshTag(() => (1n << 70n) | 0xabcn), { epoch: 0, nonce: 0xabcn })
  assert.deepEqual(freshTag(() => (1n << 64n) - 1n, 3), { epoch: 3, nonce: (1n << 64n) - 1n })
  assert.deepEqual(raisedTag({ epoch: 4, nonce: 9n }, () => 7n), { epoch: 5, nonce: 7n })
})

test('the higher epoch wins, then the lower nonce; a tag never wins over itself', () => {
  assert.ok(tagWins({ epoch: 2, nonce: 9n }, { epoch: 1, nonce: 1n }))
  assert.ok(!tagWins({ epoch: 1, nonce: 1n }, { epoch: 2, nonce: 9n }))
  assert.ok(tagWins({ epoch: 1, nonce: 1n }, { epoch: 1, nonce: 2n }))
  assert.ok(!tagWins({ epoch: 1, nonce: 2n }, { epoch: 1, nonce: 1n }))
  assert.ok(!tagWins({ epoch: 1, nonce: 2n }, { epoch: 1, nonce: 2n }))
})

test('tags are the same only when both exist with equal epoch and nonce', () => {
  assert.ok(sameTag({ epoch: 1, nonce: 2n }, { epoch: 1, nonce: 2n }))
  assert.ok(!sameTag({ epoch: 1, nonce: 2n }, { epoch: 2, nonce: 2n }))
  assert.ok(!sameTag({ epoch: 1, nonce: 2n }, { epoch: 1, nonce: 3n }))
  assert.ok(!sameTag(undefined, { epoch: 1, nonce: 2n }))
  assert.ok(!sameTag({ epoch: 1, nonce: 2n }, undefined))
  assert.ok(!sameTag(undefined, undefined))
})

test('a tag prints as its epoch and 16 hex digits of nonce', () => {
  assert.equal(formatTag({ epoch: 1, nonce: 0xc0ffeen }), '1-0000000000c0ffee')
})
