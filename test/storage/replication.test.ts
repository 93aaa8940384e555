import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { RemoteError, UnreachableError } from '../../src/errors.js'
import { HybridClock } from '../../src/storage/hlc.js'
import { MemoryStore } from '../../src/storage/memory-store.js'
import { intendedReplicas, readReplicas, replicaCandidates, replicateWrite, type ReplicaSet, type WriteFollowUp } from '../../src/storage/replication.js'
import { ref } from '../utils/ring-fixtures.js'
import type { DataTransport } from '../../src/protocol/ports.js'
import type { KvRecord } from '../../src/protocol/record.js'
import type { NodeRef } from '../../src/ring/node-ref.js'

const writer = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
const text = (s: string): Uint8Array => new TextEncoder().encode(s)
const record = { key: text('k'), value: new Uint8Array(8), version: { timestamp: 1n << 16n, writer } }
const noFollowUp: WriteFollowUp = { missed: () => {}, stored: () => {} }
const options = { factor: 3, writeQuorum: 2, readQuorum: 1, maxClockOffsetMs: 60_000 }

/** An owner with two successors whose stores fail (or succeed) as `answer` says. */
function owner (answer: (to: NodeRef) => Promise<void>): { set: ReplicaSet, transport: DataTransport, failed: string[] } {
  const failed: string[] = []
  const set: ReplicaSet = { self: ref(1), successors: [ref(2), ref(3)], isSuspect: () => false, peerFailed: node => { failed.push(node.peer) } }
  const transport = { store: async (to: NodeRef) => answer(to) } as unknown as DataTransport
  return { set, transport, failed }
}

test('a write the replicas were too busy to take fails BUSY, not QUORUM, and marks no replica failed', async () => {
  const { set, transport, failed } = owner(async to => { throw new RemoteError('BUSY', `${to.peer}: more than 256 requests in flight`) })
  await assert.rejects(replicateWrite(transport, set, options, record, noFollowUp), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'BUSY')
    assert.match(err.message, /only 1 of 3 replicas stored the write and 2 were too busy to take it; the write is not acknowledged/)
    return true
  })
  assert.deepEqual(failed, [])
})

test('a write whose replicas are unreachable still fails QUORUM, and they are marked failed', async () => {
  const { set, transport, failed } = owner(async to => { throw new UnreachableError(`cannot reach ${to.peer}`) })
  await assert.rejects(replicateWrite(transport, set, options, record, noFollowUp), { code: 'QUORUM' })
  assert.deepEqual(failed.sort(), ['n2', 'n3'])
})

test('one busy replica does not fail a write the others acknowledge', async () => {
  const { set, transport } = owner(async to => { if (to.peer === 'n2') throw new RemoteError('BUSY', 'busy') })
  assert.equal(await replicateWrite(transport, set, options, record, noFollowUp), 2)
})

/** Successors 2, 3, 4 of owner 1; `suspects` are suspected. */
function setOf (successors: number[], suspects: readonly string[] = []): { set: ReplicaSet, failed: string[] } {
  const failed: string[] = []
  return { set: { self: ref(1), successors: successors.map(ref), isSuspect: peer => suspects.includes(peer), peerFailed: node => { failed.push(node.peer) } }, failed }
}

/** Records which replicas each write follow-up named. */
function followUps (): WriteFollowUp & { missedBy: string[], storedBy: string[] } {
  const missedBy: string[] = []
  const storedBy: string[] = []
  return { missedBy, storedBy, missed: replica => { missedBy.push(replica.peer) }, stored: replica => { storedBy.push(replica.peer) } }
}

test('replica candidates are the successors but this peer, suspected ones last; the intended replicas are the first k−1, suspected or not', () => {
  const { set } = setOf([2, 3, 1, 4], ['n2'])
  assert.deepEqual(replicaCandidates(set).map(n => n.peer), ['n3', 'n4', 'n2'])
  assert.deepEqual(intendedReplicas(set, 3).map(n => n.peer), ['n2', 'n3'])
  assert.deepEqual(intendedReplicas(set, 1), [])
  assert.deepEqual(intendedReplicas(setOf([2, 1, 3]).set, 3).map(n => n.peer), ['n2', 'n3'])
})

test('a write goes to k−1 live-looking successors at once; one that fails is replaced by the next, marked failed and reported missed', async () => {
  const { set, failed } = setOf([2, 3, 4])
  const asked: string[] = []
  const transport = { store: async (to: NodeRef) => { asked.push(to.peer); if (to.peer === 'n2') throw new UnreachableError('gone') } } as unknown as DataTransport
  const follow = followUps()
  assert.equal(await replicateWrite(transport, set, options, record, follow), 3)
  assert.deepEqual(asked, ['n2', 'n3', 'n4'])
  assert.deepEqual(failed, ['n2'])
  assert.deepEqual([follow.missedBy, follow.storedBy], [['n2'], ['n3']])
})

test('suspected successors are asked only when the others cannot make up k−1', async () => {
  const { set } = setOf([2, 3, 4], ['n2'])
  const asked: string[] = []
  const transport = { store: async (to: NodeRef) => { asked.push(to.peer) } } as unknown as DataTransport
  const follow = followUps()
  assert.equal(await replicateWrite(transport, set, options, record, follow), 3)
  assert.deepEqual(asked, ['n3', 'n4'])
  assert.deepEqual([follow.missedBy, follow.storedBy], [['n2'], ['n3']])
})

test('a ring smaller than the write quorum says so; a refusal that is not BUSY counts as a replica lost, without marking it failed', async () => {
  const { set, failed } = setOf([2])
  const ok = { store: async () => {} } as unknown as DataTransport
  await assert.rejects(replicateWrite(ok, set, { ...options, writeQuorum: 3 }, record, noFollowUp), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'QUORUM')
    assert.equal(err.message, 'only 2 of 3 replicas stored the write; the write quorum is 3 (the ring has only 2 peers; start more or lower the write quorum)')
    return true
  })
  const refusing = { store: async () => { throw new RemoteError('BAD_REQUEST', 'no') } } as unknown as DataTransport
  await assert.rejects(replicateWrite(refusing, setOf([2, 3]).set, options, record, noFollowUp), (err: Error & { code?: string }) => {
    assert.equal(err.message, 'only 1 of 3 replicas stored the write; the write quorum is 2')
    return true
  })
  assert.deepEqual(failed, [])
  // A ring as large as the quorum that still misses it is not called too small.
  await assert.rejects(replicateWrite(refusing, setOf([2]).set, options, record, noFollowUp), { message: 'only 1 of 3 replicas stored the write; the write quorum is 2' })
  assert.equal(await replicateWrite(ok, setOf([]).set, { ...options, writeQuorum: 1 }, record, noFollowUp), 1)
})

describe('reading a key from the other replicas', () => {
  const version = (ms: number, writer = 'w'): { timestamp: bigint, writer: string } => ({ timestamp: BigInt(ms) << 16n, writer })
  const at = (ms: number, value: string): KvRecord => ({ key: record.key, value: new TextEncoder().encode(value), version: version(ms) })
  const clock = new HybridClock(() => 100_000)

  /** A transport whose replicas hold `held` (by peer; an Error is thrown instead), recording fetches and the repairs sent. */
  function replicas (held: Record<string, KvRecord | undefined | Error>): { transport: DataTransport, fetched: string[], repaired: Array<[string, string]> } {
    const fetched: string[] = []
    const repaired: Array<[string, string]> = []
    const transport = {
      fetch: async (to: NodeRef) => {
        fetched.push(to.peer)
        const answer = held[to.peer]
        if (answer instanceof Error) throw answer
        return { records: answer === undefined ? [] : [answer], served: 1 }
      },
      store: async (to: NodeRef, records: readonly KvRecord[]) => { repaired.push([to.peer, new TextDecoder().decode(records[0]?.value)]) }
    } as unknown as DataTransport
    return { transport, fetched, repaired }
  }

  test('the newest copy wins; the local copy is repaired before the answer, stale replicas after it', async () => {
    const store = new MemoryStore()
    await store.put(at(1000, 'old'))
    const { transport, fetched, repaired } = replicas({ n2: at(2000, 'new'), n3: at(1000, 'old'), n4: at(500, 'older') })
    const answer = await readReplicas(store, transport, setOf([2, 3, 4]).set, record.key, at(1000, 'old'), 3, clock, 60_000)
    assert.deepEqual([new TextDecoder().decode(answer.newest?.value), answer.answeredBy.size, answer.candidates], ['new', 3, 3])
    assert.deepEqual(fetched, ['n2', 'n3', 'n4'])
    assert.equal(new TextDecoder().decode((await store.get(record.key))?.value), 'new')
    await new Promise(resolve => setImmediate(resolve))
    assert.deepEqual(repaired.sort(), [['n3', 'new'], ['n4', 'new']])
  })

  test('a newer local copy is kept and sent to the replicas that lack it; an equal one is not sent', async () => {
    const store = new MemoryStore()
    const { transport, repaired } = replicas({ n2: undefined, n3: at(3000, 'mine') })
    const answer = await readReplicas(store, transport, setOf([2, 3]).set, record.key, at(3000, 'mine'), 2, clock, 60_000)
    assert.equal(new TextDecoder().decode(answer.newest?.value), 'mine')
    assert.equal(await store.get(record.key), undefined, 'the local copy is not written again')
    await new Promise(resolve => setImmediate(resolve))
    assert.deepEqual(repaired, [['n2', 'mine']])
  })

  test('a replica that fails is replaced by the next, up to twice as many as asked for; a refusal is not an answer, nor a failure', async () => {
    const { set, failed } = setOf([2, 3, 4, 5])
    const { transport, fetched } = replicas({ n2: new UnreachableError('gone'), n3: new RemoteError('BUSY', 'busy'), n4: new UnreachableError('gone'), n5: at(1, 'v') })
    const answer = await readReplicas(new MemoryStore(), transport, set, record.key, undefined, 1, clock, 60_000)
    assert.deepEqual(fetched, ['n2', 'n3'])
    assert.deepEqual([answer.newest, answer.answeredBy.size, answer.candidates], [undefined, 0, 4])
    assert.deepEqual(failed, ['n2'])
  })

  test('a replica that answers is the only one asked when one answer was asked for', async () => {
    const { transport, fetched } = replicas({ n2: at(1, 'v'), n3: at(2, 'w') })
    const answer = await readReplicas(new MemoryStore(), transport, setOf([2, 3]).set, record.key, undefined, 1, clock, 60_000)
    assert.deepEqual([fetched, answer.answeredBy.size, new TextDecoder().decode(answer.newest?.value)], [['n2'], 1, 'v'])
  })

  test('a replica\'s version too far ahead of this clock is not taken', async () => {
    const store = new MemoryStore()
    const { transport } = replicas({ n2: at(100_000 + 60_001, 'ahead'), n3: at(100_000 + 60_000, 'within') })
    const answer = await readReplicas(store, transport, setOf([2, 3]).set, record.key, undefined, 2, clock, 60_000)
    assert.equal(new TextDecoder().decode(answer.newest?.value), 'within')
    const alone = await readReplicas(store, replicas({ n2: at(100_000 + 60_001, 'ahead') }).transport, setOf([2]).set, text('other'), undefined, 1, clock, 60_000)
    assert.deepEqual([alone.newest, alone.answeredBy.size], [undefined, 1])
  })
})
