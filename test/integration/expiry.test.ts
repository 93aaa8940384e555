import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { ringIdOfKey } from '../../src/ring/hash.js'
import { FAST_RING, startRing, stopAll, waitFor } from '../utils/network.js'
import { expectedReplicas, waitForIdealRing } from '../utils/ring-checks.js'
import type { ChordPeer } from '../../src/chord/peer.js'
import type { KvRecord } from '../../src/protocol/record.js'

/**
 * Expiring values (put with ttlMs) on a ring of real libp2p peers: they
 * read as absent everywhere once their instant passes, every replica turns
 * them into a deletion at the write's own version, and nothing brings them
 * back: repair, a late copy of the write, an older version.
 */

const K = 3
const RING = { ...FAST_RING, successors: 3, repairIntervalMs: 300, handoffIntervalMs: 300, limits: { maxKeyBytes: 64, maxValueBytes: 4096, maxTtlMs: 60_000 } }
const text = (s: string): Uint8Array => new TextEncoder().encode(s)
const str = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : new TextDecoder().decode(b))

describe('expiring values', () => {
  let peers: ChordPeer[] = []
  const byId = (id: string): ChordPeer => peers.find(p => p.peerId.toString() === id) as ChordPeer
  const replicasOf = (key: Uint8Array): ChordPeer[] => expectedReplicas(peers, ringIdOfKey(key), K).map(byId)
  const readEverywhere = async (key: Uint8Array): Promise<Array<string | undefined>> =>
    Promise.all(peers.map(async p => str((await p.services.chord.get(key)).record?.value)))
  const heldBy = async (key: Uint8Array): Promise<Array<KvRecord | undefined>> =>
    Promise.all(replicasOf(key).map(async p => p.services.chord.testing.records.get(key)))

  before(async () => {
    peers = await startRing(5, RING)
    await waitForIdealRing(peers, 3, 20_000)
  })
  after(async () => { await stopAll(peers) })

  test('a value put with ttlMs reads everywhere until its instant, then reads as absent everywhere; each replica turns it into a deletion at its version', async () => {
    const key = text('session')
    const expiredBefore = peers.reduce((n, p) => n + p.services.chord.status().records.expired, 0)
    const put = await (peers[0] as ChordPeer).services.chord.put(key, text('token'), 1500)
    assert.equal(put.replicas, K)
    const version = put.record?.version
    assert.ok(version !== undefined)
    const writtenMs = Number(version.timestamp >> 16n)
    assert.deepEqual(await readEverywhere(key), peers.map(() => 'token'))
    // Every replica holds the same instant: the write's millisecond plus the time to live.
    assert.deepEqual((await heldBy(key)).map(r => r?.expiresAtMs), [writtenMs + 1500, writtenMs + 1500, writtenMs + 1500])
    assert.ok(peers.some(p => p.services.chord.status().records.expiring > 0))
    await waitFor(async () => (await readEverywhere(key)).every(v => v === undefined), 10_000, () => 'the value still reads somewhere')
    assert.ok(Date.now() >= writtenMs + 1500, 'not before its instant')
    await waitFor(async () => (await heldBy(key)).every(r => r !== undefined && r.value === undefined), 10_000, () => 'a replica still holds the value')
    for (const record of await heldBy(key)) assert.deepEqual(record?.version, version, 'the deletion is at the write\'s own version')
    const expiredAfter = peers.reduce((n, p) => n + p.services.chord.status().records.expired, 0)
    assert.equal(expiredAfter - expiredBefore, K, 'status counts one expiry on each replica')
  })

  test('nothing brings an expired value back: a late copy of the write, an older version, repair passes', async () => {
    const key = text('lease')
    await (peers[1] as ChordPeer).services.chord.put(key, text('old, no expiry'))
    await (peers[2] as ChordPeer).services.chord.put(key, text('leased'), 800)
    const [owner] = replicasOf(key) as [ChordPeer]
    const original = await owner.services.chord.testing.records.get(key)
    assert.equal(str(original?.value), 'leased')
    await waitFor(async () => (await heldBy(key)).every(r => r?.value === undefined), 10_000, () => 'not expired on every replica yet')
    // A member sends the write again, as a late hint or a replica that had not yet expired it would, and the older version.
    const sender = peers.find(p => !replicasOf(key).includes(p)) as ChordPeer
    for (const replica of replicasOf(key)) {
      const to = replica.services.chord.testing.node.self
      await sender.services.chord.testing.transport.store(to, [original as KvRecord])
    }
    for (const p of peers) await p.services.chord.testing.data.repair()
    assert.deepEqual(await readEverywhere(key), peers.map(() => undefined))
    assert.ok((await heldBy(key)).every(r => r?.value === undefined))
    // Reads do not wait for the expiry pass: the value itself, put back in the owner's store, reads as absent at once.
    const expired = await owner.services.chord.testing.records.get(key) as KvRecord
    assert.ok(await owner.services.chord.testing.records.remove(key, expired.version) !== undefined)
    await owner.services.chord.testing.records.put(original as KvRecord)
    assert.equal(str((await owner.services.chord.testing.records.get(key))?.value), 'leased')
    assert.deepEqual(await readEverywhere(key), peers.map(() => undefined))
    await waitFor(async () => (await owner.services.chord.testing.records.get(key))?.value === undefined, 10_000, () => 'the expiry pass left the value put back')
  })

  test('a later write wins over an expiry, and an expiring write over an older value', async () => {
    const kept = text('kept')
    await (peers[0] as ChordPeer).services.chord.put(kept, text('short'), 500)
    await (peers[3] as ChordPeer).services.chord.put(kept, text('forever'))
    const replaced = text('replaced')
    await (peers[4] as ChordPeer).services.chord.put(replaced, text('before'))
    await (peers[1] as ChordPeer).services.chord.put(replaced, text('after'), 500)
    await waitFor(async () => (await readEverywhere(replaced)).every(v => v === undefined), 10_000, () => 'the expiring value still reads')
    assert.deepEqual(await readEverywhere(kept), peers.map(() => 'forever'))
  })

  test('a time to live over the limit, or not a whole number of milliseconds ≥ 1, is refused by name and stores nothing', async () => {
    const svc = (peers[0] as ChordPeer).services.chord
    await assert.rejects(svc.put(text('too-long'), text('v'), 60_001), /time to live is 60001 ms; the limit is 60000 ms \(limits.maxTtlMs\)/)
    await assert.rejects(svc.put(text('too-long'), text('v'), 0), /time to live must be a whole number of milliseconds ≥ 1/)
    await assert.rejects(svc.put(text('too-long'), text('v'), 1.5), /time to live must be a whole number/)
    assert.deepEqual(await readEverywhere(text('too-long')), peers.map(() => undefined))
  })
})
