import assert from 'node:assert/strict'
import { test } from 'node:test'
import { WatchRegistry } from '../../src/storage/watch-registry.js'
import type { NodeRef } from '../../src/ring/node-ref.js'

const node = (peer: string): NodeRef => ({ peer, id: 1n })
const key = (s: string): Uint8Array => new TextEncoder().encode(s)

test('a registration holds until it lapses, renewing it extends it, and lapsed ones are dropped', () => {
  const registry = new WatchRegistry({ maxRegistrations: 10, maxRegistrationsPerPeer: 10 })
  registry.register(key('k'), node('a'), 1000, 0)
  registry.register(key('k'), node('b'), 500, 0)
  assert.deepEqual(registry.watchersOf(key('k'), 100).map(n => n.peer), ['a', 'b'])
  assert.deepEqual(registry.watchersOf(key('other'), 100), [])
  registry.register(key('k'), node('b'), 2000, 400)
  assert.equal(registry.count, 2, 'a renewal is not a second registration')
  assert.deepEqual(registry.watchersOf(key('k'), 1500).map(n => n.peer), ['b'])
  assert.equal(registry.count, 1)
  registry.sweep(3000)
  assert.equal(registry.count, 0)
})

test('past its bounds, in all and from one peer, a registration is refused BUSY; lapsed ones make room', () => {
  const registry = new WatchRegistry({ maxRegistrations: 4, maxRegistrationsPerPeer: 2 })
  registry.register(key('1'), node('a'), 1000, 0)
  registry.register(key('2'), node('a'), 1000, 0)
  assert.throws(() => { registry.register(key('3'), node('a'), 1000, 0) }, (err: Error & { code?: string }) => err.code === 'BUSY' && /2 watch registrations here, the limit per peer/.test(err.message))
  registry.register(key('3'), node('b'), 1000, 0)
  registry.register(key('4'), node('b'), 500, 0)
  assert.throws(() => { registry.register(key('5'), node('c'), 1000, 0) }, (err: Error & { code?: string }) => err.code === 'BUSY' && /keeps 4 watch registrations, its limit/.test(err.message))
  // Once one lapses there is room again.
  registry.register(key('5'), node('c'), 1000, 600)
  assert.equal(registry.count, 4)
})
