import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { kadKeyOf } from '../../src/kad/keys.js'
import { createKadPeer } from '../../src/kad/peer.js'
import { startKadPeer, startKadSwarm, stopKadPeers } from '../../src/kad/testnet.js'
import { addressOf, startPeer, stopAll, waitFor } from '../utils/network.js'
import type { KadPeer } from '../../src/kad/peer.js'
import type { QueryEvent } from '@libp2p/kad-dht'

const LIMITS = { maxKeyBytes: 64, maxValueBytes: 4096 }
const text = (s: string): Uint8Array => new TextEncoder().encode(s)
const str = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : new TextDecoder().decode(b))

describe('a three-peer kad network on loopback', () => {
  let peers: KadPeer[] = []
  const peer = (i: number): KadPeer => peers[i] as KadPeer

  before(async () => {
    peers = await startKadSwarm(3, { kad: { limits: LIMITS } })
  })
  after(async () => { await stopKadPeers(peers) })

  test('every routing table fills with the other two peers', async () => {
    await waitFor(() => peers.every(p => p.services.kad.routingTableSize === 2), 10_000,
      () => `routing tables: ${peers.map(p => p.services.kad.routingTableSize).join(', ')}`)
    assert.ok(peers.every(p => p.services.dht.getMode() === 'server'))
  })

  test('a value put through one peer is stored on both others and read through each', async () => {
    const put = await peer(0).services.kad.put(text('colour'), text('blue'))
    assert.equal(put.replicas, 2)
    assert.ok(put.messages >= 2, `put sent ${put.messages} messages`)
    for (const p of peers) {
      const got = await p.services.kad.get(text('colour'))
      assert.equal(str(got.record?.value), 'blue')
      assert.equal(got.record?.version.writer, peer(0).peerId.toString())
    }
  })

  test('after an overwrite through another peer, every peer reads the latest value', async () => {
    await peer(0).services.kad.put(text('shape'), text('square'))
    await peer(2).services.kad.put(text('shape'), text('circle'))
    for (const p of peers) assert.equal(str((await p.services.kad.get(text('shape'))).record?.value), 'circle')
  })

  test('a key never put reads as absent', async () => {
    const got = await peer(1).services.kad.get(text('never-put'))
    assert.equal(got.record, undefined)
    assert.ok(got.queried >= 1)
  })

  test('lookup names the peers closest to the key and how many it queried', async () => {
    const lookup = await peer(1).services.kad.lookup(text('colour'))
    assert.equal(lookup.kadKey, '/chordkv/mnxwy33voi')
    assert.deepEqual(new Set(lookup.closest), new Set([peer(0).peerId.toString(), peer(2).peerId.toString()]))
    assert.ok(lookup.queried >= 1 && lookup.queried <= 2)
  })

  test('empty and oversized keys and values are refused before any query', async () => {
    const kad = peer(0).services.kad
    await assert.rejects(kad.put(new Uint8Array(0), text('v')), { name: 'BadRequestError', message: /key must not be empty/ })
    await assert.rejects(kad.put(new Uint8Array(65), text('v')), { name: 'BadRequestError', message: /key is 65 bytes; the limit is 64/ })
    await assert.rejects(kad.put(text('k'), new Uint8Array(4097)), { name: 'BadRequestError', message: /value is 4097 bytes; the limit is 4096/ })
    await assert.rejects(kad.get(new Uint8Array(65)), { name: 'BadRequestError' })
  })

  test('peers refuse to store records that fail the validator, and lookups ignore them', async () => {
    // kad-dht's own put stores locally without validating, then sends PUT_VALUE to the others
    const events: QueryEvent[] = []
    for await (const event of peer(0).services.dht.put(kadKeyOf(text('junk')), text('not a chordkv record'))) events.push(event)
    const refusedBy = new Set(events.filter(e => e.name === 'QUERY_ERROR').map(e => (e as { from: { toString: () => string } }).from.toString()))
    assert.deepEqual(refusedBy, new Set([peer(1).peerId.toString(), peer(2).peerId.toString()]))
    // peer 1 asks peer 0, which returns the junk record; peer 1 discards it
    assert.equal((await peer(1).services.kad.get(text('junk'))).record, undefined)
    // and everyone keeps serving
    assert.equal(str((await peer(2).services.kad.get(text('colour'))).record?.value), 'blue')
  })
})

describe('joining a kad network', () => {
  test('a lone peer serves puts and gets from its own store', async () => {
    const [alone] = await startKadSwarm(1)
    try {
      const put = await (alone as KadPeer).services.kad.put(text('k'), text('v'))
      assert.equal(put.replicas, 0)
      assert.equal(str((await (alone as KadPeer).services.kad.get(text('k'))).record?.value), 'v')
    } finally {
      await stopKadPeers([alone as KadPeer])
    }
  })

  test('bootstrapping through a chord peer fails with a reason, and is retried', async () => {
    const chordPeer = await startPeer([])
    const kadPeer = await startKadPeer([addressOf(chordPeer)], { kad: { bootstrapTimeoutMs: 500, joinRetryMs: { initial: 100, max: 100 } } })
    try {
      const failures: string[] = []
      kadPeer.services.kad.addEventListener('join-failed', evt => { failures.push(evt.detail.error.message) })
      await waitFor(() => failures.length >= 2, 10_000, () => `${failures.length} join failures`)
      assert.match(failures[0] as string, /did not enter the DHT routing table within 500 ms; does it run --overlay kad\?/)
      assert.equal(kadPeer.services.kad.joined, false)
    } finally {
      await stopKadPeers([kadPeer])
      await stopAll([chordPeer])
    }
  })

  test('a peer whose only bootstrap address is its own starts a network', async () => {
    const privateKey = await generateKeyPair('Ed25519')
    const self = peerIdFromPrivateKey(privateKey).toString()
    const peer = await createKadPeer({ listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap: [`/ip4/127.0.0.1/tcp/1/p2p/${self}`], privateKey })
    try {
      await waitFor(() => peer.services.kad.joined, 10_000, () => 'the peer did not start a network')
      assert.equal(peer.services.kad.routingTableSize, 0)
    } finally {
      await stopKadPeers([peer])
    }
  })
})
