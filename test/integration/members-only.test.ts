import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { encodeFrame, FrameDecoder } from '../../src/network/frames.js'
import { Claim, Request, Response, Status, type Record as PbRecord } from '../../src/protocol/chord.js'
import { PROTOCOL } from '../../src/protocol/constants.js'
import { ringIdOfKey, ringIdOfPeer } from '../../src/ring/hash.js'
import { between, betweenRightIncl, idToBytes, SHA256_SPACE, type RingId } from '../../src/ring/ids.js'
import { addressOf, FAST_RING, startPeer, startRing, stopAll, waitFor } from '../utils/network.js'
import { RawClient, stockNode } from '../utils/raw-peer.js'
import { expectedOwner, expectedReplicas, waitForIdealRing } from '../utils/ring-checks.js'
import type { ChordPeer } from '../../src/chord/peer.js'
import type { Stream } from '@libp2p/interface'
import type { Libp2p } from 'libp2p'

/**
 * What a libp2p node that never joined the ring can do to it over
 * /chordkv/1.0.0, case by case (README: Security).
 */

const K = 3
const RING = { ...FAST_RING, successors: 3 }
const text = (s: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(s)
const str = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : new TextDecoder().decode(b))
const id = (key: RingId): Uint8Array<ArrayBuffer> => idToBytes(SHA256_SPACE, key)

describe('a node that never joined the ring', () => {
  let ring: ChordPeer[] = []
  let outsider: Libp2p
  let outsiderId: RingId
  const byPeer = (peer: string): ChordPeer => ring.find(p => p.peerId.toString() === peer) as ChordPeer
  const ask = async (to: ChordPeer, request: Partial<Request>): Promise<Response> => {
    const client = new RawClient(await outsider.dialProtocol(to.getMultiaddrs(), PROTOCOL))
    client.sendRequest({ id: 1, ...request })
    const reply = await client.reply(1)
    await client.stream.close()
    return reply
  }
  /** A key outside the arc the outsider would own if it joined, with its owner and replicas. */
  let key: Uint8Array<ArrayBuffer>

  before(async () => {
    ring = await startRing(5, RING)
    await waitForIdealRing(ring, 3, 20_000)
    outsider = await stockNode()
    outsiderId = ringIdOfPeer(outsider.peerId.toMultihash().bytes)
    const ids = ring.map(p => p.services.chord.self.id).sort((a, b) => (a < b ? -1 : 1))
    const successor = ids.find(i => i > outsiderId) ?? ids[0] as RingId
    const predecessor = ids[(ids.indexOf(successor) + ids.length - 1) % ids.length] as RingId
    for (let i = 0; ; i++) {
      key = text(`key-${i}`)
      if (!betweenRightIncl(predecessor, ringIdOfKey(key), outsiderId)) break
    }
    assert.equal((await (ring[0] as ChordPeer).services.chord.put(key, text('original'))).replicas, K)
  })

  after(async () => {
    await outsider?.stop()
    await stopAll(ring)
  })

  const holders = (): ChordPeer[] => expectedReplicas(ring, ringIdOfKey(key), K).map(byPeer)
  const values = async (): Promise<Array<string | undefined>> => Promise.all(holders().map(async p => str((await p.services.chord.testing.records.get(key))?.value)))

  test('its forged newer version, or tombstone, is refused with NOT_MEMBER by the owner and by the replicas, and changes nothing', async () => {
    const writer = outsider.peerId.toMultihash().bytes
    const ahead = BigInt(Date.now() + 1000) << 16n
    const forged: PbRecord = { key, value: text('forged'), timestamp: ahead, writer }
    const tombstone: PbRecord = { key, timestamp: ahead, writer }
    for (const holder of holders()) {
      for (const record of [forged, tombstone]) {
        const stored = await ask(holder, { store: { records: [record] } })
        assert.equal(stored.status, Status.NOT_MEMBER, stored.error)
        assert.match(stored.error, /not in this peer's replica neighbourhood, and this peer's ring does not route its identifier to it: it is not a ring member/)
      }
      const offered = await ask(holder, { offer: { digests: [{ key, timestamp: ahead, writer }] } })
      assert.equal(offered.status, Status.NOT_MEMBER)
      assert.equal(offered.offer, undefined)
    }
    assert.deepEqual(await values(), ['original', 'original', 'original'])
    assert.equal(str((await (ring[4] as ChordPeer).services.chord.get(key)).record?.value), 'original')
  })

  test('it reads no records with range, digests, summary or fetch, beyond the arc it would own if it joined', async () => {
    const owner = byPeer(expectedOwner(ring, ringIdOfKey(key)))
    const whole = { from: id(0n), to: id(0n) }
    const refusals = await Promise.all([
      ask(owner, { range: { ...whole, after: new Uint8Array(0), limit: 100 } }),
      ask(owner, { digests: { ...whole, after: new Uint8Array(0), limit: 100 } }),
      ask(owner, { summary: { ...whole, parts: 4, ownerArc: false } }),
      ask(owner, { fetch: { keys: [key] } })
    ])
    for (const r of refusals) assert.equal(r.status, Status.NOT_MEMBER, r.error)
    assert.deepEqual(refusals.map(r => [r.range, r.digests, r.summary, r.fetch].filter(b => b !== undefined)), [[], [], [], []])
    // A node joining at its place takes over (predecessor, itself] from its successor: so much it may read.
    const successor = byPeer(expectedOwner(ring, outsiderId))
    const predecessor = successor.services.chord.status().predecessor?.id as RingId
    const own = await ask(successor, { range: { from: id(predecessor), to: id(outsiderId), after: new Uint8Array(0), limit: 1000 } })
    assert.equal(own.status, Status.OK)
    for (const record of own.range?.records ?? []) assert.ok(betweenRightIncl(predecessor, ringIdOfKey(record.key), outsiderId))
    const beyond = await ask(successor, { range: { from: id(predecessor), to: id(successor.services.chord.self.id), after: new Uint8Array(0), limit: 1000 } })
    assert.equal(beyond.status, Status.NOT_MEMBER)
    assert.match(beyond.error, /outside the arc a peer joining at its place takes over/)
  })

  test('a member that finds it does not speak the protocol keeps the connection: what it sends over it is still answered', async () => {
    // Having read the arc it would own if it joined, it is sent the writes there, as a joiner is; it refuses the protocol.
    const successor = byPeer(expectedOwner(ring, outsiderId))
    const predecessor = successor.services.chord.status().predecessor?.id as RingId
    const client = new RawClient(await outsider.dialProtocol(successor.getMultiaddrs(), PROTOCOL))
    client.sendRequest({ id: 1, range: { from: id(predecessor), to: id(outsiderId), after: new Uint8Array(0), limit: 10 } })
    assert.equal((await client.reply(1)).status, Status.OK)
    let k = text('in its arc 0')
    for (let i = 1; !betweenRightIncl(predecessor, ringIdOfKey(k), outsiderId); i++) k = text(`in its arc ${i}`)
    assert.equal((await successor.services.chord.put(k, text('v'))).replicas, K)
    client.sendRequest({ id: 2, ping: {} })
    assert.equal((await client.reply(2)).status, Status.OK)
    assert.ok(outsider.getConnections(successor.peerId).length > 0)
    await client.stream.close()
  })

  test('its routed put, get and delete work as a client\'s through any member: a version ahead of the clock is stamped again by the member it reached', async () => {
    const k = text('routed by an outsider')
    const writer = outsider.peerId.toMultihash().bytes
    const route = { key: id(ringIdOfKey(k)), path: [writer], claim: Claim.NONE, deadThrough: new Uint8Array(0), budgetMs: 5000 }
    const entry = ring[2] as ChordPeer
    // 30 s ahead: within replication.maxClockOffsetMs, so a member's write stamped so would stand.
    const ahead = BigInt(Date.now() + 30_000) << 16n
    const put = await ask(entry, { route: { ...route, put: { key: k, value: text('v'), timestamp: ahead, writer } } })
    assert.equal(put.status, Status.OK, put.error)
    const owner = byPeer(expectedOwner(ring, ringIdOfKey(k)))
    const stored = await owner.services.chord.testing.records.get(k)
    assert.equal(stored?.version.writer, entry.peerId.toString())
    assert.ok((stored?.version.timestamp ?? 0n) < ahead)
    const got = await ask(ring[3] as ChordPeer, { route: { ...route, get: { key: k } } })
    assert.equal(str(got.route?.record?.value), 'v')
    // A member's write after it wins, as it would over any client's earlier write.
    await (ring[0] as ChordPeer).services.chord.put(k, text('later'))
    assert.equal(str((await (ring[4] as ChordPeer).services.chord.get(k)).record?.value), 'later')
    // A version in the past is taken as it is: it can only lose to what was written since.
    const past = BigInt(Date.now() - 10_000) << 16n
    const stale = await ask(ring[1] as ChordPeer, { route: { ...route, put: { key: k, value: text('old'), timestamp: past, writer } } })
    assert.equal(stale.status, Status.OK, stale.error)
    assert.equal(str((await (ring[4] as ChordPeer).services.chord.get(k)).record?.value), 'later')
    const deleted = await ask(ring[1] as ChordPeer, { route: { ...route, del: { key: k, timestamp: BigInt(Date.now()) << 16n, writer } } })
    assert.equal(deleted.status, Status.OK, deleted.error)
    assert.equal(deleted.route?.existed, true)
    assert.equal((await (ring[4] as ChordPeer).services.chord.get(k)).record?.value, undefined)
  })

  test('it does not become a predecessor or successor by notifying and answering like a member, in the rounds that follow either', async () => {
    const successor = byPeer(expectedOwner(ring, outsiderId))
    const memberState = await ask(successor, { getState: {} })
    // It answers every getState as a member of this ring whose successor is someone else, as a node that never joined would.
    const answers: Response[] = []
    await outsider.handle(PROTOCOL, stream => { answerAsMember(stream, memberState, answers) })
    const outsiderPeer = outsider.peerId.toString()
    const adopted: string[] = []
    const check = (): void => {
      for (const member of ring) {
        const status = member.services.chord.status()
        if (status.predecessor?.peer === outsiderPeer) adopted.push(`${member.peerId.toString()} took it as predecessor`)
        if (status.successors.some(s => s.peer === outsiderPeer)) adopted.push(`${member.peerId.toString()} took it as a successor`)
      }
    }
    const notified = await ask(successor, { notify: { node: { id: outsider.peerId.toMultihash().bytes, addrs: outsider.getMultiaddrs().map(a => a.bytes) } } })
    assert.equal(notified.status, Status.OK)
    await waitFor(() => answers.length > 0, 5000, () => 'the member never asked the notifier for its state')
    // The member reads our answer before this ping (one connection keeps the order), and decides on it at once.
    assert.equal((await ask(successor, { ping: {} })).status, Status.OK)
    check()
    assert.deepEqual(adopted, [])
    // Stabilize rounds follow: a new member joins and the ring settles around it. The outsider is never taken meanwhile.
    let watching = true
    const watcher = (async () => {
      while (watching) {
        check()
        await new Promise(resolve => setTimeout(resolve, 20))
      }
    })()
    ring.push(await startPeer([addressOf(ring[0] as ChordPeer)], RING))
    const unsettled = await waitForIdealRing(ring, 3, 20_000).then(() => undefined, (err: unknown) => err)
    watching = false
    await watcher
    check()
    assert.deepEqual(adopted.slice(0, 5), [])
    if (unsettled !== undefined) throw unsettled
    // Lookups of keys in the arc it would own still name the real owner.
    const owner = byPeer(expectedOwner(ring, outsiderId))
    const reply = await (ring[0] as ChordPeer).services.chord.lookup(outsiderId)
    assert.equal(reply.owner.peer, owner.peerId.toString())
    assert.ok(between(owner.services.chord.status().predecessor?.id as RingId, outsiderId, owner.services.chord.self.id))
  })
})

/**
 * Serves /chordkv/1.0.0 claiming to be a ring member, with the ring's tag
 * and a successor list (`state`'s: the notified member's own successors)
 * that does not start with the member it notified.
 */
function answerAsMember (stream: Stream, state: Response, answers: Response[]): void {
  const decoder = new FrameDecoder(1 << 20)
  stream.addEventListener('message', evt => {
    for (const frame of decoder.push(evt.data)) {
      const request = Request.decode(frame)
      const reply: Response = request.getState !== undefined
        ? { id: request.id, status: Status.OK, error: '', state: { member: true, ring: state.state?.ring, successors: state.state?.successors ?? [] } }
        : { id: request.id, status: Status.OK, error: '' }
      if (request.getState !== undefined) answers.push(reply)
      stream.send(encodeFrame(Response.encode(reply)))
    }
  })
}
