import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { chordControlApi } from '../../src/chord/control-api.js'
import { ringIdOfKey } from '../../src/ring/hash.js'
import { crash, FAST_RING, startRing, stopAll, waitFor } from '../utils/network.js'
import { expectedReplicas, waitForIdealRing } from '../utils/ring-checks.js'
import type { ChordLookupReply, RingMember, RingView } from '../../src/control/replies.js'
import type { ChordPeer } from '../../src/chord/peer.js'

const R = 3
const RING = { ...FAST_RING, successors: R }
const KEYS = 60

/** The ring's peer IDs in ring order, starting at `from`. */
function ringOrder (peers: readonly ChordPeer[], from: ChordPeer): string[] {
  const sorted = peers.map(p => p.services.chord.self).sort((a, b) => (a.id < b.id ? -1 : 1)).map(n => n.peer)
  const i = sorted.indexOf(from.peerId.toString())
  return [...sorted.slice(i), ...sorted.slice(0, i)]
}

describe('the ring view of a live ring (chordkv ring, lookup replicas)', () => {
  let peers: ChordPeer[] = []
  const api = (p: ChordPeer): ReturnType<typeof chordControlApi> => chordControlApi(p, () => ({ handoff: false, done: Promise.resolve() }))

  before(async () => {
    peers = await startRing(5, RING)
    await waitForIdealRing(peers, R, 20_000)
    const chord = (peers[0] as ChordPeer).services.chord
    for (let i = 0; i < KEYS; i++) await chord.put(new TextEncoder().encode(`key-${i}`), new TextEncoder().encode('v'))
  })

  after(async () => { await stopAll(peers) })

  test('walking from any peer lists all 5 members in ring order, with their shares, key counts and matching successor lists', async () => {
    const from = peers[2] as ChordPeer
    const view = await api(from).ring() as unknown as RingView
    assert.deepEqual(view.warnings, [])
    assert.equal(view.closed, true)
    assert.equal(view.from, from.peerId.toString())
    assert.deepEqual(view.members.map(m => m.peerId), ringOrder(peers, from))
    const total = view.members.reduce((sum, m) => sum + (m.share as number), 0)
    assert.ok(Math.abs(total - 1) < 1e-5, `shares add up to ${total}`)
    // every key has one owner and k - 1 = 2 other replicas
    assert.equal(view.members.reduce((sum, m) => sum + m.keysOwned, 0), KEYS)
    assert.equal(view.members.reduce((sum, m) => sum + m.keysReplicated, 0), 2 * KEYS)
    for (const m of view.members) {
      assert.deepEqual(m.successorList, { length: R, expected: R, matching: R }, m.peerId)
      assert.ok(m.addrs.length > 0 && m.addrs.every(a => a.startsWith('/ip4/127.0.0.1/tcp/')), m.addrs.join())
      assert.match(m.version, /^\d+\.\d+\.\d+/)
      assert.equal(m.predecessor?.peerId, view.members[(view.members.indexOf(m) + 4) % 5]?.peerId)
    }
  })

  test('lookup names the key\'s own ring id and its k replica holders', async () => {
    const key = new TextEncoder().encode('key-7')
    const lookup = await api(peers[4] as ChordPeer).lookup(key) as ChordLookupReply
    assert.equal(lookup.keyId, ringIdOfKey(key).toString(16).padStart(64, '0'))
    assert.equal(lookup.replicas?.[0]?.peerId, lookup.peerId)
    assert.deepEqual(lookup.replicas?.map(r => r.peerId).sort(), expectedReplicas(peers, ringIdOfKey(key), 3))
  })

  test('a crashed member is gone from the view once the ring has repaired, and the walk closes without warnings', async () => {
    const victim = peers[3] as ChordPeer
    await crash(victim)
    const live = peers.filter(p => p !== victim)
    const walker = api(peers[0] as ChordPeer)
    let view: RingView | undefined
    await waitFor(async () => {
      view = await walker.ring() as unknown as RingView
      return view.closed && view.members.length === 4 && view.warnings.length === 0
    }, 20_000, () => JSON.stringify(view?.warnings))
    assert.deepEqual(view?.members.map((m: RingMember) => m.peerId), ringOrder(live, peers[0] as ChordPeer))
  })
})
