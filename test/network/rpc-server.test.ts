import assert from 'node:assert/strict'
import { test } from 'node:test'
import { defaultLogger } from '@libp2p/logger'
import { peerIdFromString } from '@libp2p/peer-id'
import { streamPair } from '@libp2p/utils'
import { encodeFrame, FrameDecoder } from '../../src/network/frames.js'
import { PeerBudgets, type PeerLimits } from '../../src/network/peer-budget.js'
import { serveStream, type RequestHandler } from '../../src/network/rpc-server.js'
import { Request, Response, Status } from '../../src/protocol/chord.js'
import { waitFor } from '../utils/network.js'
import type { Stream } from '@libp2p/interface'

const PEER = peerIdFromString('12D3KooWAm7vgHDstBhdv2nAbexYmXfYhv19qq3TWWfehT2bPbgg')
const MAX_FRAME = 64 * 1024

/** A server stream and the client end talking to it; the client collects every reply. */
async function serve (handler: RequestHandler, limits: Partial<PeerLimits> = {}, maxInFlight = 1000, acceptAfterMs = 1000): Promise<{ client: Stream, replies: Response[], budgets: PeerBudgets }> {
  const [client, server] = await streamPair()
  const budgets = new PeerBudgets({ maxStreams: 4, maxBytes: 4 * MAX_FRAME, maxHeavy: 1000, ...limits })
  serveStream(server, PEER, handler, {
    maxFrameSize: MAX_FRAME,
    maxInFlight,
    budgets,
    isHeavy: request => request.fetch !== undefined,
    frameTimeoutMs: 1000,
    drainTimeoutMs: 1000,
    acceptAfterMs,
    log: defaultLogger().forComponent('test')
  })
  const replies: Response[] = []
  const decoder = new FrameDecoder(MAX_FRAME)
  client.addEventListener('message', evt => { for (const frame of decoder.push(evt.data)) replies.push(Response.decode(frame)) })
  return { client, replies, budgets }
}

const send = (stream: Stream, request: Partial<Request>): void => { stream.send(encodeFrame(Request.encode(request))) }
const ok = { status: Status.OK, error: '' }

test('requests past the peer\'s byte budget are answered BUSY at once; the rest are answered when served', async () => {
  const release = Promise.withResolvers<void>()
  const { client, replies, budgets } = await serve(async () => { await release.promise; return ok })
  const value = new Uint8Array(MAX_FRAME - 1024)
  for (let id = 1; id <= 10; id++) send(client, { id, store: { records: [{ key: Uint8Array.of(id), value, timestamp: 1n, writer: new Uint8Array(0) }] } })
  await waitFor(() => replies.length >= 6, 5000, () => `${replies.length} replies`)
  assert.ok(replies.every(r => r.status === Status.BUSY && /hold more than 262144 bytes/.test(r.error)), JSON.stringify(replies))
  assert.ok(budgets.bytesOf(PEER.toString()) <= 4 * MAX_FRAME)
  release.resolve()
  await waitFor(() => replies.length === 10, 5000, () => `${replies.length} replies`)
  assert.equal(replies.filter(r => r.status === Status.OK).length, 10 - replies.filter(r => r.status === Status.BUSY).length)
  await waitFor(() => budgets.bytesOf(PEER.toString()) === 0, 1000, () => `${budgets.bytesOf(PEER.toString())} bytes held`)
})

test('requests past the stream\'s in-flight limit are answered BUSY, and every frame gets an answer', async () => {
  const release = Promise.withResolvers<void>()
  const { client, replies } = await serve(async () => { await release.promise; return ok }, {}, 5)
  for (let id = 1; id <= 8; id++) send(client, { id, ping: {} })
  await waitFor(() => replies.length === 3, 5000, () => `${replies.length} replies`)
  assert.deepEqual(replies.map(r => [r.id, r.status]), [[6, Status.BUSY], [7, Status.BUSY], [8, Status.BUSY]])
  release.resolve()
  await waitFor(() => replies.length === 8, 5000, () => `${replies.length} replies`)
})

test('requests that may bring large answers run a few at a time per peer, and all are answered', async () => {
  let running = 0
  let most = 0
  const { client, replies } = await serve(async () => {
    most = Math.max(most, ++running)
    await new Promise(resolve => setTimeout(resolve, 5))
    running--
    return ok
  }, { maxHeavy: 3 })
  for (let id = 1; id <= 20; id++) send(client, { id, fetch: { keys: [Uint8Array.of(id)] } })
  await waitFor(() => replies.length === 20, 5000, () => `${replies.length} replies`)
  assert.equal(most, 3)
  assert.ok(replies.every(r => r.status === Status.OK))
})

test('a forwarded request is ACCEPTED only when its answer takes longer than acceptAfterMs', async () => {
  const release = Promise.withResolvers<void>()
  const { client, replies } = await serve(async (request, context) => {
    context.accept()
    if (request.id === 2) await release.promise
    return ok
  }, {}, 1000, 50)
  send(client, { id: 1, ping: {} })
  await waitFor(() => replies.length === 1, 5000, () => `${replies.length} replies`)
  let interimAt = Infinity
  client.addEventListener('message', () => { if (replies.length === 2) interimAt = Math.min(interimAt, performance.now()) })
  const sent = performance.now()
  send(client, { id: 2, ping: {} })
  // Request 1's interim reply, had it not been cancelled, was due before request 2's.
  await waitFor(() => replies.length === 2, 5000, () => `${replies.length} replies`)
  const held = interimAt - sent
  assert.ok(held >= 49, `ACCEPTED came ${held.toFixed(1)} ms after the request, before acceptAfterMs`)
  release.resolve()
  await waitFor(() => replies.length === 3, 5000, () => `${replies.length} replies`)
  assert.deepEqual(replies.map(r => [r.id, r.status]), [[1, Status.OK], [2, Status.ACCEPTED], [2, Status.OK]])
})

test('a handler that throws is answered with its status; one that throws no ChordError is INTERNAL and the stream keeps serving', async () => {
  const { client, replies } = await serve(async request => {
    if (request.id === 1) throw new Error('boom')
    return ok
  })
  send(client, { id: 1, ping: {} })
  send(client, { id: 2, ping: {} })
  await waitFor(() => replies.length === 2, 5000, () => `${replies.length} replies`)
  assert.deepEqual(replies.map(r => [r.id, r.status, r.error]).sort(), [[1, Status.INTERNAL, 'boom'], [2, Status.OK, '']])
})

test('a peer may keep only so many streams open', async () => {
  const budgets = new PeerBudgets({ maxStreams: 2, maxBytes: 1 << 20, maxHeavy: 4 })
  const streams = await Promise.all([0, 1, 2].map(async () => (await streamPair())[1]))
  for (const stream of streams) serveStream(stream, PEER, async () => ok, { maxFrameSize: MAX_FRAME, maxInFlight: 10, budgets, isHeavy: () => false, frameTimeoutMs: 1000, drainTimeoutMs: 1000, acceptAfterMs: 1000, log: defaultLogger().forComponent('test') })
  assert.deepEqual(streams.map(s => s.status), ['open', 'open', 'aborted'])
  assert.equal(budgets.streamsOf(PEER.toString()), 2)
  streams[0]?.abort(new Error('done'))
  assert.equal(budgets.streamsOf(PEER.toString()), 1)
})
