import assert from 'node:assert/strict'
import { test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { pruneIdleConnections } from '../../src/network/connection-pruner.js'
import type { PeerId } from '@libp2p/interface'

const peers = await Promise.all([0, 1, 2, 3].map(async () => peerIdFromPrivateKey(await generateKeyPair('Ed25519'))))
const [neighbour, recent, idle, stuck] = peers as [PeerId, PeerId, PeerId, PeerId]

test('only connections to peers the ring does not need and that were idle long enough are closed; a failed close is left for the next round', async () => {
  const closed: string[] = []
  const asked: Array<[string, number]> = []
  const result = await pruneIdleConnections({
    peers: () => peers,
    close: async peer => {
      if (peer.equals(stuck)) throw new Error('cannot close')
      closed.push(peer.toString())
    }
  }, {
    keep: () => new Set([neighbour.toString()]),
    seenWithin: (peer, ms) => { asked.push([peer, ms]); return peer === recent.toString() }
  }, 120_000)
  assert.deepEqual(closed, [idle.toString()])
  assert.deepEqual(result.map(String), [idle.toString(), stuck.toString()])
  assert.ok(asked.every(([peer, ms]) => peer !== neighbour.toString() && ms === 120_000))
})
