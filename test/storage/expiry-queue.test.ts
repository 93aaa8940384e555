import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ExpiryQueue } from '../../src/storage/expiry-queue.js'

const version = { timestamp: 1n, writer: 'w' }

test('the expiry queue gives what is due, soonest first, at most the batch asked for, and keeps the rest', () => {
  const queue = new ExpiryQueue()
  let seed = 11
  const next = (): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % 10_000 }
  const instants = Array.from({ length: 2000 }, next)
  for (const atMs of instants) queue.add({ atMs, key: new Uint8Array([atMs % 256]), version })
  assert.equal(queue.size, 2000)
  assert.equal(queue.nextAtMs, Math.min(...instants))
  const dueBy = (ms: number): number[] => instants.filter(t => t <= ms).sort((a, b) => a - b)
  const first = queue.due(5000, 300)
  assert.deepEqual(first.map(e => e.atMs), dueBy(5000).slice(0, 300))
  const rest = queue.due(5000, 100_000)
  assert.deepEqual(rest.map(e => e.atMs), dueBy(5000).slice(300))
  assert.deepEqual(queue.due(5000, 10), [], 'nothing more is due yet')
  assert.equal(queue.size, 2000 - dueBy(5000).length)
  assert.deepEqual(queue.due(Infinity, 100_000).map(e => e.atMs), instants.filter(t => t > 5000).sort((a, b) => a - b))
  assert.equal(queue.nextAtMs, undefined)
})
