import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { ringIdOfKey } from '../../src/ring/hash.js'
import { betweenRightIncl } from '../../src/ring/ids.js'
import { FAST_RING, addressOf, crash, startPeer, startRing, stopAll, waitFor } from '../utils/network.js'
import { expectedOwner, expectedReplicas, holdersOf, waitForIdealRing } from '../utils/ring-checks.js'
import type { ChordPeer } from '../../src/chord/peer.js'

const R = 3
const K = 3
const RING = { ...FAST_RING, successors: R, handoffIntervalMs: 300, repairIntervalMs: 300, limits: { maxKeyBytes: 64, maxValueBytes: 4096 } }
const text = (s: string): Uint8Array => new TextEncoder().encode(s)
const str = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : new TextDecoder().decode(b))

/** Whether every key is held by exactly its k replicas. */
async function placedExactly (peers: readonly ChordPeer[], keys: readonly Uint8Array[]): Promise<boolean> {
  for (const k of keys) {
    if ((await holdersOf(peers, k)).join() !== expectedReplicas(peers, ringIdOfKey(k), K).join()) return false
  }
  return true
}

describe('put, get and delete across a ring', () => {
  let peers: ChordPeer[] = []
  const keys = Array.from({ length: 120 }, (_, i) => text(`key-${i}`))

  before(async () => {
    peers = await startRing(8, RING)
    await waitForIdealRing(peers, R, 20_000)
  })
  after(async () => { await stopAll(peers) })

  test('values put through one peer are stored on the owner and its next two successors, and read through every other', async () => {
    await Promise.all(keys.map(async (k, i) => {
      const reply = await (peers[i % peers.length] as ChordPeer).services.chord.put(k, text(`value-${i}`))
      assert.equal(reply.owner.peer, expectedOwner(peers, ringIdOfKey(k)))
      assert.equal(reply.replicas, K)
      assert.equal(reply.record?.value, undefined)
      assert.ok((reply.record?.version.timestamp ?? 0n) > 0n)
    }))
    for (const reader of peers) {
      const results = await Promise.all(keys.map(async k => reader.services.chord.get(k)))
      results.forEach((r, i) => { assert.equal(str(r.record?.value), `value-${i}`) })
    }
    assert.ok(await placedExactly(peers, keys), 'every key on exactly its k replicas')
  })

  test('a later put replaces the value; delete hides it; deleting again reports it absent', async () => {
    const k = keys[0] as Uint8Array
    await (peers[3] as ChordPeer).services.chord.put(k, text('second'))
    assert.equal(str((await (peers[5] as ChordPeer).services.chord.get(k)).record?.value), 'second')
    const first = await (peers[1] as ChordPeer).services.chord.del(k)
    assert.equal(first.existed, true)
    assert.equal((await (peers[2] as ChordPeer).services.chord.get(k)).record, undefined)
    const again = await (peers[6] as ChordPeer).services.chord.del(k)
    assert.equal(again.existed, false)
    const never = await (peers[6] as ChordPeer).services.chord.del(text('never-written'))
    assert.equal(never.existed, false)
  })

  test('binary keys and values round-trip byte for byte', async () => {
    const k = randomBytes(40)
    const v = randomBytes(4000)
    await (peers[0] as ChordPeer).services.chord.put(k, v)
    const got = (await (peers[7] as ChordPeer).services.chord.get(k)).record?.value
    assert.ok(got !== undefined && Buffer.from(got).equals(v), 'the value read back differs')
  })

  test('keys and values over the limits are refused with the limit in the message', async () => {
    const svc = (peers[0] as ChordPeer).services.chord
    await assert.rejects(svc.put(new Uint8Array(65), text('v')), /key is 65 bytes; the limit is 64/)
    await assert.rejects(svc.put(text('k'), new Uint8Array(4097)), /value is 4097 bytes; the limit is 4096/)
    await assert.rejects(svc.get(new Uint8Array(0)), /key must not be empty/)
  })

  test('a joining peer takes over its keys and replicas; the peers that no longer hold them drop them', async () => {
    const joiner = await startPeer([addressOf(peers[2] as ChordPeer)], RING)
    peers.push(joiner)
    await waitForIdealRing(peers, R, 20_000)
    const live = keys.slice(1)
    assert.ok(live.some(k => expectedReplicas(peers, ringIdOfKey(k), K).includes(joiner.peerId.toString())), 'the joiner replicates some keys')
    await waitFor(async () => placedExactly(peers, live), 15_000, () => 'keys are not yet on exactly their k replicas')
    for (const [i, k] of keys.entries()) {
      if (i === 0) continue
      assert.equal(str((await (peers[0] as ChordPeer).services.chord.get(k)).record?.value), `value-${i}`)
    }
  })

  test('a leaving peer hands its keys to its successor and no key is lost', async () => {
    const leaver = peers[4] as ChordPeer
    const held = (await Promise.all(keys.map(async k => (await holdersOf([leaver], k)).length))).reduce((a, b) => a + b, 0)
    assert.ok(held > 0, 'the leaving peer held keys')
    await leaver.services.chord.leave()
    // Until it stops, a peer that left relays its clients' operations to its successor.
    assert.equal(str((await leaver.services.chord.get(keys[1] as Uint8Array)).record?.value), 'value-1', 'a get through the peer that left')
    await leaver.stop()
    const live = peers.filter(p => p !== leaver)
    for (const [i, k] of keys.entries()) {
      if (i === 0) continue
      const reply = await (live[i % live.length] as ChordPeer).services.chord.get(k)
      assert.equal(str(reply.record?.value), `value-${i}`, `key-${i} after the leave`)
    }
    await waitForIdealRing(peers, R, 20_000, new Set([leaver]))
    await waitFor(async () => placedExactly(live, keys.slice(1)), 15_000, () => 'keys are not back on exactly their k replicas')
  })
})

describe('a single copy per key (k = 1)', () => {
  let peers: ChordPeer[] = []
  after(async () => { await stopAll(peers) })

  test('a miss is NOT_FOUND; after a graceful leave the successor vouches for the arc it was handed whole', async () => {
    peers = await startRing(4, { ...RING, replication: { factor: 1, writeQuorum: 1 }, notFoundGraceMs: 500 })
    await waitForIdealRing(peers, R, 20_000)
    const svc = (peers[0] as ChordPeer).services.chord
    const keys = Array.from({ length: 40 }, (_, i) => text(`single-${i}`))
    for (const [i, k] of keys.entries()) await svc.put(k, text(`v${i}`))
    assert.equal((await svc.get(text('never-written'))).record, undefined)

    const leaver = peers[2] as ChordPeer
    const sorted = [...peers].sort((a, b) => (a.services.chord.self.id < b.services.chord.self.id ? -1 : 1))
    const pred = sorted[(sorted.indexOf(leaver) + 3) % 4] as ChordPeer
    // Keys that were never written, in the arc the leaver owned.
    const absent = Array.from({ length: 2000 }, (_, i) => text(`absent-${i}`))
      .filter(k => betweenRightIncl(pred.services.chord.self.id, ringIdOfKey(k), leaver.services.chord.self.id)).slice(0, 5)
    assert.ok(absent.length > 0)
    await leaver.services.chord.leave()
    await leaver.stop()
    const reader = peers[0] === leaver ? peers[1] as ChordPeer : peers[0] as ChordPeer
    for (const [i, k] of keys.entries()) assert.equal(str((await reader.services.chord.get(k)).record?.value), `v${i}`)
    // Its neighbours saw it go as they would see a crash: NOT_FOUND once that is notFoundGraceMs old.
    let answers: string[] = []
    await waitFor(async () => {
      answers = await Promise.all(absent.map(async k => reader.services.chord.get(k).then(r => (r.record === undefined ? 'NOT_FOUND' : 'value'), (err: { code?: string }) => err.code ?? 'error')))
      return answers.every(a => a === 'NOT_FOUND')
    }, 10_000, () => answers.join(', '))
  })
})

describe('a ring of two whose other peer crashes', () => {
  let peers: ChordPeer[] = []
  after(async () => { await stopAll(peers) })

  test('absent keys answer REPLICAS_UNAVAILABLE for notFoundGraceMs after the crash, then NOT_FOUND, as the README says', async () => {
    const graceMs = 6000
    peers = await startRing(2, { ...RING, replication: { factor: 2, writeQuorum: 2 }, notFoundGraceMs: graceMs })
    await waitForIdealRing(peers, R, 20_000)
    const [survivor, victim] = peers as [ChordPeer, ChordPeer]
    const absent = Array.from({ length: 20 }, (_, i) => text(`never-${i}`))
    let last = ''
    const answer = async (k: Uint8Array): Promise<string> => survivor.services.chord.get(k).then(r => (r.record === undefined ? 'NOT_FOUND' : 'value'), (err: { code?: string, message?: string }) => { last = err.message ?? ''; return err.code ?? 'error' })
    assert.deepEqual(new Set(await Promise.all(absent.map(answer))), new Set(['NOT_FOUND']), 'before the crash the ring vouches')
    // The survivor vouches for the victim's arc as its replica: the victim says so on each repair pass.
    await waitFor(() => victim.services.chord.status().lastRepair.peers > 0, 20_000, () => 'the victim never ran a repair pass with the survivor')
    await crash(victim)
    await waitFor(() => !survivor.services.chord.status().successors.some(s => s.peer === victim.peerId.toString()), 20_000, () => 'the survivor never dropped the crashed peer')
    const droppedAt = performance.now()
    const during = await Promise.all(absent.map(answer))
    // Measured from when the survivor saw it: the grace started no later than that.
    if (performance.now() - droppedAt < graceMs - 500) assert.deepEqual(new Set(during), new Set(['REPLICAS_UNAVAILABLE']), during.join(', '))
    let after: string[] = []
    await waitFor(async () => {
      after = await Promise.all(absent.map(answer))
      return after.every(a => a === 'NOT_FOUND')
    }, graceMs + 15_000, () => `${after.join(', ')} (${last})`)
  })
})
