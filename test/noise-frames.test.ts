import assert from 'node:assert/strict'
import net from 'node:net'
import { after, before, test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { defaultLogger } from '@libp2p/logger'
import { multiaddrConnectionPair } from '@libp2p/utils'
import { Uint8ArrayList } from 'uint8arraylist'
import { framedNoise, isFramed } from '../src/noise-frames.js'
import { waitFor } from './utils/network.js'
import { SINK, sinkPair, type SinkPair } from './utils/stack-sink.js'
import type { MultiaddrConnection, SecuredConnection } from '@libp2p/interface'

/** Both ends of a Noise session over an in-memory connection pair. */
async function securedPair (): Promise<{ outbound: SecuredConnection, inbound: SecuredConnection, wire: MultiaddrConnection }> {
  const [a, b] = multiaddrConnectionPair()
  const encrypter = async (): Promise<ReturnType<ReturnType<typeof framedNoise>>> => {
    // Noise asks the upgrader only for muxers to offer early; none here.
    const components = { privateKey: await generateKeyPair('Ed25519'), logger: defaultLogger(), upgrader: { getStreamMuxers: () => new Map() } }
    return framedNoise()(components as unknown as Parameters<ReturnType<typeof framedNoise>>[0])
  }
  const [left, right] = await Promise.all([encrypter(), encrypter()])
  const [outbound, inbound] = await Promise.all([
    left.secureOutbound(a, { skipStreamMuxerNegotiation: true }),
    right.secureInbound(b, { skipStreamMuxerNegotiation: true })
  ])
  return { outbound, inbound, wire: a }
}

test('a Noise frame goes to the connection below as one buffer, length and ciphertext together, and arrives whole', async (t) => {
  const { outbound, inbound, wire } = await securedPair()
  assert.ok(isFramed(outbound) && isFramed(inbound), 'both ends of the session are changed')
  const got = new Uint8ArrayList()
  inbound.connection.addEventListener('message', evt => { got.append(evt.data) })
  const sends = t.mock.method(wire, 'send')
  const message = Uint8Array.from({ length: 300 }, (_, i) => i % 251)
  for (let i = 0; i < 3; i++) outbound.connection.send(message)
  await waitFor(() => got.byteLength === 3 * message.byteLength, 5000, () => `${got.byteLength} bytes arrived`, 5)
  assert.deepEqual(got.subarray(0, message.byteLength), message)
  assert.equal(sends.mock.callCount(), 3)
  for (const call of sends.mock.calls) {
    const [bytes] = call.arguments as [Uint8Array | Uint8ArrayList]
    assert.ok(bytes instanceof Uint8Array, 'one buffer, not a list of parts')
    // 2-byte length, 300 bytes of ciphertext, 16-byte tag.
    assert.equal(bytes.byteLength, 2 + 300 + 16)
  }
  await Promise.all([outbound.connection.close(), inbound.connection.close()])
})

test('the length decoder waits for a length split over chunks, as Noise\'s own does', async () => {
  const { outbound, inbound, wire } = await securedPair()
  const frames: Uint8Array[] = []
  const send = wire.send.bind(wire)
  wire.send = (data) => { frames.push(data instanceof Uint8Array ? data : data.subarray()); return send(data) }
  outbound.connection.send(new Uint8Array(40).fill(9))
  await waitFor(() => frames.length === 1, 5000, () => 'no frame was sent', 5)
  const frame = frames[0] as Uint8Array
  // The inbound end's frame decoder, fed the frame a byte at a time.
  const decoder = (inbound.connection as unknown as { decoder: { decode: (buf: Uint8Array) => Iterable<Uint8ArrayList> } }).decoder
  const decoded: Uint8ArrayList[] = []
  for (let i = 0; i < frame.byteLength; i++) decoded.push(...decoder.decode(frame.subarray(i, i + 1)))
  assert.equal(decoded.length, 1)
  assert.deepEqual(decoded[0]?.subarray(), frame.subarray(2))
  await Promise.all([outbound.connection.close(), inbound.connection.close()])
})

let pair: SinkPair

before(async () => { pair = await sinkPair() })
after(async () => { await pair?.stop() })

test('over TCP between two peers of the stack, a small message costs one socket write', async (t) => {
  const stream = await pair.sender.dialProtocol(pair.sink.getMultiaddrs(), SINK)
  const read = (): number => pair.read.get(stream.id) ?? 0
  stream.send(new Uint8Array(1))
  await waitFor(() => read() === 1, 5000, () => 'the stream carried nothing', 10)
  const writes = t.mock.method(net.Socket.prototype, 'write')
  for (let i = 0; i < 200; i++) {
    stream.send(new Uint8Array(100).fill(i))
    // One at a time, as requests go: each leaves before the next is made.
    await new Promise(resolve => setImmediate(resolve))
  }
  await waitFor(() => read() === 1 + 200 * 100, 10_000, () => `${read() - 1} of 20000 bytes arrived`, 10)
  // Noise's own way writes each frame's length and ciphertext apart: 400.
  assert.ok(writes.mock.callCount() <= 220, `${writes.mock.callCount()} socket writes for 200 messages`)
  await stream.close()
})
