import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { HintedHandoff } from '../../src/storage/hints.js'
import { sizeOf } from '../../src/storage/repair.js'
import type { KvRecord } from '../../src/protocol/record.js'
import type { NodeRef } from '../../src/ring/node-ref.js'

const text = (s: string): Uint8Array => new TextEncoder().encode(s)
const record = (key: string, timestamp: number, value = 'v'): KvRecord => ({ key: text(key), value: text(value), version: { timestamp: BigInt(timestamp), writer: 'w' } })
const a: NodeRef = { id: 1n, peer: 'a' }
const b: NodeRef = { id: 2n, peer: 'b' }
const keys = (records: readonly KvRecord[]): string[] => records.map(r => new TextDecoder().decode(r.key))

describe('hinted hand-off: writes kept for replicas that missed them', () => {
  test('one hint per replica and key, the newest version', () => {
    const hints = new HintedHandoff({ maxRecords: 100, maxBytes: 1 << 20 })
    hints.add(a, record('k', 2))
    hints.add(a, record('k', 1))
    hints.add(b, record('k', 1))
    assert.equal(hints.stats().records, 2)
    assert.equal(hints.batch('a', 10, 1 << 20)[0]?.version.timestamp, 2n)
    hints.add(a, record('k', 3))
    assert.equal(hints.batch('a', 10, 1 << 20)[0]?.version.timestamp, 3n)
    assert.deepEqual(hints.replicas().map(r => r.peer).sort(), ['a', 'b'])
  })

  test('bounded in records and in bytes: the oldest go first, counted as overflowed', () => {
    const byCount = new HintedHandoff({ maxRecords: 3, maxBytes: 1 << 20 })
    for (let i = 0; i < 5; i++) byCount.add(a, record(`k${i}`, i))
    assert.deepEqual(keys(byCount.batch('a', 10, 1 << 20)), ['k2', 'k3', 'k4'])
    assert.equal(byCount.stats().overflowed, 2)

    const size = sizeOf(record('k0', 0, 'x'.repeat(100)))
    const byBytes = new HintedHandoff({ maxRecords: 100, maxBytes: 2 * size })
    for (let i = 0; i < 4; i++) byBytes.add(b, record(`k${i}`, i, 'x'.repeat(100)))
    assert.deepEqual(keys(byBytes.batch('b', 10, 1 << 20)), ['k2', 'k3'])
    assert.equal(byBytes.stats().bytes, 2 * size)
    assert.equal(byBytes.stats().overflowed, 2)
  })

  test('batches are oldest first and limited in records and bytes (at least one)', () => {
    const hints = new HintedHandoff({ maxRecords: 100, maxBytes: 1 << 20 })
    for (let i = 0; i < 5; i++) hints.add(a, record(`k${i}`, i, 'x'.repeat(100)))
    assert.deepEqual(keys(hints.batch('a', 2, 1 << 20)), ['k0', 'k1'])
    assert.deepEqual(keys(hints.batch('a', 10, 1)), ['k0'])
  })

  test('a delivered hint is done unless a newer version arrived meanwhile', () => {
    const hints = new HintedHandoff({ maxRecords: 100, maxBytes: 1 << 20 })
    hints.add(a, record('k', 1))
    hints.add(a, record('j', 1))
    const batch = hints.batch('a', 10, 1 << 20)
    hints.add(a, record('k', 2))
    hints.deliveredTo(a, batch)
    assert.deepEqual(keys(hints.batch('a', 10, 1 << 20)), ['k'])
    assert.equal(hints.stats().delivered, 1)
  })

  test('a replica that stored a version after all clears its hint for that version or an older one', () => {
    const hints = new HintedHandoff({ maxRecords: 100, maxBytes: 1 << 20 })
    hints.add(a, record('k', 2))
    hints.stored(a, record('k', 1))
    assert.equal(hints.stats().records, 1)
    hints.stored(a, record('k', 2))
    assert.equal(hints.stats().records, 0)
  })

  test('hints made unnecessary are dropped, only those added up to a mark', () => {
    const hints = new HintedHandoff({ maxRecords: 100, maxBytes: 1 << 20 })
    hints.add(a, record('k0', 0))
    hints.add(b, record('k1', 1))
    const mark = hints.mark()
    hints.add(a, record('k2', 2))
    assert.equal(hints.drop('a', () => true, mark), 1)
    assert.deepEqual(keys(hints.batch('a', 10, 1 << 20)), ['k2'])
    assert.equal(hints.drop('b', r => keys([r])[0] === 'other'), 0)
    assert.deepEqual(hints.stats(), { records: 2, bytes: hints.stats().bytes, replicas: 2, delivered: 0, dropped: 1, overflowed: 0 })
  })
})
