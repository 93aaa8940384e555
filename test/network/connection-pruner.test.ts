import assert from 'node:assert/strict'
import { test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { pruneIdleConnections, type PrunableConnection } from '../../src/network/connection-pruner.js'
import type { PeerId } from '@libp2p/interface'

const peers = await Promise.all([0, 1, 2, 3, 4].map(async () => peerIdFromPrivateKey(await generateKeyPair('Ed25519'))))
const [neighbour, recent, idle, stuck, dialler] = peers as [PeerId, PeerId, PeerId, PeerId, PeerId]

test('only connections this peer dialled, to peers the ring does not need and idle long enough, are closed; a failed close is left for the next round', async () => {
  const closed: string[] = []
  const asked: Array<[string, number]> = []
  const connection = (peer: PeerId, direction: 'inbound' | 'outbound', name: string): PrunableConnection => ({
    remotePeer: peer,
    direction,
    close: async () => {
      if (peer.equals(stuck)) throw new Error('cannot close')
      closed.push(name)
    }
  })
  const result = await pruneIdleConnections([
    connection(neighbour, 'outbound', 'to the neighbour'),
    connection(recent, 'outbound', 'to the recent peer'),
    connection(idle, 'outbound', 'to the idle peer'),
    connection(idle, 'outbound', 'to the idle peer, again'),
    connection(idle, 'inbound', 'from the idle peer'),
    connection(stuck, 'outbound', 'to the stuck peer'),
    // The far side dialled it and may keep it as a finger: its to close.
    connection(dialler, 'inbound', 'from a dialler')
  ], {
    keep: () => new Set([neighbour.toString()]),
    seenWithin: (peer, ms) => { asked.push([peer, ms]); return peer === recent.toString() }
  }, 120_000)
  assert.deepEqual(closed.sort(), ['to the idle peer', 'to the idle peer, again'])
  assert.deepEqual(result.map(String), [idle.toString(), stuck.toString()])
  assert.deepEqual(asked.map(([peer]) => peer), [recent, idle, stuck].map(String), 'only the peers it dialled and does not keep are looked at')
  assert.ok(asked.every(([, ms]) => ms === 120_000))
})
