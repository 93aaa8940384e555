import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { ringIdOfKey } from '../../src/ring/hash.js'
import { IndexedStore } from '../../src/storage/indexed-store.js'
import { LevelStore } from '../../src/storage/level-store.js'
import { MemoryStore } from '../../src/storage/memory-store.js'
import { tempDir } from '../utils/control.js'
import type { KvRecord } from '../../src/protocol/record.js'
import type { RingId } from '../../src/ring/ids.js'
import type { RecordStore } from '../../src/storage/store.js'

const writer = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
const text = (s: string): Uint8Array => new TextEncoder().encode(s)
const record = (key: string, value: string | undefined, timestamp: bigint, by = writer): KvRecord => ({
  key: text(key),
  value: value === undefined ? undefined : text(value),
  version: { timestamp, writer: by }
})

/** 200 keys sorted by their ring position. */
const keys = Array.from({ length: 200 }, (_, i) => `key-${i}`).sort((a, b) => (ringIdOfKey(text(a)) < ringIdOfKey(text(b)) ? -1 : 1))
const idOf = (key: string): RingId => ringIdOfKey(text(key))

async function collect (store: RecordStore, from: RingId, to: RingId, after?: Uint8Array): Promise<string[]> {
  const out: string[] = []
  for await (const { record } of store.range(from, to, after)) out.push(new TextDecoder().decode(record.key))
  return out
}

const stores: Array<[string, () => Promise<RecordStore>]> = [
  ['MemoryStore', async () => new MemoryStore()],
  ['LevelStore', async () => LevelStore.open(join(await tempDir(), 'store'))]
]

for (const [name, open] of stores) {
  describe(name, () => {
    test('a newer version replaces the value, an older or equal one does not', async () => {
      const store = await open()
      assert.deepEqual(await store.put(record('k', 'v1', 10n)), { stored: record('k', 'v1', 10n), previous: undefined, applied: true })
      const second = await store.put(record('k', 'v2', 20n))
      assert.equal(new TextDecoder().decode(second.stored.value), 'v2')
      assert.equal(new TextDecoder().decode(second.previous?.value), 'v1')
      const stale = await store.put(record('k', 'old', 15n))
      assert.equal(stale.applied, false)
      assert.equal(new TextDecoder().decode(stale.stored.value), 'v2')
      // equal timestamps are ordered by writer: only the larger writer wins
      const [low, high] = writer < other ? [writer, other] : [other, writer]
      await store.put(record('t', 'a', 5n, high))
      assert.equal(new TextDecoder().decode((await store.put(record('t', 'b', 5n, low))).stored.value), 'a')
      assert.equal(new TextDecoder().decode((await store.get(text('k')))?.value), 'v2')
      await store.close()
    })

    test('a tombstone hides the value and is counted apart from live keys', async () => {
      const store = await open()
      await store.put(record('a', 'x', 1n))
      await store.put(record('b', 'y', 1n))
      await store.put(record('a', undefined, 2n))
      assert.equal((await store.get(text('a')))?.value, undefined)
      assert.deepEqual(store.counts(), { keys: 1, tombstones: 1 })
      // an older write cannot resurrect a deleted key
      await store.put(record('a', 'zombie', 1n))
      assert.equal((await store.get(text('a')))?.value, undefined)
      await store.close()
    })

    test('an expired value is replaced by its deletion at the same version, never the other way round, and no older write returns', async () => {
      const store = await open()
      const value = { ...record('e', 'v', 10n), expiresAtMs: 1000 }
      const expired = { ...record('e', undefined, 10n), expiresAtMs: 1000 }
      assert.equal((await store.put(value)).applied, true)
      assert.equal((await store.put(expired)).applied, true, 'expiry applies in place, at the same version')
      assert.deepEqual(await store.get(text('e')), expired)
      assert.deepEqual(store.counts(), { keys: 0, tombstones: 1 })
      // The value again (a late hint, a replica that had not expired it yet) does not come back.
      assert.equal((await store.put(value)).applied, false)
      assert.equal((await store.put(record('e', 'older', 9n))).applied, false)
      // A plain tombstone at the same version is not an expiry: it does not replace a value.
      await store.put({ ...record('f', 'v', 10n), expiresAtMs: 1000 })
      assert.equal((await store.put(record('f', undefined, 10n))).applied, false)
      // A newer write replaces an expired value as any other.
      assert.equal((await store.put(record('e', 'new', 11n))).applied, true)
      await store.close()
    })

    test('remove deletes only the exact version handed off', async () => {
      const store = await open()
      await store.put(record('k', 'v', 7n))
      assert.equal(await store.remove(text('k'), { timestamp: 6n, writer }), undefined)
      assert.equal(await store.remove(text('k'), { timestamp: 7n, writer: other }), undefined)
      assert.equal(new TextDecoder().decode((await store.remove(text('k'), { timestamp: 7n, writer }))?.value), 'v')
      assert.equal(await store.get(text('k')), undefined)
      assert.deepEqual(store.counts(), { keys: 0, tombstones: 0 })
      await store.close()
    })

    test('range returns the arc (from, to] in ring order, also across zero, and the whole circle when from = to', async () => {
      const store = await open()
      for (const k of keys) await store.put(record(k, 'v', 1n))
      const at = (i: number): RingId => idOf(keys[i] as string)
      assert.deepEqual(await collect(store, at(10), at(20)), keys.slice(11, 21))
      // just below a key includes it; the key itself as `from` excludes it
      assert.deepEqual(await collect(store, at(10) - 1n, at(10)), [keys[10]])
      assert.deepEqual(await collect(store, at(190), at(5)), [...keys.slice(191), ...keys.slice(0, 6)])
      assert.deepEqual(await collect(store, at(42), at(42)), [...keys.slice(43), ...keys.slice(0, 43)])
      assert.deepEqual(await collect(store, at(30), at(30) + 1n), [])
      await store.close()
    })

    test('paging with the position cursor resumes across the wrap without repeats or gaps', async () => {
      const store = await open()
      for (const k of keys) await store.put(record(k, 'v', 1n))
      const from = idOf(keys[150] as string)
      const to = idOf(keys[60] as string)
      const seen: string[] = []
      let after: Uint8Array | undefined
      while (true) {
        const page: Array<{ position: Uint8Array, key: string }> = []
        for await (const { position, record } of store.range(from, to, after)) {
          page.push({ position, key: new TextDecoder().decode(record.key) })
          if (page.length === 17) break
        }
        seen.push(...page.map(p => p.key))
        if (page.length < 17) break
        after = page.at(-1)?.position
      }
      assert.deepEqual(seen, [...keys.slice(151), ...keys.slice(0, 61)])
      await store.close()
    })

    test('ranges stay in ring order through inserts, overwrites and removals in any order', async () => {
      const store = await open()
      const held = new Map<string, bigint>()
      let seed = 7
      const next = (m: number): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % m }
      for (let step = 1; step <= 600; step++) {
        const key = keys[next(60)] as string
        const version = held.get(key)
        if (version !== undefined && next(3) === 0) {
          await store.remove(text(key), { timestamp: version, writer })
          held.delete(key)
        } else {
          await store.put(record(key, 'v', BigInt(step)))
          held.set(key, BigInt(step))
        }
      }
      const live = keys.filter(k => held.has(k))
      const first = idOf(keys[0] as string)
      assert.deepEqual(await collect(store, first - 1n, first - 1n), live)
      const mid = idOf(keys[30] as string)
      assert.deepEqual(await collect(store, mid, idOf(keys[10] as string)), [...live.filter(k => idOf(k) > mid), ...live.filter(k => idOf(k) <= idOf(keys[10] as string))])
      await store.close()
    })
  })
}

test('LevelStore keeps records and counts across reopening', async () => {
  const dir = join(await tempDir(), 'store')
  const first = await LevelStore.open(dir)
  await first.put(record('kept', 'value', 3n))
  await first.put(record('gone', undefined, 4n))
  await first.close()
  const again = await LevelStore.open(dir)
  assert.equal(new TextDecoder().decode((await again.get(text('kept')))?.value), 'value')
  assert.deepEqual((await again.get(text('kept')))?.version, { timestamp: 3n, writer })
  assert.deepEqual(again.counts(), { keys: 1, tombstones: 1 })
  await again.close()
})

test('LevelStore keeps an expiring value\'s expiry across reopening, and the store rebuilds its expiry queue', async () => {
  const dir = join(await tempDir(), 'store')
  const first = await IndexedStore.over(await LevelStore.open(dir))
  await first.put({ ...record('soon', 'v', 3n), expiresAtMs: 5000 })
  await first.put({ ...record('later', 'v', 4n), expiresAtMs: 9000 })
  await first.put({ ...record('gone', undefined, 4n), expiresAtMs: 2000 })
  await first.put(record('plain', 'v', 4n))
  await first.close()
  const again = await IndexedStore.over(await LevelStore.open(dir))
  assert.equal((await again.get(text('soon')))?.expiresAtMs, 5000)
  assert.equal((await again.get(text('plain')))?.expiresAtMs, undefined)
  // Values that expire are queued again, soonest first; a deletion or a plain value is not.
  assert.equal(again.expiring.size, 2)
  assert.deepEqual(again.expiring.due(6000, 10).map(e => new TextDecoder().decode(e.key)), ['soon'])
  await again.close()
})

/** Bytes of the store's table files mapped into this process. */
async function mappedTables (dir: string): Promise<number> {
  const maps = await readFile('/proc/self/maps', 'utf8')
  let bytes = 0
  for (const line of maps.split('\n').filter(l => l.includes(`${dir}/`) && l.endsWith('.ldb'))) {
    const [start, end] = (line.split(' ')[0] as string).split('-').map(hex => parseInt(hex, 16)) as [number, number]
    bytes += end - start
  }
  return bytes
}

test('LevelStore releases the table files LevelDB mapped once nothing uses it: records, counts and scans stay, operations meanwhile wait', async () => {
  const dir = join(await tempDir(), 'store')
  // A small write buffer: the values are flushed into table files, which reads then map.
  const store = await LevelStore.open(dir, { writeBufferBytes: 64 << 10 })
  const value = 'v'.repeat(8 << 10)
  for (const [i, key] of keys.entries()) await store.put(record(key, value, BigInt(i + 1)))
  for (const key of keys) assert.equal((await store.get(text(key)))?.value?.length, value.length)
  const mapped = await mappedTables(dir)
  assert.ok(mapped > 0, 'reading from table files maps them')

  // A scan under way is use: nothing is released under it.
  const scan = store.range(0n, 0n)[Symbol.asyncIterator]()
  assert.equal((await scan.next()).done, false)
  assert.equal(await store.release(), false)
  await scan.return?.()

  assert.equal(await store.release(), true)
  // Reopening replays LevelDB's log into a new table, which may be mapped: the tables read before are not.
  const left = await mappedTables(dir)
  assert.ok(left < mapped / 2, `${left} of ${mapped} bytes still mapped after the release`)
  for (const key of keys) assert.equal((await store.get(text(key)))?.value?.length, value.length)
  assert.ok(await mappedTables(dir) > 0, 'reopened: reads map the table files again')

  // Issued while it closes and reopens: they wait for it.
  const during = await Promise.all([store.release(), store.get(text(keys[0] as string)), store.put(record('written meanwhile', 'w', 1n))])
  assert.equal(during[0], true)
  assert.equal(during[1]?.value?.length, value.length)
  assert.equal(during[2].applied, true)
  assert.deepEqual(store.counts(), { keys: keys.length + 1, tombstones: 0 })
  assert.equal((await collect(store, 0n, 0n)).length, keys.length + 1)
  await store.close()
})
