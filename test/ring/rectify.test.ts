import assert from 'node:assert/strict'
import { test } from 'node:test'
import { notifierConfirms, rectifyDecision } from '../../src/ring/rectify.js'
import { ref } from '../utils/ring-fixtures.js'

test('a notification is confirmed only by a member whose first successor is the notified node', () => {
  const self = ref(100)
  const cases: Array<[string, { member: boolean, successors: ReturnType<typeof ref>[] }, boolean]> = [
    ['a member naming it first', { member: true, successors: [ref(100), ref(130)] }, true],
    ['a member naming it second', { member: true, successors: [ref(110), ref(100)] }, false],
    ['a member naming another', { member: true, successors: [ref(130)] }, false],
    ['a member alone', { member: true, successors: [] }, false],
    ['not a member, naming it first', { member: false, successors: [ref(100)] }, false]
  ]
  for (const [name, state, expected] of cases) assert.equal(notifierConfirms(self, state), expected, name)
})

test('the decision that asks for confirmation is unchanged: adopt, check or ignore', () => {
  assert.equal(rectifyDecision(ref(100), ref(50), ref(80)), 'adopt')
  assert.equal(rectifyDecision(ref(100), ref(80), ref(50)), 'check')
  assert.equal(rectifyDecision(ref(100), ref(80), ref(80)), 'ignore')
})
