import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ConcurrencyLimit } from '../../src/storage/concurrency-limit.js'

test('at most `limit` operations run at once; the rest start in the order they came, as slots free up', async () => {
  const limit = new ConcurrencyLimit(2)
  const gates = Array.from({ length: 5 }, () => Promise.withResolvers<void>())
  const started: number[] = []
  let running = 0
  let most = 0
  const done = gates.map(async (gate, i) => limit.run(async () => {
    started.push(i)
    most = Math.max(most, ++running)
    await gate.promise
    running--
    return i
  }))
  await new Promise(resolve => setImmediate(resolve))
  assert.deepEqual(started, [0, 1])
  assert.equal(limit.queued, 3)
  gates[1]?.resolve()
  await new Promise(resolve => setImmediate(resolve))
  assert.deepEqual(started, [0, 1, 2])
  for (const gate of gates) gate.resolve()
  assert.deepEqual(await Promise.all(done), [0, 1, 2, 3, 4])
  assert.deepEqual(started, [0, 1, 2, 3, 4])
  assert.equal(most, 2)
  assert.equal(limit.queued, 0)
})

test('an operation that fails frees its slot', async () => {
  const limit = new ConcurrencyLimit(1)
  await assert.rejects(limit.run(async () => { throw new Error('boom') }), /boom/)
  assert.equal(await limit.run(async () => 'next'), 'next')
})
