import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { ringIdOfKey } from '../../src/ring/hash.js'
import { addressOf, crash, FAST_RING, snapshotOf, startPeer, startRing, stopAll } from '../utils/network.js'
import { InvariantMonitor, expectedOwner, waitForIdealRing } from '../utils/ring-checks.js'
import { checkInvariants } from '../../src/ring/invariants.js'
import type { ChordPeer } from '../../src/chord/peer.js'

const R = 4
const RING = { ...FAST_RING, successors: R }


/** Looks up `keys` from every peer in `from`, checking each owner; returns the hop counts. */
async function lookupAll (from: readonly ChordPeer[], live: readonly ChordPeer[], keys: readonly Uint8Array[]): Promise<number[]> {
  const hops: number[] = []
  for (const peer of from) {
    const results = await Promise.all(keys.map(async key => ({ key, reply: await peer.services.chord.lookup(key) })))
    for (const { key, reply } of results) {
      assert.equal(reply.owner.peer, expectedOwner(live, ringIdOfKey(key)), `lookup of ${Buffer.from(key).toString('hex')} from ${peer.peerId.toString()}`)
      assert.equal(reply.path[0], peer.peerId.toString())
      assert.equal(reply.path.at(-1), reply.owner.peer)
      assert.equal(reply.hops, reply.path.length - 1)
      hops.push(reply.hops)
    }
  }
  return hops
}

describe('a ring of 16 real peers on loopback TCP', () => {
  let peers: ChordPeer[] = []
  const stopped = new Set<ChordPeer>()
  let monitor: InvariantMonitor

  before(async () => {
    peers = await startRing(1, RING)
    monitor = new InvariantMonitor(() => peers, () => stopped, R)
    const more = await Promise.all(Array.from({ length: 15 }, async () => startPeer([addressOf(peers[0] as ChordPeer)], RING)))
    peers.push(...more)
  })

  after(async () => {
    monitor.stop()
    await stopAll(peers)
  })

  test('converges from one bootstrap to the ideal ring, invariants holding throughout', async () => {
    await waitForIdealRing(peers, R, 30_000)
    monitor.stop()
    assert.ok(monitor.snapshots > 5, 'the checker ran during convergence')
    assert.deepEqual(monitor.violations, [])
    const report = checkInvariants(snapshotOf(peers), R)
    assert.deepEqual(report.outsideEnvelope, [])
    assert.equal(report.ringMembers, 16)
  })

  test('lookups of 200 random keys from every peer find the right owner in few hops', async t => {
    const keys = Array.from({ length: 200 }, () => randomBytes(16))
    const hops = await lookupAll(peers, peers, keys)
    const mean = hops.reduce((a, b) => a + b, 0) / hops.length
    const bound = 0.5 * Math.log2(peers.length) + 1
    t.diagnostic(`${hops.length} lookups, mean hops ${mean.toFixed(2)}, max ${Math.max(...hops)}`)
    assert.ok(mean <= bound, `mean hops ${mean.toFixed(2)} > ½·log2 N + 1 = ${bound}`)
  })

  test('survives hard-stopped peers: two apart, then two adjacent', async () => {
    monitor = new InvariantMonitor(() => peers, () => stopped, R)
    const sorted = [...peers].sort((a, b) => (a.services.chord.self.id < b.services.chord.self.id ? -1 : 1))
    // two non-adjacent peers (positions 2 and 9), keeping the bootstrap peer's role irrelevant
    for (const victim of [sorted[2], sorted[9]] as ChordPeer[]) {
      stopped.add(victim)
      await crash(victim)
    }
    let live = peers.filter(p => !stopped.has(p))
    await waitForIdealRing(peers, R, 30_000, stopped)
    await lookupAll(live.slice(0, 4), live, Array.from({ length: 50 }, () => randomBytes(16)))

    // two ring-adjacent peers (positions 5 and 6), at once
    await Promise.all(([sorted[5], sorted[6]] as ChordPeer[]).map(async victim => {
      stopped.add(victim)
      await crash(victim)
    }))
    live = peers.filter(p => !stopped.has(p))
    await waitForIdealRing(peers, R, 30_000, stopped)
    monitor.stop()
    assert.deepEqual(monitor.violations, [])
    await lookupAll(live, live, Array.from({ length: 50 }, () => randomBytes(16)))
  })
})

describe('concurrent joins', () => {
  let peers: ChordPeer[] = []
  after(async () => { await stopAll(peers) })

  test('8 peers joining a running 4-peer ring at once converge, each joining at its first attempt', async () => {
    peers = await startRing(4, RING)
    await waitForIdealRing(peers, R, 20_000)
    const monitor = new InvariantMonitor(() => peers, () => new Set(), R)
    const joiners = await Promise.all(Array.from({ length: 8 }, async (_, i) => startPeer([addressOf(peers[i % 4] as ChordPeer)], RING, { start: false })))
    const failures: string[] = []
    for (const joiner of joiners) joiner.services.chord.addEventListener('join-failed', evt => { failures.push(evt.detail.error.message) })
    peers.push(...joiners)
    await Promise.all(joiners.map(async j => j.start()))
    await waitForIdealRing(peers, R, 30_000)
    monitor.stop()
    assert.deepEqual(monitor.violations, [])
    assert.deepEqual(failures, [], 'joins at the same moment are normal: none needs a retry')
    await lookupAll(peers.slice(0, 3), peers, Array.from({ length: 50 }, () => randomBytes(16)))
  })
})
