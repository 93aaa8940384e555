import assert from 'node:assert/strict'
import { test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { RemoteError, UnreachableError } from '../../src/errors.js'
import { replicateWrite, type ReplicaSet, type WriteFollowUp } from '../../src/storage/replication.js'
import { ref } from '../utils/ring-fixtures.js'
import type { DataTransport } from '../../src/protocol/ports.js'
import type { NodeRef } from '../../src/ring/node-ref.js'

const writer = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
const record = { key: new TextEncoder().encode('k'), value: new Uint8Array(8), version: { timestamp: 1n << 16n, writer } }
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
