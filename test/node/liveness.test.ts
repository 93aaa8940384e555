import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Liveness } from '../../src/node/liveness.js'
import { FakeClock } from '../utils/sim-network.js'

test('a peer heard from recently counts as alive until its connections close, then it is asked again', async () => {
  const clock = new FakeClock()
  const liveness = new Liveness(clock, 10_000)
  liveness.alive('a')
  liveness.alive('b')
  await clock.advance(1000)
  assert.ok(liveness.seenWithin('a', 5000))
  liveness.disconnected('a')
  assert.equal(liveness.seenWithin('a', 5000), false, 'what was heard over closed connections vouches for nothing')
  assert.equal(liveness.isSuspect('a'), false, 'a closed connection is no failure')
  assert.ok(liveness.seenWithin('b', 5000), 'other peers keep their standing')
  liveness.alive('a')
  assert.ok(liveness.seenWithin('a', 5000))
})
