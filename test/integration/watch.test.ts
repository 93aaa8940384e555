import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { ringIdOfKey, ringIdOfPeer } from '../../src/ring/hash.js'
import { compareVersions, type KvRecord } from '../../src/protocol/record.js'
import { addressOf, crash, FAST_RING, startPeer, startRing, stopAll, waitFor } from '../utils/network.js'
import { expectedOwner, expectedReplicas, waitForIdealRing } from '../utils/ring-checks.js'
import type { ChordPeer } from '../../src/chord/peer.js'
import type { WatchEvent } from '../../src/protocol/messages.js'

/**
 * Watches on a ring of real libp2p peers: the peer a client watches
 * through registers the watch with the key's replicas, which tell it of
 * each version they store. A crashed owner, a join that moves the key and
 * a graceful leave move the watch with the key: every acknowledged write
 * is heard, in version order.
 */

const K = 3
const RING = { ...FAST_RING, successors: 4, repairIntervalMs: 300, handoffIntervalMs: 300 }
const text = (s: string): Uint8Array => new TextEncoder().encode(s)
const str = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : new TextDecoder().decode(b))

/** A watch's events as they arrive, and a check that they only ever move forward. */
class Heard {
  readonly events: WatchEvent[] = []
  readonly sink = (event: WatchEvent): void => { this.events.push(event) }

  /** Whether an event carried this version (or a newer one, as a resync may). */
  has (version: KvRecord['version']): boolean {
    return this.events.some(e => e.record !== undefined && compareVersions(e.record.version, version) >= 0)
  }

  assertInOrder (): void {
    for (let i = 1; i < this.events.length; i++) {
      const [a, b] = [this.events[i - 1]?.record, this.events[i]?.record]
      if (a === undefined || b === undefined) continue
      assert.ok(compareVersions(b.version, a.version) > 0 || (b.value === undefined && a.value !== undefined), `event ${i} does not follow event ${i - 1}`)
    }
  }
}

describe('watches', () => {
  let peers: ChordPeer[] = []
  const live = new Set<ChordPeer>()
  const alive = (): ChordPeer[] => peers.filter(p => live.has(p))
  const byId = (id: string): ChordPeer => peers.find(p => p.peerId.toString() === id) as ChordPeer
  const replicasOf = (key: Uint8Array): ChordPeer[] => expectedReplicas(alive(), ringIdOfKey(key), K).map(byId)
  /** A live peer that holds no replica of the key: the watch must cross the ring. */
  const outsider = (key: Uint8Array): ChordPeer => alive().find(p => !replicasOf(key).includes(p)) as ChordPeer

  /** Puts until acknowledged (a ring noticing a failure may time a put out); returns the version written. */
  async function put (through: ChordPeer, key: Uint8Array, value: string): Promise<KvRecord['version']> {
    let version: KvRecord['version'] | undefined
    await waitFor(async () => {
      try {
        version = (await through.services.chord.put(key, text(value))).record?.version
        return version !== undefined
      } catch {
        return false
      }
    }, 30_000, () => `the put of ${value} was never acknowledged`, 200)
    return version as KvRecord['version']
  }

  async function heard (watch: Heard, version: KvRecord['version'], what: string): Promise<void> {
    await waitFor(() => watch.has(version), 20_000, () => `${what} was not heard: ${JSON.stringify(watch.events.map(e => [e.kind, str(e.record?.value)]))}`)
  }

  before(async () => {
    peers = await startRing(6, RING)
    for (const p of peers) live.add(p)
    await waitForIdealRing(peers, 4, 20_000)
  })
  after(async () => { await stopAll(alive()) })

  test('a watch through a peer that holds no replica hears puts, deletes and expiries through any peer, in order, each once; unwatching ends it', async () => {
    const key = text('config')
    const watcher = outsider(key)
    const watch = new Heard()
    const end = await watcher.services.chord.watch(key, undefined, watch.sink)
    const writers = alive()
    for (let i = 0; i < 5; i++) await heard(watch, await put(writers[i % writers.length] as ChordPeer, key, `v${i}`), `put ${i}`)
    // Each from every replica that stored it, but heard once (a renewal that finds it first tells it as a resync).
    assert.deepEqual(watch.events.map(e => str(e.record?.value)), [0, 1, 2, 3, 4].map(i => `v${i}`), 'each put heard once, in order')
    assert.ok(watch.events.every(e => e.kind === 'put' || e.kind === 'resync'))
    // Told by the replicas as they store them, not found later by a renewal (that would only race one in a while).
    assert.ok(watch.events.filter(e => e.kind === 'put').length >= 4, JSON.stringify(watch.events.map(e => e.kind)))
    const del = await (writers[1] as ChordPeer).services.chord.del(key)
    await heard(watch, del.record?.version as KvRecord['version'], 'the delete')
    assert.equal(watch.events.at(-1)?.kind, 'del')
    const expiring = (await (writers[2] as ChordPeer).services.chord.put(key, text('short'), 300)).record?.version as KvRecord['version']
    await heard(watch, expiring, 'the expiring put')
    await waitFor(() => watch.events.at(-1)?.kind === 'expired', 10_000, () => `no expiry heard: ${watch.events.at(-1)?.kind}`)
    watch.assertInOrder()
    end()
    const count = watch.events.length
    await put(writers[0] as ChordPeer, key, 'after')
    // Nothing more arrives once ended (the put above went through every replica).
    await put(writers[3] as ChordPeer, text('other'), 'x')
    assert.equal(watch.events.length, count)
  })

  test('the owner crashes: the watch goes on through the key\'s other replicas, and every acknowledged put is heard', async () => {
    const key = text('crash-watched')
    const watcher = outsider(key)
    const watch = new Heard()
    await watcher.services.chord.watch(key, undefined, watch.sink)
    const writer = alive().find(p => p !== watcher && !replicasOf(key).includes(p)) ?? watcher
    await heard(watch, await put(writer, key, 'before'), 'the put before the crash')
    const owner = byId(expectedOwner(alive(), ringIdOfKey(key)))
    live.delete(owner)
    await crash(owner)
    for (let i = 0; i < 3; i++) await heard(watch, await put(writer, key, `after-${i}`), `put ${i} after the crash`)
    watch.assertInOrder()
    // The renewal registers the watch with the key's new replicas.
    await waitFor(() => replicasOf(key).every(p => p.services.chord.testing.data.server.watchers.count > 0), 20_000, () => 'a new replica holds no registration')
  })

  test('a joining peer takes the key over: the watch moves to it and hears the writes it owns', async () => {
    const privateKey = await generateKeyPair('Ed25519')
    const joinerId = ringIdOfPeer(peerIdFromPrivateKey(privateKey).toMultihash().bytes)
    // A key the joiner will own: between its future predecessor and itself.
    const future = [...alive().map(p => p.services.chord.self.id), joinerId].sort((a, b) => (a < b ? -1 : 1))
    const predecessor = future[(future.indexOf(joinerId) + future.length - 1) % future.length] as bigint
    let key: Uint8Array | undefined
    for (let i = 0; key === undefined; i++) {
      const id = ringIdOfKey(text(`moved-${i}`))
      const inArc = predecessor < joinerId ? id > predecessor && id <= joinerId : id > predecessor || id <= joinerId
      if (inArc) key = text(`moved-${i}`)
    }
    const watcher = outsider(key)
    const watch = new Heard()
    await watcher.services.chord.watch(key, undefined, watch.sink)
    await heard(watch, await put(watcher, key, 'before the join'), 'the put before the join')
    const joiner = await startPeer([addressOf(alive()[0] as ChordPeer)], RING, { privateKey })
    peers.push(joiner)
    live.add(joiner)
    await waitForIdealRing(alive(), 4, 30_000)
    assert.equal(expectedOwner(alive(), ringIdOfKey(key)), joiner.peerId.toString())
    await waitFor(() => joiner.services.chord.testing.data.server.watchers.count > 0, 20_000, () => 'the new owner holds no registration')
    for (let i = 0; i < 3; i++) await heard(watch, await put(alive()[i] as ChordPeer, key, `after-${i}`), `put ${i} after the join`)
    watch.assertInOrder()
  })

  test('the owner leaves gracefully: the watch hears the writes its successor takes', async () => {
    const key = text('leave-watched')
    const watcher = outsider(key)
    const watch = new Heard()
    await watcher.services.chord.watch(key, undefined, watch.sink)
    const owner = byId(expectedOwner(alive(), ringIdOfKey(key)))
    const writer = alive().find(p => p !== owner && p !== watcher) as ChordPeer
    await heard(watch, await put(writer, key, 'before the leave'), 'the put before the leave')
    await owner.services.chord.leave()
    live.delete(owner)
    await owner.stop()
    await waitForIdealRing(alive(), Math.min(4, alive().length - 1), 30_000)
    for (let i = 0; i < 3; i++) await heard(watch, await put(writer, key, `after-${i}`), `put ${i} after the leave`)
    watch.assertInOrder()
  })

  test('a watch through the key\'s owner itself hears the puts it stores', async () => {
    const key = text('owned-here')
    const owner = byId(expectedOwner(alive(), ringIdOfKey(key)))
    const watch = new Heard()
    await owner.services.chord.watch(key, undefined, watch.sink)
    const writer = alive().find(p => p !== owner) as ChordPeer
    for (let i = 0; i < 3; i++) await heard(watch, await put(writer, key, `here-${i}`), `put ${i}`)
    assert.deepEqual(watch.events.map(e => str(e.record?.value)), ['here-0', 'here-1', 'here-2'])
  })

  test('a watch from an older version starts with a resync of the current value', async () => {
    const key = text('resync')
    const through = alive()[0] as ChordPeer
    const first = await put(through, key, 'one')
    await put(through, key, 'two')
    const watch = new Heard()
    await (alive()[1] as ChordPeer).services.chord.watch(key, first, watch.sink)
    assert.deepEqual(watch.events.map(e => [e.kind, str(e.record?.value)]), [['resync', 'two']])
    const unknown = new Heard()
    await (alive()[1] as ChordPeer).services.chord.watch(text('never-written'), first, unknown.sink)
    assert.deepEqual(unknown.events, [{ kind: 'resync', record: undefined }])
  })
})

test('two rings merge: a watch held in one hears the newer version the other ring wrote, and the writes after the merge', async () => {
  const start = async (bootstrap: readonly ChordPeer[]): Promise<ChordPeer> => startPeer(bootstrap.map(addressOf), RING)
  const a1 = await start([])
  const b1 = await start([])
  const ringA = [a1, await start([a1]), await start([a1])]
  const ringB = [b1, await start([b1]), await start([b1])]
  const all = [...ringA, ...ringB]
  try {
    await waitForIdealRing(ringA, 2, 20_000)
    await waitForIdealRing(ringB, 2, 20_000)
    const key = text('merged-watch')
    const watch = new Heard()
    await a1.services.chord.watch(key, undefined, watch.sink)
    const putThrough = async (p: ChordPeer, value: string): Promise<KvRecord['version']> => (await p.services.chord.put(key, text(value))).record?.version as KvRecord['version']
    const before = await putThrough(ringA[1] as ChordPeer, 'ring A')
    await waitFor(() => watch.has(before), 20_000, () => 'the put in its own ring was not heard')
    // Written in the other ring afterwards: the newer version, which the merge must bring to the watch.
    const other = await putThrough(ringB[1] as ChordPeer, 'ring B')
    assert.ok(compareVersions(other, before) > 0)
    const bridge = await start([a1, b1])
    all.push(bridge)
    await waitForIdealRing(all, 4, 60_000)
    await waitFor(() => watch.has(other), 30_000, () => `the other ring's newer version was not heard: ${JSON.stringify(watch.events.map(e => [e.kind, str(e.record?.value)]))}`)
    const after = await putThrough(ringB[2] as ChordPeer, 'after the merge')
    await waitFor(() => watch.has(after), 20_000, () => 'the put after the merge was not heard')
    watch.assertInOrder()
  } finally {
    await stopAll(all)
  }
})
