import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { ringIdOfKey } from '../../src/ring/hash.js'
import { betweenRightIncl, SHA256_SPACE } from '../../src/ring/ids.js'
import { IndexedStore } from '../../src/storage/indexed-store.js'
import { MemoryStore } from '../../src/storage/memory-store.js'
import { positionOf } from '../../src/storage/positions.js'
import { emptySummary, fingerprint, xorInto } from '../../src/storage/range-index.js'
import type { KvRecord } from '../../src/protocol/record.js'
import type { RingId } from '../../src/ring/ids.js'

const writer = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
const rec = (key: string, ts: bigint, value: string | undefined = 'v'): KvRecord => ({ key: new TextEncoder().encode(key), value: value === undefined ? undefined : new TextEncoder().encode(value), version: { timestamp: ts, writer } })

/** The digest of an arc computed the slow way, from every record held. */
function bruteForce (records: Map<string, KvRecord>, from: RingId, to: RingId): { hash: Uint8Array, count: number } {
  const out = emptySummary()
  for (const r of records.values()) {
    if (!betweenRightIncl(from, ringIdOfKey(r.key), to)) continue
    xorInto(out.hash, fingerprint(positionOf(r.key), r.version))
    out.count++
  }
  return out
}

test('arc digests from the index equal digests computed from every record, through updates and removals', async () => {
  const id = fc.bigInt({ min: 0n, max: SHA256_SPACE.size - 1n })
  await fc.assert(fc.asyncProperty(
    fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.constantFrom('put', 'del', 'remove')), { minLength: 1, maxLength: 120 }),
    fc.array(fc.tuple(id, id), { minLength: 1, maxLength: 8 }),
    async (ops, arcs) => {
      // 4-bit buckets: most arcs have partial buckets at both ends
      const store = await IndexedStore.over(new MemoryStore(), 4)
      const truth = new Map<string, KvRecord>()
      let ts = 1n
      for (const [k, kind] of ops) {
        const key = `k${k}`
        if (kind === 'remove') {
          const current = truth.get(key)
          if (current !== undefined && (await store.remove(current.key, current.version)) !== undefined) truth.delete(key)
        } else {
          const r = rec(key, ts++, kind === 'put' ? `v${ts}` : undefined)
          await store.put(r)
          truth.set(key, r)
        }
      }
      for (const [from, to] of [...arcs, [0n, 0n] as [bigint, bigint]]) {
        const got = await store.summarize(from, to)
        const want = bruteForce(truth, from, to)
        assert.equal(got.count, want.count)
        assert.deepEqual(Buffer.from(got.hash), Buffer.from(want.hash))
      }
    }
  ), { numRuns: 60 })
})

test('equal record sets give equal digests whatever the order of writes; one different version changes it', async () => {
  const a = await IndexedStore.over(new MemoryStore())
  const b = await IndexedStore.over(new MemoryStore())
  const records = Array.from({ length: 50 }, (_, i) => rec(`key${i}`, BigInt(i + 1)))
  for (const r of records) await a.put(r)
  for (const r of [...records].reverse()) await b.put(r)
  const parts = 16
  assert.deepEqual(await a.summarizeParts(5n, 5n, parts), await b.summarizeParts(5n, 5n, parts))
  await b.put(rec('key7', 100n))
  const [da, db] = [await a.summarizeParts(5n, 5n, parts), await b.summarizeParts(5n, 5n, parts)]
  assert.equal(da.filter((s, i) => Buffer.compare(s.hash, (db[i] as { hash: Uint8Array }).hash) !== 0).length, 1)
})

test('an index built over an existing store matches one kept from the start', async () => {
  const inner = new MemoryStore()
  for (let i = 0; i < 30; i++) await inner.put(rec(`x${i}`, BigInt(i + 1)))
  const rebuilt = await IndexedStore.over(inner)
  const kept = await IndexedStore.over(new MemoryStore())
  for (let i = 0; i < 30; i++) await kept.put(rec(`x${i}`, BigInt(i + 1)))
  assert.deepEqual(await rebuilt.summarize(0n, 0n), await kept.summarize(0n, 0n))
})

test('the index takes every valid timestamp, 0 to 2^64−1, and tells versions at the extremes apart', async () => {
  const store = await IndexedStore.over(new MemoryStore(), 4)
  const other = await IndexedStore.over(new MemoryStore(), 4)
  const extremes = [0n, 1n, (1n << 63n), (1n << 64n) - 2n, (1n << 64n) - 1n]
  for (const [i, ts] of extremes.entries()) {
    await store.put(rec(`x${i}`, ts))
    await other.put(rec(`x${i}`, ts === 0n ? 1n : ts - 1n))
  }
  const mine = await store.summarize(0n, 0n)
  const theirs = await other.summarize(0n, 0n)
  assert.equal(mine.count, extremes.length)
  assert.notDeepEqual(mine.hash, theirs.hash)
  assert.equal((await store.get(new TextEncoder().encode('x4')))?.version.timestamp, (1n << 64n) - 1n)
})

test('a digest reads the records of a partial bucket only when the index counts some there', async () => {
  const inner = new MemoryStore()
  let reads = 0
  const range = inner.range.bind(inner)
  inner.range = (from, to, after) => { reads++; return range(from, to, after) }
  const store = await IndexedStore.over(inner, 4)
  reads = 0
  const bucket = 1n << 252n
  // An arc with partial buckets at both ends, in an empty store: nothing is read.
  assert.equal((await store.summarize(bucket + 5n, 9n * bucket + 7n)).count, 0)
  assert.equal(reads, 0)
  const record = rec('k-in-a-partial-bucket', 1n)
  await store.put(record)
  const at = ringIdOfKey(record.key)
  const start = at - (at % bucket)
  // The arc starts inside the key's bucket, before the key: that bucket is read, the other end's (empty) is not.
  const got = await store.summarize(at - 1n, (start + 3n * bucket + 11n) % SHA256_SPACE.size)
  assert.equal(got.count, 1)
  assert.equal(reads, 1)
})
