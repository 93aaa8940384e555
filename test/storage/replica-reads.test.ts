import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { SimNetwork } from '../utils/sim-network.js'
import { inRingOrder, replicasOf, settled, simRing, str, text } from '../utils/sim-data.js'
import type { RouteReply } from '../../src/protocol/messages.js'

/**
 * Reads that must not answer "no such key" while a replica holds the value,
 * nor when the owner cannot vouch for it; on the production DataNode over a
 * simulated network.
 */

const R = 4
const K = 3

async function ringOf (n: number, graceMs = 24 * 3600 * 1000): Promise<{ sim: SimNetwork, peers: string[] }> {
  const sim = new SimNetwork({ successors: R }, { data: { replication: { factor: K, writeQuorum: 2 }, tombstoneGraceMs: graceMs } })
  const nodes = await simRing(sim, n, R)
  return { sim, peers: nodes.map(n => n.self.peer) }
}

/** Gets through `peer`, all at once: each value, undefined for NOT_FOUND, or the error code. */
async function readAll (sim: SimNetwork, peer: string, keys: readonly Uint8Array[]): Promise<Array<string | undefined>> {
  const answers = keys.map(async key => {
    try {
      return str((await sim.request(peer, { kind: 'get', key })).record?.value)
    } catch (err) {
      return `error ${(err as { code?: string }).code ?? String(err)}`
    }
  })
  return settled(sim, Promise.all(answers), 3000)
}

async function read (sim: SimNetwork, peer: string, key: Uint8Array): Promise<string | undefined> {
  return (await readAll(sim, peer, [key]))[0]
}

/** `count` keys (prefix-i) whose owner, among the live peers, is `owner`. */
function keysOwnedBy (sim: SimNetwork, owner: string, prefix: string, count: number, alive = (_peer: string) => true): Uint8Array[] {
  const keys: Uint8Array[] = []
  for (let i = 0; keys.length < count; i++) {
    const key = text(`${prefix}-${i}`)
    if (replicasOf(sim, key, 1, alive)[0] === owner) keys.push(key)
  }
  return keys
}

describe('reads consult the replicas before answering "no such key"', () => {
  test('an owner that lost its copy answers from another replica and stores it again', async () => {
    const { sim, peers } = await ringOf(5)
    const key = text('k')
    const put = await settled(sim, sim.request(peers[0] as string, { kind: 'put', key, value: text('v') }))
    const [owner] = replicasOf(sim, key, K) as [string]
    await sim.data(owner).records.remove(key, (put.record as NonNullable<RouteReply['record']>).version)
    assert.equal(await read(sim, peers[1] as string, key), 'v')
    assert.equal(str((await sim.data(owner).records.get(key))?.value), 'v')
  })

  test('when no other replica answers, a miss is REPLICAS_UNAVAILABLE, and what the owner holds is still served', async () => {
    const { sim, peers } = await ringOf(5)
    const [owner] = replicasOf(sim, text('k'), 1) as [string]
    const [held, absent] = keysOwnedBy(sim, owner, 'key', 2) as [Uint8Array, Uint8Array]
    await settled(sim, sim.request(owner, { kind: 'put', key: held, value: text('v') }))
    sim.links = (from, _to, kind) => (from === owner && kind === 'fetch' ? { delayMs: Number.POSITIVE_INFINITY } : undefined)
    const reader = peers.find(p => p !== owner) as string
    assert.equal(await read(sim, reader, absent), 'error REPLICAS_UNAVAILABLE')
    assert.equal(await read(sim, reader, held), 'v')
    sim.links = () => undefined
    await sim.clock.advance(30_000)
    assert.equal(await read(sim, reader, absent), undefined)
  })

  test('a peer taking over a crashed owner\'s keys asks the other replicas even when it holds a copy, so it never answers a stale one', async () => {
    const { sim, peers } = await ringOf(6)
    const key = text('k')
    const [owner, next] = replicasOf(sim, key, K) as [string, string]
    const entry = peers.find(p => p !== owner && p !== next) as string
    await settled(sim, sim.request(entry, { kind: 'put', key, value: text('old') }))
    await settled(sim, sim.repairAll())
    // The owner's next successor misses the newer write (the one after it stands in)...
    sim.links = (from, to, kind) => (from === owner && to === next && kind === 'store' ? { delayMs: Number.POSITIVE_INFINITY } : undefined)
    assert.equal((await settled(sim, sim.request(entry, { kind: 'put', key, value: text('new') }))).replicas, K)
    assert.equal(str((await sim.data(next).records.get(key))?.value), 'old')
    // ...and becomes the key's owner when the owner crashes.
    sim.kill(owner)
    sim.links = () => undefined
    assert.equal(await read(sim, entry, key), 'new')
    assert.equal(str((await sim.data(next).records.get(key))?.value), 'new', 'its own copy was repaired')
  })

  test('a peer that took over an arc answers NOT_FOUND there only once it heard every replica of it: fallback peers that never held the arc do not count', async () => {
    const { sim, peers } = await ringOf(8)
    const key = text('k')
    const [owner, next, holderA, holderB] = replicasOf(sim, key, 4) as [string, string, string, string]
    const entry = peers.find(p => ![owner, next, holderA, holderB].includes(p)) as string
    await settled(sim, sim.repairAll())
    // The owner's next successor misses the write: the one after the replicas stands in.
    sim.links = (from, to, kind) => (from === owner && to === next && kind === 'store' ? { delayMs: Number.POSITIVE_INFINITY } : undefined)
    assert.equal((await settled(sim, sim.request(entry, { kind: 'put', key, value: text('v') }))).replicas, K)
    assert.equal(await sim.data(next).records.get(key), undefined)
    // The owner crashes; its successor takes the key over. The two peers holding it stay in its ring, but
    // their data requests from it go unanswered (overloaded), so it reads and repairs with the peers after them.
    const data = new Set(['fetch', 'summary', 'digests', 'range', 'store'])
    sim.links = (from, to, kind) => (from === next && (to === holderA || to === holderB) && data.has(kind) ? { delayMs: Number.POSITIVE_INFINITY } : undefined)
    sim.kill(owner)
    // Past the minute after losing a neighbour, and after repair passes with the peers standing in.
    await sim.clock.advance(90_000)
    assert.equal(await read(sim, entry, key), 'error REPLICAS_UNAVAILABLE')
    // The pass waits out the silent holders' timeouts (500 ms each, several in a row).
    await settled(sim, sim.repairAll(), 10_000)
    assert.equal(await read(sim, entry, key), 'error REPLICAS_UNAVAILABLE')
    sim.links = () => undefined
    await sim.clock.advance(60_000)
    assert.equal(await read(sim, entry, key), 'v')
  })

  test('after two adjacent peers crash, every key is read at once; a key never written is REPLICAS_UNAVAILABLE for a minute, then NOT_FOUND', async () => {
    const { sim, peers } = await ringOf(8)
    const keys = Array.from({ length: 200 }, (_, i) => text(`key-${i}`))
    for (const [i, key] of keys.entries()) await settled(sim, sim.request(peers[i % 8] as string, { kind: 'put', key, value: text(`v${i}`) }), 20)
    await settled(sim, sim.repairAll())
    const sorted = inRingOrder(sim, peers)
    const victims = new Set([sorted[3], sorted[4]] as string[])
    const neverWritten = keysOwnedBy(sim, sorted[4] as string, 'never', 5)
    for (const v of victims) sim.kill(v)
    const live = peers.filter(p => !victims.has(p))
    assert.deepEqual(await readAll(sim, live[0] as string, keys), keys.map((_, i) => `v${i}`))
    // Crashed, or cut off and still taking writes? The peers around them cannot tell yet.
    assert.deepEqual(await readAll(sim, live[1] as string, neverWritten), neverWritten.map(() => 'error REPLICAS_UNAVAILABLE'))
    await sim.clock.advance(60_000)
    assert.deepEqual(await readAll(sim, live[1] as string, neverWritten), neverWritten.map(() => undefined))
  })

  test('after three adjacent peers crash, the first one\'s keys are REPLICAS_UNAVAILABLE, not NOT_FOUND, until the grace period', async () => {
    const graceMs = 120_000
    const { sim, peers } = await ringOf(8, graceMs)
    const sorted = inRingOrder(sim, peers)
    const [first, second] = [sorted[2], sorted[3]] as [string, string]
    const [written] = keysOwnedBy(sim, first, 'gone', 1) as [Uint8Array]
    const [neverWritten] = keysOwnedBy(sim, first, 'never', 1) as [Uint8Array]
    const [stillHeld] = keysOwnedBy(sim, second, 'kept', 1) as [Uint8Array]
    await settled(sim, sim.request(sorted[0] as string, { kind: 'put', key: written, value: text('lost with all its replicas') }))
    await settled(sim, sim.request(sorted[0] as string, { kind: 'put', key: stillHeld, value: text('v') }))
    await settled(sim, sim.repairAll())
    for (const v of sorted.slice(2, 5)) sim.kill(v)
    const reader = sorted[0] as string
    assert.equal(await read(sim, reader, written), 'error REPLICAS_UNAVAILABLE')
    assert.equal(await read(sim, reader, neverWritten), 'error REPLICAS_UNAVAILABLE')
    // The second victim's keys had a third replica, which holds them.
    assert.equal(await read(sim, reader, stillHeld), 'v')
    await sim.clock.advance(graceMs)
    assert.equal(await read(sim, reader, written), undefined)
    assert.equal(await read(sim, reader, neverWritten), undefined)
  })

  test('during a partition no side answers NOT_FOUND for a key acknowledged before it, nor for one the other side wrote', async () => {
    const { sim, peers } = await ringOf(8)
    const keys = Array.from({ length: 120 }, (_, i) => text(`key-${i}`))
    for (const [i, key] of keys.entries()) await settled(sim, sim.request(peers[i % 8] as string, { kind: 'put', key, value: text(`v${i}`) }), 20)
    await settled(sim, sim.repairAll())
    // Two contiguous arcs of the ring lose sight of each other.
    const sorted = inRingOrder(sim, peers)
    const minority = new Set(sorted.slice(5))
    const side = (p: string): boolean => minority.has(p)
    sim.links = (from, to) => (side(from) !== side(to) ? { delayMs: Number.POSITIVE_INFINITY } : undefined)
    await sim.clock.advance(20_000)
    const majorityReader = sorted[0] as string
    const minorityReader = sorted[6] as string
    // Writes acknowledged on the majority side during the partition.
    const late = Array.from({ length: 20 }, (_, i) => text(`during-${i}`))
    for (const key of late) await settled(sim, sim.request(majorityReader, { kind: 'put', key, value: text('written during') }), 100)

    const answers = new Map<string, number>()
    for (const [name, reader] of [['minority', minorityReader], ['majority', majorityReader]] as const) {
      for (const answer of await readAll(sim, reader, [...keys, ...late])) {
        const kind = `${name} ${answer === undefined ? 'NOT_FOUND' : answer.startsWith('error') ? answer : 'value'}`
        answers.set(kind, (answers.get(kind) ?? 0) + 1)
      }
    }
    assert.ok(![...answers.keys()].some(k => k.endsWith('NOT_FOUND')), JSON.stringify([...answers]))
    assert.ok((answers.get('majority value') ?? 0) > 0 && (answers.get('minority value') ?? 0) > 0, JSON.stringify([...answers]))
    assert.ok((answers.get('minority error REPLICAS_UNAVAILABLE') ?? 0) > 0, JSON.stringify([...answers]))
  })
})
