import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import { createLibp2p, type Libp2p } from 'libp2p'
import * as varint from 'uint8-varint'
import { encodeFrame, FrameDecoder } from '../../src/network/frames.js'
import { Request, Response, Status } from '../../src/protocol/chord.js'
import { PROTOCOL } from '../../src/protocol/constants.js'
import { FAST_RING, startRing, stopAll, waitFor } from '../utils/network.js'
import { expectedOwner, waitForIdealRing } from '../utils/ring-checks.js'
import { ringIdOfKey } from '../../src/ring/hash.js'
import type { ChordPeer } from '../../src/peer.js'
import type { Stream } from '@libp2p/interface'

/** A raw protocol client: writes whatever bytes a test wants, collects decoded replies. */
class RawClient {
  readonly replies: Response[] = []
  closed = false
  private readonly decoder = new FrameDecoder(1 << 20)

  constructor (readonly stream: Stream) {
    stream.addEventListener('message', evt => {
      for (const frame of this.decoder.push(evt.data)) this.replies.push(Response.decode(frame))
    })
    stream.addEventListener('close', () => { this.closed = true })
    stream.addEventListener('remoteCloseWrite', () => { this.closed = true })
  }

  sendBytes (bytes: Uint8Array): void {
    this.stream.send(bytes)
  }

  sendRequest (request: Partial<Request>): void {
    this.stream.send(encodeFrame(Request.encode(request)))
  }

  async reply (id: number): Promise<Response> {
    await waitFor(() => this.replies.some(r => r.id === id), 5000, () => `no reply with id ${id}; got ${JSON.stringify(this.replies.map(r => [r.id, r.status]))}`, 10)
    return this.replies.find(r => r.id === id) as Response
  }
}

describe('garbage on the peer protocol', () => {
  let ring: ChordPeer[] = []
  let bare: Libp2p
  let target: ChordPeer

  before(async () => {
    ring = await startRing(3, { ...FAST_RING, successors: 2 })
    await waitForIdealRing(ring, 2, 20_000)
    target = ring[1] as ChordPeer
    bare = await createLibp2p({ addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] }, transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
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
