import assert from 'node:assert/strict'
import { after, before, test, type TestContext } from 'node:test'
import { YamuxStream } from '@chainsafe/libp2p-yamux/stream'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { createLibp2p, type Libp2p } from 'libp2p'
import { stackOptions } from '../src/stack.js'
import { waitFor } from './utils/network.js'
import type { Stream } from '@libp2p/interface'

const SINK = '/chordkv-test/sink/1.0.0'
let sender: Libp2p
let sink: Libp2p
/** Bytes the sink has read, by stream id. */
const received = new Map<string, number>()

before(async () => {
  const peer = async (): Promise<Libp2p> => createLibp2p(await stackOptions({ listen: ['/ip4/127.0.0.1/tcp/0'], privateKey: await generateKeyPair('Ed25519') }, true))
  ;[sender, sink] = await Promise.all([peer(), peer()])
  await sink.handle(SINK, stream => {
    stream.addEventListener('message', evt => { received.set(stream.id, (received.get(stream.id) ?? 0) + evt.data.byteLength) })
  })
})

after(async () => {
  await Promise.all([sender?.stop(), sink?.stop()])
})

/** Sends `chunks` one way, as fast as the stream takes them, and waits until the sink read them all; returns the window updates the sender's stream received. */
async function sendOneWay (t: TestContext, chunks: readonly Uint8Array[]): Promise<number> {
  const updates = t.mock.method(YamuxStream.prototype, 'handleWindowUpdate')
  const stream: Stream = await sender.dialProtocol(sink.getMultiaddrs(), SINK)
  for (const chunk of chunks) {
    if (!stream.send(chunk)) await stream.onDrain()
  }
  const total = chunks.reduce((sum, c) => sum + c.byteLength, 0)
  // The sink's stream has the same id on its side of the connection.
  await waitFor(() => received.get(stream.id) === total, 20_000, () => `the sink read ${received.get(stream.id) ?? 0} of ${total} bytes`, 10)
  const count = updates.mock.calls.filter(call => call.this === stream).length
  await stream.close()
  return count
}

test('a stream that receives small messages answers them with no window update: the sender hears only the stream\'s acceptance', async (t) => {
  const updates = await sendOneWay(t, Array.from({ length: 200 }, () => new Uint8Array(100).fill(7)))
  // Yamux's own rule answers each of the 200 frames with an update.
  assert.ok(updates <= 1, `${updates} window updates for 200 small frames`)
})

test('a bulk transfer still gets its credit: 4 MiB arrive whole, with at most an update per half window', async (t) => {
  const updates = await sendOneWay(t, Array.from({ length: 64 }, () => new Uint8Array(64 * 1024).fill(1)))
  // 256 KiB window, updated once 128 KiB are used: at most 32 for 4 MiB (fewer as the window grows).
  assert.ok(updates >= 1, 'credit was given back, or 4 MiB could not have crossed a 256 KiB window')
  assert.ok(updates <= 32, `${updates} window updates for 64 frames of 64 KiB`)
})
