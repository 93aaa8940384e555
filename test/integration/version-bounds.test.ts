import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { RemoteError } from '../../src/errors.js'
import { ringIdOfKey } from '../../src/ring/hash.js'
import { LOGICAL_BITS } from '../../src/storage/hlc.js'
import { FAST_RING, startRing, stopAll } from '../utils/network.js'
import { expectedOwner, expectedReplicas, waitForIdealRing } from '../utils/ring-checks.js'
import type { ChordPeer } from '../../src/chord/peer.js'
import type { KvRecord } from '../../src/protocol/record.js'

const K = 3
const RING = { ...FAST_RING, successors: 3, replication: { maxClockOffsetMs: 10_000 } }
const text = (s: string): Uint8Array => new TextEncoder().encode(s)
const str = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : new TextDecoder().decode(b))

describe('versions ahead of the clock', () => {
  let ring: ChordPeer[] = []
  const key = text('clocked')
  const byPeer = (peer: string): ChordPeer => ring.find(p => p.peerId.toString() === peer) as ChordPeer

  before(async () => {
    ring = await startRing(3, RING)
    await waitForIdealRing(ring, 3, 20_000)
    assert.equal((await (ring[0] as ChordPeer).services.chord.put(key, text('v1'))).replicas, K)
  })

  after(async () => { await stopAll(ring) })

  /** A replica of the key and another member, which sends it records. */
  const pair = (): { to: ChordPeer, from: ChordPeer } => {
    const [first, second] = expectedReplicas(ring, ringIdOfKey(key), K)
    return { to: byPeer(first as string), from: byPeer(second as string) }
  }
  const at = (timestamp: bigint, value = 'forged'): KvRecord => ({ key, value: text(value), version: { timestamp, writer: pair().from.peerId.toString() } })

  test('a version more than the offset ahead, 2^64−1 included, is refused BAD_REQUEST by name even from a member, and changes nothing', async () => {
    const { to, from } = pair()
    for (const timestamp of [(1n << 64n) - 1n, BigInt(Date.now() + 11_000) << LOGICAL_BITS]) {
      await assert.rejects(from.services.chord.testing.transport.store(to.services.chord.self, [at(timestamp)]), (err: Error) => {
        assert.ok(err instanceof RemoteError)
        assert.equal(err.code, 'BAD_REQUEST')
        assert.match(err.message, /ms ahead of this peer's clock is refused \(at most 10000 ms, replication\.maxClockOffsetMs\)/)
        return true
      })
      await assert.rejects(from.services.chord.testing.transport.offer(to.services.chord.self, [{ key, version: at(timestamp).version }]), { code: 'BAD_REQUEST' })
    }
    assert.equal(str((await to.services.chord.testing.records.get(key))?.value), 'v1')
  })

  test('later puts to the key still succeed on every replica, and a version within the offset is taken', async () => {
    const reply = await (ring[1] as ChordPeer).services.chord.put(key, text('v2'))
    assert.equal(reply.replicas, K)
    assert.equal(reply.owner.peer, expectedOwner(ring, ringIdOfKey(key)))
    for (const peer of expectedReplicas(ring, ringIdOfKey(key), K)) assert.equal(str((await byPeer(peer).services.chord.testing.records.get(key))?.value), 'v2')
    const { to, from } = pair()
    await from.services.chord.testing.transport.store(to.services.chord.self, [at(BigInt(Date.now() + 5_000) << LOGICAL_BITS, 'ahead')])
    assert.equal(str((await to.services.chord.testing.records.get(key))?.value), 'ahead')
  })
})
