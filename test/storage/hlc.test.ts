import assert from 'node:assert/strict'
import { test } from 'node:test'
import { BadRequestError } from '../../src/errors.js'
import { checkVersionAhead, HybridClock, LOGICAL_BITS, millisOf, timestampAt } from '../../src/storage/hlc.js'

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

test('a wall-clock millisecond maps to the smallest timestamp in it and back; before 1970 and fractions fold down', () => {
  assert.equal(timestampAt(1000), 1000n << 16n)
  assert.equal(timestampAt(1000.9), 1000n << 16n)
  assert.equal(timestampAt(-5), 0n)
  assert.equal(millisOf((1000n << 16n) + 0xffffn), 1000)
})

test('in one millisecond the logical counter counts up; a new millisecond starts it at 0 again', () => {
  let wall = 1000
  const clock = new HybridClock(() => wall)
  assert.equal(clock.now(), 1000n << 16n)
  assert.equal(clock.now(), (1000n << 16n) + 1n)
  wall = 1001
  assert.equal(clock.now(), 1001n << 16n)
})

test('a timestamp observed from behind leaves the clock where it was; one equal to the last issued does not move it', () => {
  const clock = new HybridClock(() => 1000)
  const issued = clock.now()
  clock.observe({ timestamp: issued, writer: 'x' })
  clock.observe({ timestamp: 5n, writer: 'x' })
  assert.equal(clock.now(), issued + 1n)
  clock.observe({ timestamp: (3000n << 16n) + 7n, writer: 'x' })
  assert.equal(clock.now(), (3000n << 16n) + 8n)
})

test('how far a version lies ahead of the wall clock, in whole milliseconds, and the refusal against it', () => {
  const clock = new HybridClock(() => 1000.7)
  assert.equal(clock.aheadMs({ timestamp: (1500n << 16n) + 9n, writer: 'x' }), 500)
  assert.equal(clock.aheadMs({ timestamp: 400n << 16n, writer: 'x' }), -600)
  clock.refuseAhead({ timestamp: 1500n << 16n, writer: 'x' }, 500)
  assert.throws(() => { clock.refuseAhead({ timestamp: 1501n << 16n, writer: 'x' }, 500, 'a put version') }, (err: Error) => err instanceof BadRequestError && /^a put version 501 ms ahead of this peer's clock is refused \(at most 500 ms/.test(err.message))
  assert.throws(() => { checkVersionAhead({ timestamp: 2000n << 16n, writer: 'x' }, 1000, 10) }, (err: Error) => /^a version 1000 ms ahead/.test(err.message))
})
