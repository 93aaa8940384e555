import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import * as varint from 'uint8-varint'
import { encodeFrame } from '../../src/network/frames.js'
import { Status } from '../../src/protocol/chord.js'
import { PROTOCOL } from '../../src/protocol/constants.js'
import { FAST_RING, startRing, stopAll, waitFor } from '../utils/network.js'
import { expectedOwner, waitForIdealRing } from '../utils/ring-checks.js'
import { ringIdOfKey } from '../../src/ring/hash.js'
import { RawClient, stockNode } from '../utils/raw-peer.js'
import type { ChordPeer } from '../../src/chord/peer.js'
import type { Libp2p } from 'libp2p'

describe('garbage on the peer protocol', () => {
  let ring: ChordPeer[] = []
  let bare: Libp2p
  let target: ChordPeer

  before(async () => {
    ring = await startRing(3, { ...FAST_RING, successors: 2 })
    await waitForIdealRing(ring, 2, 20_000)
    target = ring[1] as ChordPeer
    bare = await stockNode()
  })

  after(async () => {
    await bare?.stop()
    await stopAll(ring)
  })

  const open = async (): Promise<RawClient> => new RawClient(await bare.dialProtocol(target.getMultiaddrs(), PROTOCOL))

  test('a frame that is not a protobuf request is answered BAD_REQUEST and the stream keeps serving', async () => {
    const client = await open()
    client.sendBytes(encodeFrame(Uint8Array.from([0xff, 0xff, 0xff, 0xff])).subarray())
    const bad = await client.reply(0)
    assert.equal(bad.status, Status.BAD_REQUEST)
    assert.match(bad.error, /malformed request/)
    client.sendRequest({ id: 7, ping: {} })
    assert.equal((await client.reply(7)).status, Status.OK)
  })

  test('requests with a zero id, no body, a short key or a forged sender are refused by name', async () => {
    const client = await open()
    client.sendRequest({ id: 0, ping: {} })
    assert.match((await client.reply(0)).error, /id must not be 0/)
    client.sendRequest({ id: 1 })
    assert.match((await client.reply(1)).error, /no known body/)
    const self = bare.peerId.toMultihash().bytes
    client.sendRequest({ id: 2, route: { key: randomBytes(5), path: [self], claim: 'NONE' as never, deadThrough: new Uint8Array(0), budgetMs: 1000, lookup: {} } })
    assert.match((await client.reply(2)).error, /key must be 32 bytes/)
    const other = (ring[0] as ChordPeer).peerId.toMultihash().bytes
    client.sendRequest({ id: 3, route: { key: randomBytes(32), path: [other], claim: 'NONE' as never, deadThrough: new Uint8Array(0), budgetMs: 1000, lookup: {} } })
    assert.match((await client.reply(3)).error, /path must end with the sender/)
    client.sendRequest({ id: 4, notify: { node: { id: other, addrs: [] } } })
    assert.match((await client.reply(4)).error, /must be the sender itself/)
    client.sendRequest({ id: 5, notify: { node: { id: Uint8Array.from([1, 2, 3]), addrs: [] } } })
    assert.match((await client.reply(5)).error, /not a valid peer ID/)
    for (const id of [1, 2, 3, 4, 5]) assert.equal(client.replies.find(r => r.id === id)?.status, Status.BAD_REQUEST)
    assert.equal(client.closed, false)
  })

  test('a length prefix over the frame limit is answered and the stream closed', async () => {
    const client = await open()
    client.sendBytes(varint.encode(100 * 1024 * 1024))
    client.sendBytes(randomBytes(1024))
    const bad = await client.reply(0)
    assert.equal(bad.status, Status.BAD_REQUEST)
    assert.match(bad.error, /bad frame/)
    await waitFor(() => client.closed, 5000, () => 'stream still open')
  })

  test('the peer keeps serving lookups and new streams afterwards', async () => {
    const client = await open()
    client.sendRequest({ id: 9, ping: {} })
    assert.equal((await client.reply(9)).status, Status.OK)
    for (const from of ring) {
      const key = randomBytes(8)
      const reply = await from.services.chord.lookup(key)
      assert.equal(reply.owner.peer, expectedOwner(ring, ringIdOfKey(key)))
    }
  })
})
