import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { UnreachableError } from '../../src/errors.js'
import { compareVersions, type KvRecord, type Version } from '../../src/protocol/record.js'
import { ringIdOfKey } from '../../src/ring/hash.js'
import { SHA256_SPACE } from '../../src/ring/ids.js'
import { Coverage } from '../../src/storage/coverage.js'
import { Entry } from '../../src/storage/entry.js'
import { HybridClock, millisOf, timestampAt } from '../../src/storage/hlc.js'
import { IndexedStore } from '../../src/storage/indexed-store.js'
import { JoinerArcs } from '../../src/storage/joiner-arcs.js'
import { MemoryStore } from '../../src/storage/memory-store.js'
import { OwnedArc } from '../../src/storage/owned-arc.js'
import { KeyOwner } from '../../src/storage/owner.js'
import { FakeClock, silent } from '../utils/sim-network.js'
import type { DataOp } from '../../src/protocol/messages.js'
import type { DataTransport } from '../../src/protocol/ports.js'
import type { NodeRef } from '../../src/ring/node-ref.js'

const text = (s: string): Uint8Array => new TextEncoder().encode(s)
const KEY = text('the key')
const KEY_ID = ringIdOfKey(KEY)
const LIMITS = { maxKeyBytes: 64, maxValueBytes: 16, maxTtlMs: 60_000 }
const at = (offset: bigint): bigint => (KEY_ID + offset + SHA256_SPACE.size) % SHA256_SPACE.size

interface Setup {
  /** Replication: k, W, R; successors S1…S4 after the owner. */
  readonly factor?: number
  readonly readQuorum?: number
  /** Where the predecessor is: the key inside (predecessor, owner] (default), outside it, or none. */
  readonly predecessor?: 'inside' | 'outside' | 'none'
  readonly successors?: number
  /** The owner holds every key (it founded the ring) or nothing yet. */
  readonly vouched?: boolean
}

/**
 * A KeyOwner whose ring is scripted: the key's id lies in (predecessor,
 * owner] unless told otherwise; each successor is a store of its own
 * reached through a transport that counts fetches and can be cut.
 */
async function ownerOf (setup: Setup = {}) {
  const self: NodeRef = { peer: 'owner', id: at(10n) }
  const predecessor = setup.predecessor === 'none' ? undefined : { peer: 'pred', id: at(setup.predecessor === 'outside' ? 5n : -10n) }
  const successors: NodeRef[] = Array.from({ length: setup.successors ?? 4 }, (_, i) => ({ peer: `S${i + 1}`, id: at(20n + BigInt(i)) }))
  // A peer joining in front of the owner, past the key: it may copy (predecessor, J] from the owner.
  const joiner: NodeRef = { peer: 'J', id: at(2n) }
  const held = new Map([...successors, joiner].map(s => [s.peer, new IndexedStore(new MemoryStore())]))
  const fetched: string[] = []
  const stored: string[] = []
  const cut = new Set<string>()
  const reach = (to: NodeRef): IndexedStore => {
    if (cut.has(to.peer)) throw new UnreachableError(`${to.peer} is cut off`)
    return held.get(to.peer) as IndexedStore
  }
  const transport = {
    async store (to: NodeRef, records: readonly KvRecord[]) {
      const store = reach(to)
      stored.push(to.peer)
      for (const r of records) await store.put(r)
    },
    async fetch (to: NodeRef, keys: readonly Uint8Array[]) {
      fetched.push(to.peer)
      const store = reach(to)
      const records = []
      for (const key of keys) {
        const r = await store.get(key)
        if (r !== undefined) records.push(r)
      }
      return { records, served: keys.length }
    }
  } as unknown as DataTransport
  const failed: string[] = []
  const suspected = new Set<string>()
  const ring = { self, predecessor, successors, isSuspect: (peer: string) => suspected.has(peer), peerFailed: (n: NodeRef) => { failed.push(n.peer) } }
  const time = new FakeClock()
  const coverage = new Coverage(SHA256_SPACE, self.id, { replicaTtlMs: 60_000, lossGraceMs: 60_000, graceMs: 86_400_000, factor: 3 }, () => time.now())
  if (setup.vouched ?? true) coverage.holdWhole()
  else coverage.holdNothingYet()
  const arc = new OwnedArc({ ring, coverage })
  arc.ringChanged()
  const hlc = new HybridClock(() => time.wallMs())
  const records = new IndexedStore(new MemoryStore())
  const entry = new Entry({ ring: { self, send: async () => { throw new Error('not routed in this test') } }, clock: hlc }, { limits: LIMITS, maxClockOffsetMs: 60_000, maxEntryOps: 8 })
  const missed: string[] = []
  const factor = setup.factor ?? 3
  const joiners = new JoinerArcs({ holdMs: 1000, settledMs: 500, noticeMs: 10_000, max: 4 })
  const owner = new KeyOwner({
    records, ring, transport, hlc, clock: time, arc, coverage, entry, joiners, log: silent,
    followUp: { missed: replica => { missed.push(replica.peer) }, stored: () => {} }
  }, { limits: LIMITS, replication: { factor, writeQuorum: Math.min(2, factor), readQuorum: setup.readQuorum ?? 1, maxClockOffsetMs: 60_000 } })
  const version = (aheadMs = 0): Version => ({ timestamp: timestampAt(time.wallMs() + aheadMs), writer: 'entry' })
  return { owner, records, held, fetched, stored, cut, failed, suspected, missed, time, hlc, version, joiner, joiners, predecessor }
}

type Setup$ = Awaited<ReturnType<typeof ownerOf>>
const put = (s: Setup$, value: string, extra: Partial<Extract<DataOp, { kind: 'put' }>> = {}): DataOp => ({ kind: 'put', key: KEY, value: text(value), version: s.version(), ...extra })
const get: DataOp = { kind: 'get', key: KEY }
const valueOf = (r: KvRecord | undefined): string | undefined => r?.value === undefined ? undefined : new TextDecoder().decode(r.value)

describe('the key owner writes', () => {
  test('a put is stored here and on the next k−1 successors; "existed" tells whether a value was there before', async () => {
    const s = await ownerOf()
    const first = await s.owner.execute(put(s, 'one'))
    assert.equal(first.replicas, 3)
    assert.equal(first.existed, false)
    assert.equal(first.record?.value, undefined, 'the reply carries the version, not the value')
    assert.equal(valueOf(await s.records.get(KEY)), 'one')
    assert.deepEqual(s.stored.sort(), ['S1', 'S2'])
    assert.equal(valueOf(await s.held.get('S2')?.get(KEY)), 'one')
    await s.time.advance(1)
    assert.equal((await s.owner.execute(put(s, 'two'))).existed, true)
    await s.time.advance(1)
    assert.equal((await s.owner.execute({ kind: 'del', key: KEY, version: s.version() })).existed, true)
    assert.equal((await s.records.get(KEY))?.value, undefined, 'a delete leaves a tombstone')
    assert.equal((await s.held.get('S1')?.get(KEY))?.value, undefined)
    await s.time.advance(1)
    assert.equal((await s.owner.execute(put(s, 'three'))).existed, false, 'over a tombstone nothing existed')
  })

  test('the same write again changes nothing and did not "exist" before itself', async () => {
    const s = await ownerOf()
    const op = put(s, 'one')
    await s.owner.execute(op)
    const again = await s.owner.execute(op)
    assert.equal(again.existed, false)
    assert.equal(again.replicas, 3)
  })

  test('a write that arrives after a newer one is not replicated, and answers the newer version', async () => {
    const s = await ownerOf()
    const older = put(s, 'old')
    await s.time.advance(5)
    const newer = put(s, 'new')
    await s.owner.execute(newer)
    s.stored.length = 0
    const late = await s.owner.execute(older)
    assert.equal(late.replicas, 0)
    assert.equal(compareVersions(late.record?.version as Version, (newer as { version: Version }).version), 0)
    assert.deepEqual(s.stored, [], 'nothing sent to the replicas')
    assert.equal(valueOf(await s.records.get(KEY)), 'new')
  })

  test('a replica that misses the write is told to hinted hand-off', async () => {
    const s = await ownerOf()
    s.cut.add('S1')
    const reply = await s.owner.execute(put(s, 'v'))
    assert.equal(reply.replicas, 3, 'S3 stood in')
    assert.deepEqual(s.missed, ['S1'])
  })

  test('a write to an arc a joiner copied goes to the joiner too, deletes included, until its hold lapses; other keys do not', async () => {
    const s = await ownerOf()
    s.joiners.copied(s.joiner, s.predecessor?.id as bigint, s.time.now())
    await s.owner.execute(put(s, 'one'))
    assert.equal(valueOf(await s.held.get('J')?.get(KEY)), 'one', 'on the joiner once acknowledged')
    await s.time.advance(1)
    await s.owner.execute({ kind: 'del', key: KEY, version: s.version() })
    const tombstone = await s.held.get('J')?.get(KEY)
    assert.ok(tombstone !== undefined && tombstone.value === undefined, 'the delete went to the joiner')
    s.stored.length = 0
    s.joiners.copied(s.joiner, s.joiner.id - 1n, s.time.now())
    await s.owner.execute({ kind: 'put', key: KEY, value: text('two'), version: s.version() })
    assert.deepEqual(s.stored.sort(), ['S1', 'S2'], 'the key lies outside the arc now copied')
    s.joiners.copied(s.joiner, s.predecessor?.id as bigint, s.time.now())
    await s.time.advance(1000)
    s.stored.length = 0
    await s.owner.execute({ kind: 'put', key: KEY, value: text('three'), version: s.version() })
    assert.deepEqual(s.stored.sort(), ['S1', 'S2'], 'the hold lapsed')
  })

  test('taking a write in the stead of a joiner that does not serve its keys yet: acknowledged only once the joiner has it, unless it is suspected', async () => {
    // The joiner notified this owner (the key now lies outside its arc) and refused the write, not settled yet.
    const s = await ownerOf({ predecessor: 'outside' })
    s.joiners.copied(s.joiner, at(-10n), s.time.now())
    s.cut.add('J')
    await assert.rejects(s.owner.execute(put(s, 'one')), { code: 'UNREACHABLE' }, 'not acknowledged: the joiner, which vouches for the arc, lacks it')
    assert.deepEqual(s.failed, ['J'], 'the joiner is reported as failed')
    s.suspected.add('J')
    s.stored.length = 0
    const result = await s.owner.execute(put(s, 'two'))
    assert.equal(result.replicas, 3)
    assert.deepEqual(s.stored.sort(), ['S1', 'S2'], 'a joiner suspected of a crash is not waited for')
  })

  test('a joiner out of reach does not fail the write', async () => {
    const s = await ownerOf()
    s.joiners.copied(s.joiner, s.predecessor?.id as bigint, s.time.now())
    s.cut.add('J')
    const result = await s.owner.execute(put(s, 'one'))
    assert.equal(result.replicas, 3)
    assert.deepEqual(s.missed, [], 'a joiner is no replica to hand the write to later')
  })

  test('limits: a value over the limit is refused on a put, and a version too far ahead of this clock on any write', async () => {
    const s = await ownerOf()
    await assert.rejects(s.owner.execute(put(s, 'x'.repeat(17))), { code: 'BAD_REQUEST', message: /value is 17 bytes/ })
    await assert.rejects(s.owner.execute({ kind: 'del', key: KEY, version: s.version(120_000) }), { code: 'BAD_REQUEST', message: /del version/ })
    assert.equal(await s.records.get(KEY), undefined)
  })

  test('a version ahead of this clock, within the bound, moves this clock past it', async () => {
    const s = await ownerOf()
    const op = put(s, 'v', { version: s.version(30_000) })
    await s.owner.execute(op)
    assert.ok(s.hlc.now() > (op as { version: Version }).version.timestamp)
  })

  test('an expiring value expires its TTL after its version\'s millisecond; a value without TTL never does; a TTL over the limit is refused', async () => {
    const s = await ownerOf()
    const op = put(s, 'v', { ttlMs: 5_000 })
    await s.owner.execute(op)
    const kept = await s.records.get(KEY) as KvRecord
    assert.equal(kept.expiresAtMs, millisOf((op as { version: Version }).version.timestamp) + 5_000)
    assert.equal(valueOf((await s.owner.execute(get)).record), 'v')
    await s.time.advance(5_001)
    assert.equal((await s.owner.execute(get)).record, undefined, 'expired: read as absent')
    await s.owner.execute(put(s, 'w'))
    assert.equal('expiresAtMs' in (await s.records.get(KEY) as KvRecord), false)
    await assert.rejects(s.owner.execute(put(s, 'v', { ttlMs: 60_001 })), { code: 'BAD_REQUEST', message: /time to live/ })
  })
})

describe('the key owner reads', () => {
  test('its own copy answers alone when R = 1 and the key is in its arc; a tombstone reads as absent', async () => {
    const s = await ownerOf()
    await s.owner.execute(put(s, 'v'))
    assert.equal(valueOf((await s.owner.execute(get)).record), 'v')
    assert.deepEqual(s.fetched, [])
    await s.time.advance(1)
    await s.owner.execute({ kind: 'del', key: KEY, version: s.version() })
    assert.equal((await s.owner.execute(get)).record, undefined)
  })

  test('with no predecessor known its own copy still answers alone', async () => {
    const s = await ownerOf({ predecessor: 'none' })
    await s.owner.execute(put(s, 'v'))
    assert.equal(valueOf((await s.owner.execute(get)).record), 'v')
    assert.deepEqual(s.fetched, [])
  })

  test('R = 2 asks one other replica; R = 3 asks two', async () => {
    for (const [readQuorum, asked] of [[2, 1], [3, 2]] as const) {
      const s = await ownerOf({ readQuorum })
      await s.owner.execute(put(s, 'v'))
      assert.equal(valueOf((await s.owner.execute(get)).record), 'v')
      assert.equal(s.fetched.length, asked, `R = ${readQuorum}`)
    }
  })

  test('a miss asks the other k−1 replicas, takes the newest copy and keeps it', async () => {
    const s = await ownerOf()
    await s.owner.execute(put(s, 'v'))
    await s.records.remove(KEY, (await s.records.get(KEY) as KvRecord).version)
    assert.equal(valueOf((await s.owner.execute(get)).record), 'v')
    assert.deepEqual(s.fetched.sort(), ['S1', 'S2'])
    assert.equal(valueOf(await s.records.get(KEY)), 'v', 'stored here again')
  })

  test('a key outside (predecessor, owner], taken over from a dead owner, is checked with the replicas even when held here', async () => {
    const s = await ownerOf({ predecessor: 'outside' })
    await s.owner.execute(put(s, 'old'))
    await s.time.advance(1)
    await s.held.get('S2')?.put({ key: KEY, value: text('new'), version: s.version() })
    assert.equal(valueOf((await s.owner.execute(get)).record), 'new')
    assert.equal(s.fetched.length, 2)
  })

  test('too few replicas answering for R is a quorum error', async () => {
    const s = await ownerOf({ readQuorum: 2 })
    await s.owner.execute(put(s, 'v'))
    for (const peer of ['S1', 'S2', 'S3', 'S4']) s.cut.add(peer)
    await assert.rejects(s.owner.execute(get), { code: 'QUORUM', message: 'only 1 replicas answered the read; the read quorum is 2' })
  })

  test('a miss no other replica answered is REPLICAS_UNAVAILABLE, never NOT_FOUND', async () => {
    const s = await ownerOf()
    for (const peer of ['S1', 'S2', 'S3', 'S4']) s.cut.add(peer)
    await assert.rejects(s.owner.execute(get), { code: 'REPLICAS_UNAVAILABLE', message: /none of the key's other replicas answered \(4 tried\)/ })
    assert.deepEqual(s.failed.sort(), ['S1', 'S2', 'S3', 'S4'])
  })

  test('a miss is NOT_FOUND where the owner vouches: the replicas agree, there are none (alone), or k = 1 asks none', async () => {
    assert.equal((await (await ownerOf()).owner.execute(get)).record, undefined)
    const alone = await ownerOf({ successors: 0 })
    assert.equal((await alone.owner.execute(get)).record, undefined)
    const single = await ownerOf({ factor: 1 })
    for (const peer of ['S1', 'S2', 'S3', 'S4']) single.cut.add(peer)
    assert.equal((await single.owner.execute(get)).record, undefined)
    assert.deepEqual(single.fetched, [])
  })

  test('a miss where the owner cannot vouch (it holds nothing yet) is REPLICAS_UNAVAILABLE saying why', async () => {
    const s = await ownerOf({ vouched: false })
    await assert.rejects(s.owner.execute(get), { code: 'REPLICAS_UNAVAILABLE', message: /^no value here, but .+; its absence is unconfirmed, retry$/ })
  })
})
