import assert from 'node:assert/strict'
import { test } from 'node:test'
import { BadRequestError } from '../../src/errors.js'
import { checkVersionAhead, HybridClock, LOGICAL_BITS } from '../../src/storage/hlc.js'

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

test('a version at most the offset ahead of the wall clock is taken; one further is refused by name, 2^64−1 too', () => {
  const now = 1_000_000
  const at = (ms: number): { timestamp: bigint, writer: string } => ({ timestamp: (BigInt(ms) << LOGICAL_BITS) | 0xffffn, writer: 'x' })
  checkVersionAhead(at(now - 5000), now, 60_000)
  checkVersionAhead(at(now + 60_000), now, 60_000)
  assert.throws(() => { checkVersionAhead(at(now + 60_001), now, 60_000) }, (err: Error) => err instanceof BadRequestError && /60001 ms ahead of this peer's clock is refused \(at most 60000 ms, replication\.maxClockOffsetMs\)/.test(err.message))
  assert.throws(() => { checkVersionAhead({ timestamp: (1n << 64n) - 1n, writer: 'x' }, now, 60_000) }, BadRequestError)
})
