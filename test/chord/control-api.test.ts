import assert from 'node:assert/strict'
import { test } from 'node:test'
import { chordControlApi, chordHealth } from '../../src/chord/control-api.js'
import { formatStatus } from '../../src/cli/format.js'
import { addressOf, FAST_RING, startPeer, startRing, stopAll, waitFor } from '../utils/network.js'
import { waitForIdealRing } from '../utils/ring-checks.js'
import type { ChordPeer } from '../../src/chord/peer.js'
import type { ChordStatusReport } from '../../src/control/replies.js'

/** What a chord peer's control socket answers to `status`. */
async function statusOf (peer: ChordPeer): Promise<ChordStatusReport> {
  const report = await chordControlApi(peer, () => ({ handoff: false, done: Promise.resolve() })).status()
  assert.equal(report.overlay, 'chord')
  return report as ChordStatusReport
}

test('status reports a ring of r or fewer peers as degraded, and chordkv status prints it; r+1 peers are not', async () => {
  const R = 3
  const RING = { ...FAST_RING, successors: R }
  const peers = await startRing(R, RING)
  try {
    await waitForIdealRing(peers, R, 20_000)
    // A list knows it wraps once a rebuild reached the peer itself, a round after the ring is ideal.
    await waitFor(async () => (await Promise.all(peers.map(statusOf))).every(s => s.ring.degraded), 10_000, () => 'not every peer reports the ring degraded')
    for (const peer of peers) {
      const status = await statusOf(peer)
      assert.deepEqual([status.ring.degraded, status.ring.members], [true, R])
      assert.match(formatStatus(status), /^state +joined {2}\(degraded: ring of 3 peers, fewer than r\+1 = 4\)$/m)
    }
    peers.push(await startPeer([addressOf(peers[0] as ChordPeer)], RING))
    await waitForIdealRing(peers, R, 20_000)
    for (const peer of peers) {
      const status = await statusOf(peer)
      assert.deepEqual([status.ring.degraded, status.ring.members], [false, undefined])
      assert.match(formatStatus(status), /^state +joined$/m)
    }
  } finally {
    await stopAll(peers)
  }
})

test('health is unhealthy, saying why, while a peer sees another ring and while the merge settles; healthy once the rings are one', async () => {
  const R = 4
  const RING = { ...FAST_RING, successors: R }
  const a = await startRing(2, RING)
  const b = await startRing(2, RING)
  const peers = [...a, ...b]
  try {
    await Promise.all([waitForIdealRing(a, R, 20_000), waitForIdealRing(b, R, 20_000)])
    for (const peer of peers) assert.deepEqual(chordHealth(peer.services.chord.status()).reasons, [])
    // Every 20 ms, each peer's status and the health it gives, until the rings are one.
    const seen = { split: 0, settling: 0 }
    const wrong: string[] = []
    let sampling = true
    const sampler = (async () => {
      while (sampling) {
        for (const peer of peers) {
          const status = peer.services.chord.status()
          const reasons = chordHealth(status).reasons.join('; ')
          if (status.splitSuspects.length > 0) {
            seen.split++
            if (!/the ring is split: \d+ reachable peers? (is a member|are members) of another ring; merging/.test(reasons)) wrong.push(`split, health says: ${reasons}`)
          } else if (status.merging) {
            seen.settling++
            if (!reasons.includes('a ring merge is under way')) wrong.push(`merging, health says: ${reasons}`)
          }
        }
        await new Promise(resolve => setTimeout(resolve, 20))
      }
    })()
    // A peer that knows a member of each ring joins one: it probes the other and the rings merge.
    peers.push(await startPeer([addressOf(a[0] as ChordPeer), addressOf(b[0] as ChordPeer)], RING))
    await waitForIdealRing(peers, R, 30_000)
    await waitFor(() => peers.every(p => chordHealth(p.services.chord.status()).healthy), 10_000, () => peers.map(p => chordHealth(p.services.chord.status()).reasons.join('; ')).join(' | '))
    sampling = false
    await sampler
    assert.deepEqual(wrong.slice(0, 5), [])
    assert.ok(seen.split > 0 && seen.settling > 0, `samples with a split ${seen.split}, with a merge settling ${seen.settling}`)
    assert.equal(new Set(peers.map(p => JSON.stringify(p.services.chord.status().tag, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)))).size, 1)
  } finally {
    await stopAll(peers)
  }
})
