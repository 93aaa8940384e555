import assert from 'node:assert/strict'
import { test } from 'node:test'
import { HybridClock } from '../../src/storage/hlc.js'

test('timestamps follow the wall clock in the high bits', () => {
  const clock = new HybridClock(() => 1000)
  assert.equal(clock.now() >> 16n, 1000n)
})

test('timestamps never repeat or go back, even when the wall clock does', () => {
  let wall = 5000
  const clock = new HybridClock(() => wall)
  const a = clock.now()
  const b = clock.now()
  wall = 4000 // the clock stepped back
  const c = clock.now()
  assert.ok(a < b && b < c)
})

test('a timestamp seen from another peer pushes the clock past it', () => {
  const clock = new HybridClock(() => 1000)
  const remote = (2000n << 16n) + 5n
  clock.observe({ timestamp: remote, writer: 'x' })
  assert.ok(clock.now() > remote)
})
