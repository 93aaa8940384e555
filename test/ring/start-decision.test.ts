import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decideStart as decide, type KnownPeerState } from '../../src/ring/start-decision.js'
import type { NodeRef } from '../../src/ring/node-ref.js'
import { ref } from '../utils/ring-fixtures.js'

const self = ref(50)
/** One round in which every known peer answered (unless said otherwise). */
const decideStart = (self: NodeRef, answered: KnownPeerState[], deadlinePassed: boolean, unanswered = 0, lowestBefore = false): ReturnType<typeof decide> =>
  decide(self, { answered, unanswered, deadlinePassed, lowestBefore })
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
  assert.deepEqual(decideStart(ref(60), [{ node: self, member: false }, { node: ref(70), member: false }], false), { kind: 'wait', lowest: false })
})

test('while some known peers have not answered, the lowest of those that did founds only in its second round as the lowest', () => {
  const starting = [{ node: ref(60), member: false }]
  assert.deepEqual(decideStart(self, starting, false, 2), { kind: 'wait', lowest: true })
  assert.equal(decideStart(self, starting, false, 2, true).kind, 'found')
  // Once every known peer answers, it goes first at once.
  assert.equal(decideStart(self, starting, false, 0).kind, 'found')
})

test('a silent known peer whose address names a lower peer ID keeps the lowest of those that answered from founding, until the time is up', () => {
  const starting = [{ node: ref(60), member: false }]
  const round = { answered: starting, unanswered: 1, lowerUnanswered: true }
  assert.deepEqual(decide(self, { ...round, deadlinePassed: false, lowestBefore: true }), { kind: 'wait', lowest: false })
  assert.equal(decide(self, { ...round, deadlinePassed: true, lowestBefore: false }).kind, 'found')
})

test('a name that does not list this peer yet may miss a lower peer: the lowest of those that answered waits, a member is still joined', () => {
  const starting = [{ node: ref(60), member: false }]
  const round = { answered: starting, unanswered: 0, incomplete: true }
  assert.deepEqual(decide(self, { ...round, deadlinePassed: false, lowestBefore: true }), { kind: 'wait', lowest: false })
  assert.equal(decide(self, { ...round, deadlinePassed: true, lowestBefore: false }).kind, 'found')
  assert.deepEqual(decide(self, { ...round, answered: [{ node: ref(70), member: true, tag: tag(0, 1n) }], deadlinePassed: false, lowestBefore: false }), { kind: 'join', via: ref(70) })
})

test('nobody answering means waiting until the time is up, then founding', () => {
  assert.deepEqual(decideStart(self, [], false, 1), { kind: 'wait', lowest: false })
  assert.equal(decideStart(self, [], true).kind, 'found')
  // A starting peer with a lower ID that answered still wins the wait, but not past the deadline.
  assert.deepEqual(decideStart(ref(60), [{ node: self, member: false }], false), { kind: 'wait', lowest: false })
  assert.equal(decideStart(ref(60), [{ node: self, member: false }], true).kind, 'found')
})
