import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decideStart } from '../../src/ring/start-decision.js'
import { ref } from '../utils/ring-fixtures.js'

const self = ref(50)
const tag = (epoch: number, nonce: bigint): { epoch: number, nonce: bigint } => ({ epoch, nonce })

test('a member that answered is joined; among several rings, the one whose tag wins', () => {
  assert.deepEqual(decideStart(self, [{ node: ref(10), member: false }, { node: ref(20), member: true, tag: tag(0, 5n) }], false), { kind: 'join', via: ref(20) })
  const decision = decideStart(self, [{ node: ref(20), member: true, tag: tag(0, 5n) }, { node: ref(30), member: true, tag: tag(1, 9n) }], true)
  assert.deepEqual(decision, { kind: 'join', via: ref(30) })
})

test('when only starting peers answer, the lowest peer ID founds and the others wait for it', () => {
  // Peer names compare as strings: "n50" < "n60" < "n70".
  const founder = decideStart(self, [{ node: ref(60), member: false }, { node: ref(70), member: false }], false)
  assert.equal(founder.kind, 'found')
  assert.deepEqual(decideStart(ref(60), [{ node: self, member: false }, { node: ref(70), member: false }], false), { kind: 'wait' })
})

test('nobody answering means waiting until the time is up, then founding', () => {
  assert.deepEqual(decideStart(self, [], false), { kind: 'wait' })
  assert.equal(decideStart(self, [], true).kind, 'found')
  // A starting peer with a lower ID that answered still wins the wait, but not past the deadline.
  assert.deepEqual(decideStart(ref(60), [{ node: self, member: false }], false), { kind: 'wait' })
  assert.equal(decideStart(ref(60), [{ node: self, member: false }], true).kind, 'found')
})
