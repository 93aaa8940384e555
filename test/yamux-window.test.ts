import assert from 'node:assert/strict'
import { after, before, test, type TestContext } from 'node:test'
import { YamuxStream } from '@chainsafe/libp2p-yamux/stream'
import { waitFor } from './utils/network.js'
import { SINK, sinkPair, type SinkPair } from './utils/stack-sink.js'
import type { Stream } from '@libp2p/interface'

let pair: SinkPair

before(async () => { pair = await sinkPair() })
after(async () => { await pair?.stop() })

/** Sends `chunks` one way, as fast as the stream takes them, and waits until the sink read them all; returns the window updates the sender's stream received. */
async function sendOneWay (t: TestContext, chunks: readonly Uint8Array[]): Promise<number> {
  const updates = t.mock.method(YamuxStream.prototype, 'handleWindowUpdate')
  const stream: Stream = await pair.sender.dialProtocol(pair.sink.getMultiaddrs(), SINK)
  for (const chunk of chunks) {
    if (!stream.send(chunk)) await stream.onDrain()
  }
  const total = chunks.reduce((sum, c) => sum + c.byteLength, 0)
  await waitFor(() => pair.read.get(stream.id) === total, 20_000, () => `the sink read ${pair.read.get(stream.id) ?? 0} of ${total} bytes`, 10)
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
