import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { ringIdOfKey } from '../../src/ring/hash.js'
import { FAST_RING, addressOf, startPeer, startRing, stopAll, waitFor } from '../utils/network.js'
import { expectedOwner, waitForIdealRing } from '../utils/ring-checks.js'
import type { ChordPeer } from '../../src/peer.js'

const R = 3
const RING = { ...FAST_RING, successors: R, handoffIntervalMs: 500, limits: { maxKeyBytes: 64, maxValueBytes: 4096 } }
const text = (s: string): Uint8Array => new TextEncoder().encode(s)
const str = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : new TextDecoder().decode(b))

/** Which peer holds a key in its store, if any (there is no replication yet). */
async function holders (peers: readonly ChordPeer[], key: Uint8Array): Promise<string[]> {
  const out: string[] = []
  for (const p of peers) {
    const record = await p.services.chord.data.records.get(key)
    if (record?.value !== undefined) out.push(p.peerId.toString())
  }
  return out
}

describe('put, get and delete across a ring', () => {
  let peers: ChordPeer[] = []
  const keys = Array.from({ length: 120 }, (_, i) => text(`key-${i}`))

  before(async () => {
    peers = await startRing(8, RING)
    await waitForIdealRing(peers, R, 20_000)
  })
  after(async () => { await stopAll(peers) })

  test('values put through one peer are read through every other, from the key\'s owner', async () => {
    await Promise.all(keys.map(async (k, i) => {
      const reply = await (peers[i % peers.length] as ChordPeer).services.chord.put(k, text(`value-${i}`))
      assert.equal(reply.owner.peer, expectedOwner(peers, ringIdOfKey(k)))
      assert.equal(reply.record?.value, undefined)
      assert.ok((reply.record?.version.timestamp ?? 0n) > 0n)
    }))
    for (const reader of peers) {
      const results = await Promise.all(keys.map(async k => reader.services.chord.get(k)))
      results.forEach((r, i) => { assert.equal(str(r.record?.value), `value-${i}`) })
    }
    for (const k of keys.slice(0, 10)) assert.deepEqual(await holders(peers, k), [expectedOwner(peers, ringIdOfKey(k))])
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

  test('a joining peer takes over its keys from its successor', async () => {
    const joiner = await startPeer([addressOf(peers[2] as ChordPeer)], RING)
    peers.push(joiner)
    await waitForIdealRing(peers, R, 20_000)
    const mine = keys.slice(1).filter(k => expectedOwner(peers, ringIdOfKey(k)) === joiner.peerId.toString())
    await waitFor(async () => {
      for (const k of mine) if ((await holders(peers, k)).join() !== joiner.peerId.toString()) return false
      return true
    }, 10_000, () => `the joiner does not hold all of its ${mine.length} keys alone`)
    for (const [i, k] of keys.entries()) {
      if (i === 0) continue
      assert.equal(str((await (peers[0] as ChordPeer).services.chord.get(k)).record?.value), `value-${i}`)
    }
  })

  test('a leaving peer hands its keys to its successor and no key is lost', async () => {
    const leaver = peers[4] as ChordPeer
    const held = (await Promise.all(keys.map(async k => (await holders([leaver], k)).length))).reduce((a, b) => a + b, 0)
    assert.ok(held > 0, 'the leaving peer held keys')
    await leaver.services.chord.leave()
    await leaver.stop()
    const live = peers.filter(p => p !== leaver)
    for (const [i, k] of keys.entries()) {
      if (i === 0) continue
      const reply = await (live[i % live.length] as ChordPeer).services.chord.get(k)
      assert.equal(str(reply.record?.value), `value-${i}`, `key-${i} after the leave`)
    }
    await waitForIdealRing(peers, R, 20_000, new Set([leaver]))
  })
})
