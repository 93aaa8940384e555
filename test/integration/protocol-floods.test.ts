import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { encodeFrame } from '../../src/network/frames.js'
import { Claim, Request, Status, type RouteRequest } from '../../src/protocol/chord.js'
import { MAX_STREAMS_PER_PEER, PEER_BUDGET_FRAMES, PROTOCOL } from '../../src/protocol/constants.js'
import { ringIdOfKey } from '../../src/ring/hash.js'
import { idToBytes, SHA256_SPACE } from '../../src/ring/ids.js'
import { liveMemory, MemorySampler, mib } from '../utils/memory.js'
import { FAST_RING, startRing, stopAll, waitFor } from '../utils/network.js'
import { RawClient, stockNode } from '../utils/raw-peer.js'
import { holdersOf, waitForIdealRing } from '../utils/ring-checks.js'
import type { ChordPeer } from '../../src/chord/peer.js'
import type { Stream } from '@libp2p/interface'
import type { Libp2p } from 'libp2p'

/**
 * Floods on /chordkv/1.0.0 from a stock libp2p node that never joined the
 * ring. Memory is the tests' process's live memory after full garbage
 * collections (V8's heap in use plus Buffers; test/utils/memory.ts): the
 * ring's peers run in this process, and so does the attacker.
 */

const MAX_FRAME = 2 * 1024 * 1024
const RING = { ...FAST_RING, successors: 3, frameTimeoutMs: 500, drainTimeoutMs: 1500 }
const text = (s: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(s)

describe('floods on the peer protocol stay bounded', () => {
  let ring: ChordPeer[] = []
  let target: ChordPeer
  let attacker: Libp2p
  const big = text('big')

  before(async () => {
    ring = await startRing(3, RING)
    await waitForIdealRing(ring, 3, 20_000)
    target = ring[1] as ChordPeer
    assert.ok(((await (ring[0] as ChordPeer).services.chord.put(big, new Uint8Array(1024 * 1024).fill(9))).replicas ?? 0) >= 2)
    // On a loaded machine a replica may time out on the 1 MiB store; repair brings the third copy.
    await waitFor(async () => (await holdersOf(ring, big)).length === 3, 20_000, () => 'the big value is not on 3 replicas')
    attacker = await stockNode()
  })

  after(async () => {
    await attacker?.stop()
    await stopAll(ring)
  })

  const open = async (): Promise<Stream> => attacker.dialProtocol(target.getMultiaddrs(), PROTOCOL)
  const budgets = (): { streams: number, bytes: number, unread: number } => {
    const peer = attacker.peerId.toString()
    const b = target.services.chord.testing.transport.budgets
    return { streams: b.streamsOf(peer), bytes: b.bytesOf(peer), unread: b.unreadOf(peer) }
  }
  const route = (key: Uint8Array, op: Partial<RouteRequest>): Partial<Request> => ({
    route: { key: idToBytes(SHA256_SPACE, ringIdOfKey(key)), path: [attacker.peerId.toMultihash().bytes], claim: Claim.NONE, deadThrough: new Uint8Array(0), budgetMs: 5000, ...op }
  })

  test('a length prefix that is malformed or over the limit, however long, is answered and its stream closed at once', async () => {
    const prefixes: Array<[string, number[], RegExp]> = [
      ['9 bytes', [...Array(8).fill(0xff), 0x01], /over the limit|longer than/],
      ['10 bytes', [...Array(9).fill(0x80), 0x01], /longer than 4 bytes/],
      ['11 bytes', [...Array(10).fill(0x81), 0x00], /over the limit|longer than/],
      ['16 continuation bytes', Array(16).fill(0x80), /longer than 4 bytes/],
      ['not minimal', [0x81, 0x00], /not minimally encoded/],
      ['zero', [0x00], /empty frame/]
    ]
    await Promise.all(prefixes.map(async ([name, bytes, pattern]) => {
      const client = new RawClient(await open())
      client.sendBytes(Uint8Array.from(bytes))
      const answer = await client.reply(0)
      assert.equal(answer.status, Status.BAD_REQUEST, name)
      assert.match(answer.error, pattern, name)
      assert.match(answer.error, /closing the stream/, name)
      await client.untilClosed()
    }))
    await waitFor(() => budgets().streams === 0, 5000, () => JSON.stringify(budgets()))
  })

  test('a frame that does not arrive whole in time is answered and its stream closed; requests read before it are answered first', async () => {
    const client = new RawClient(await open())
    const lookup = encodeFrame(Request.encode({ id: 5, ...route(text('some key'), { lookup: {} }) })).subarray()
    const partial = encodeFrame(new Uint8Array(1000)).subarray().subarray(0, 100)
    client.sendBytes(Uint8Array.from([...lookup, ...partial]))
    assert.equal((await client.reply(5)).status, Status.OK)
    const answer = await client.reply(0, 5000)
    assert.equal(answer.status, Status.BAD_REQUEST)
    assert.match(answer.error, /did not arrive whole within 500 ms; closing the stream/)
    await client.untilClosed()
    assert.equal(client.answers.length, 2)
  })

  test('a burst of pipelined requests over the stream\'s limits is answered BUSY, every frame answered', async () => {
    const client = new RawClient(await open())
    const ids = Array.from({ length: 3000 }, (_, i) => i + 1)
    const burst = ids.map(id => encodeFrame(Request.encode({ id, ...route(text(`key-${id}`), { lookup: {} }) })).subarray())
    client.sendBytes(Uint8Array.from(burst.flatMap(b => [...b])))
    await waitFor(() => client.answers.length >= ids.length, 30_000, () => `${client.answers.length} of ${ids.length} answered`)
    const answers = client.answers
    assert.deepEqual(answers.filter(r => r.status !== Status.OK && r.status !== Status.BUSY).map(r => r.error), [])
    assert.ok(answers.some(r => r.status === Status.BUSY && /requests in flight on one stream/.test(r.error)), 'some requests were answered BUSY')
    assert.deepEqual(answers.map(r => r.id).sort((a, b) => a - b), ids)
    await client.stream.close()
  })

  /** The attacker hangs up: the peer's budgets for it empty, and its live memory peaked under 128 MiB more and is back within 1.5×. */
  async function hangUpAndMeasure (before: number, sampler: MemorySampler): Promise<void> {
    await attacker.hangUp(target.peerId)
    await waitFor(() => budgets().streams === 0 && budgets().bytes === 0, 10_000, () => JSON.stringify(budgets()))
    const peak = await sampler.stop()
    const afterwards = await liveMemory()
    assert.ok(peak - before < 128 * 1024 * 1024, `live memory grew by ${mib(peak - before)} during the flood`)
    assert.ok(afterwards <= 1.5 * before, `live memory ${mib(afterwards)} after, ${mib(before)} before`)
  }

  test('a peer that never reads its answers is held by back-pressure, then reset; memory stays bounded and comes back', async () => {
    const before = await liveMemory()
    const sampler = new MemorySampler()
    const stream = await open()
    let reset: Error | undefined
    stream.addEventListener('close', evt => { reset = evt.error })
    stream.pause()
    // Each answer carries the 1 MiB value: unread, they would hold 3 GiB.
    for (let id = 1; id <= 3050; id++) {
      try {
        stream.send(encodeFrame(Request.encode({ id, ...route(big, { get: { key: big } }) })))
      } catch {
        break
      }
    }
    await waitFor(() => reset !== undefined, 20_000, () => `stream still open; ${JSON.stringify(budgets())}`)
    assert.ok(budgets().unread <= PEER_BUDGET_FRAMES * MAX_FRAME)
    // The ring serves its members meanwhile and afterwards.
    assert.equal((await (ring[2] as ChordPeer).services.chord.get(big)).record?.value?.byteLength, 1024 * 1024)
    await hangUpAndMeasure(before, sampler)
  })

  test('streams left half-open are bounded per peer, closed when their frames do not complete, and gone after the hang-up', async () => {
    const before = await liveMemory()
    const sampler = new MemorySampler()
    // Each stream starts a 2 MiB frame and sends 1 MiB of it: 900 would hold 900 MiB.
    const partial = encodeFrame(new Uint8Array(MAX_FRAME)).subarray().subarray(0, 1024 * 1024)
    const clients: RawClient[] = []
    let refused = 0
    let mostServed = 0
    for (let i = 0; i < 900; i++) {
      try {
        const client = new RawClient(await open())
        clients.push(client)
        client.sendBytes(partial)
        // Half of them also half-close: their frame can never complete.
        if (i % 2 === 0) await client.stream.close().catch(() => {})
      } catch {
        refused++
      }
      mostServed = Math.max(mostServed, budgets().streams)
      assert.ok(budgets().bytes <= PEER_BUDGET_FRAMES * MAX_FRAME)
    }
    await waitFor(() => clients.every(c => c.closed), 30_000, () => `${clients.filter(c => !c.closed).length} streams still open; ${JSON.stringify(budgets())}`)
    assert.ok(mostServed <= MAX_STREAMS_PER_PEER, `${mostServed} streams were served at once`)
    const answered = clients.filter(c => c.replies.some(r => r.status === Status.BAD_REQUEST))
    assert.ok(refused + clients.length - answered.length > 0, 'streams past the per-peer limit were refused')
    assert.ok(answered.length > 0 && answered.every(c => /did not arrive whole|ended inside a frame/.test(c.replies[0]?.error ?? '')), JSON.stringify(answered.slice(0, 3).map(c => c.replies)))
    // Past the byte budget a stream is reset unanswered (the reason stays in the peer's log: a reset carries none); a stream closed unanswered without a reset does not count.
    const resetUnanswered = clients.filter(c => c.replies.length === 0 && c.closeError?.name === 'StreamResetError')
    assert.ok(resetUnanswered.length > 0, 'streams past the byte budget were reset')
    clients.length = 0
    await hangUpAndMeasure(before, sampler)
    // And the peer still serves a new stream from the same peer.
    const fresh = new RawClient(await open())
    fresh.sendRequest({ id: 1, ping: {} })
    assert.equal((await fresh.reply(1)).status, Status.OK)
  })
})
