import assert from 'node:assert/strict'
import { after, test } from 'node:test'
import { addressOf, startPeer, stopAll, waitFor } from '../utils/network.js'
import type { ChordPeer } from '../../src/chord/peer.js'

/**
 * A founder alone stretches its stabilize period; the second peer to join
 * must not wait for it. The founder's period here is a minute, so only the
 * newcomer's notification can make the founder take it as successor within
 * the deadline, and only then can a write it owns find a replica.
 */
const RESTED = { stabilizeIntervalMs: 60_000 }

const peers: ChordPeer[] = []
after(async () => { await stopAll(peers) })

test('a founder takes the second peer as its successor as soon as it is notified, not at its next period', async () => {
  const founder = await startPeer([], RESTED)
  peers.push(founder)
  await waitFor(() => founder.services.chord.joined, 10_000, () => 'the founder did not found its ring')
  const joiner = await startPeer([addressOf(founder)])
  peers.push(joiner)
  await waitFor(() => joiner.services.chord.joined, 20_000, () => 'the second peer did not join')
  const successorOf = (peer: ChordPeer): string | undefined => peer.services.chord.snapshot().successors[0]
  await waitFor(() => successorOf(founder) === joiner.peerId.toString(), 20_000,
    () => `the founder's successor is ${successorOf(founder) ?? 'none'} 20 s after the second peer joined (its period is 60 s)`)
  // Every key is the founder's or the joiner's; either way the other holds its replica.
  for (const [i, peer] of [founder, joiner].entries()) {
    const reply = await peer.services.chord.put(new TextEncoder().encode(`second-peer ${i}`), new TextEncoder().encode('v'))
    assert.equal(reply.replicas, 2, 'the owner and the other peer hold the write')
  }
})
