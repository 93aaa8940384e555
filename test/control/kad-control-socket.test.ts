import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { logger } from '@libp2p/logger'
import { kadControlApi } from '../../src/kad/control-api.js'
import { ControlServer } from '../../src/control/server.js'
import { startKadSwarm, stopKadPeers } from '../../src/kad/testnet.js'
import { RawControl, tempDir } from '../utils/control.js'
import { waitFor } from '../utils/network.js'
import type { KadPeer } from '../../src/kad/peer.js'

const MAX_LINE = 64 * 1024
const LIMITS = { maxKeyBytes: 100, maxValueBytes: 10_000 }

describe('the control socket of kad-mode peers', () => {
  let peers: KadPeer[] = []
  let servers: ControlServer[] = []
  let dir: string
  let leaves = 0
  const socket = (i: number): string => join(dir, `kad${i}.sock`)

  before(async () => {
    dir = await tempDir()
    peers = await startKadSwarm(3, { kad: { limits: LIMITS } })
    await waitFor(() => peers.every(p => p.services.kad.routingTableSize === 2), 10_000, () => 'routing tables did not fill')
    servers = peers.map((p, i) => new ControlServer(kadControlApi(p, () => {
      leaves++
      return { handoff: false, done: Promise.resolve() }
    }), { path: socket(i), maxLineBytes: MAX_LINE, log: logger('test') }))
    await Promise.all(servers.map(async s => s.listen()))
  })

  after(async () => {
    await Promise.all(servers.map(async s => s.close()))
    await stopKadPeers(peers)
  })

  test('put through one socket answers replicas; get through another returns the value', async () => {
    const c = await RawControl.connect(socket(0))
    assert.deepEqual(await c.call({ id: 1, op: 'put', key: 'k', value: 'v' }), { id: 1, ok: true, replicas: 3 })
    const other = await RawControl.connect(socket(2))
    assert.deepEqual(await other.call({ id: 2, op: 'get', key: 'k' }), { id: 2, ok: true, value: 'v' })
    const missing = await other.call({ id: 3, op: 'get', key: 'absent' })
    assert.equal((missing.error as { code: string }).code, 'NOT_FOUND')
    c.close()
    other.close()
  })

  test('binary keys and values travel as base64', async () => {
    const c = await RawControl.connect(socket(1))
    const key = randomBytes(20).toString('base64')
    const value = randomBytes(5000).toString('base64')
    assert.equal((await c.call({ id: 1, op: 'put', key, value, encoding: 'base64' })).ok, true)
    assert.deepEqual(await c.call({ id: 2, op: 'get', key, encoding: 'base64' }), { id: 2, ok: true, value })
    c.close()
  })

  test('del answers NOT_SUPPORTED, and the value is still there', async () => {
    const c = await RawControl.connect(socket(1))
    const res = await c.call({ id: 1, op: 'del', key: 'k' })
    assert.equal(res.ok, false)
    assert.equal((res.error as { code: string }).code, 'NOT_SUPPORTED')
    assert.match((res.error as { message: string }).message, /kad-dht cannot delete a record/)
    assert.deepEqual(await c.call({ id: 2, op: 'get', key: 'k' }), { id: 2, ok: true, value: 'v' })
    c.close()
  })

  test('a put with ttlMs answers NOT_SUPPORTED and stores nothing', async () => {
    const c = await RawControl.connect(socket(1))
    const res = await c.call({ id: 1, op: 'put', key: 'expiring', value: 'v', ttlMs: 5000 })
    assert.equal((res.error as { code: string }).code, 'NOT_SUPPORTED')
    assert.match((res.error as { message: string }).message, /ttlMs is not supported by the kad overlay/)
    const watch = await c.call({ id: 3, op: 'watch', key: 'k' })
    assert.equal((watch.error as { code: string }).code, 'NOT_SUPPORTED')
    assert.equal(((await c.call({ id: 2, op: 'get', key: 'expiring' })).error as { code: string }).code, 'NOT_FOUND')
    c.close()
  })

  test('lookup names the closest peers, the DHT key and the peers queried', async () => {
    const c = await RawControl.connect(socket(0))
    const res = await c.call({ id: 1, op: 'lookup', key: 'k' })
    assert.equal(res.ok, true)
    assert.equal(res.kadKey, '/chordkv/nm')
    assert.match(res.kadId as string, /^[0-9a-f]{64}$/)
    assert.deepEqual(new Set(res.closest as string[]), new Set(peers.slice(1).map(p => p.peerId.toString())))
    assert.equal(typeof res.queried, 'number')
    assert.ok((res.messages as number) >= (res.queried as number))
    c.close()
  })

  test('status reports the overlay, server mode, the routing-table size and the records held', async () => {
    const c = await RawControl.connect(socket(2))
    const s = await c.call({ id: 1, op: 'status' })
    const peer = peers[2] as KadPeer
    assert.equal(s.ok, true)
    assert.equal(s.overlay, 'kad')
    assert.equal(s.peerId, peer.peerId.toString())
    assert.equal(s.state, 'joined')
    assert.equal(s.mode, 'server')
    assert.equal(s.routingTable, 2)
    assert.ok((s.keys as number) >= 1)
    assert.ok((s.addrs as string[]).every(a => a.endsWith(`/p2p/${peer.peerId.toString()}`)))
    c.close()
  })

  test('malformed and oversized requests get BAD_REQUEST naming the problem, and the connection keeps working', async () => {
    const c = await RawControl.connect(socket(1))
    const cases: Array<[string, RegExp, number | undefined]> = [
      ['{not json', /malformed JSON/, undefined],
      ['[1,2]', /must be a JSON object, got an array/, undefined],
      ['{"id":1}', /missing field "op"/, 1],
      ['{"id":2,"op":"frob"}', /unknown op "frob"/, 2],
      ['{"id":3,"op":"get"}', /missing field "key"/, 3],
      ['{"id":4,"op":"put","key":"k"}', /missing field "value"/, 4],
      ['{"id":5,"op":"get","key":"%%%","encoding":"base64"}', /"key" is not valid base64/, 5],
      ['{"id":6,"op":"del","key":""}', /"key" must not be empty/, 6],
      [`{"id":7,"op":"put","key":"${'k'.repeat(101)}","value":"v"}`, /key is 101 bytes; the limit is 100/, 7],
      [`{"id":8,"op":"put","key":"k","value":"${'v'.repeat(10_001)}"}`, /value is 10001 bytes; the limit is 10000/, 8],
      [`{"id":9,"op":"lookup","key":"${'k'.repeat(101)}"}`, /key is 101 bytes; the limit is 100/, 9]
    ]
    for (const [line] of cases) c.write(line + '\n')
    const lines = await c.received(cases.length)
    cases.forEach(([, message, id], i) => {
      const res = lines[i] as { id?: unknown, ok: boolean, error: { code: string, message: string } }
      assert.equal(res.ok, false, `case ${i}`)
      assert.equal(res.error.code, 'BAD_REQUEST', `case ${i}: ${res.error.message}`)
      assert.match(res.error.message, message, `case ${i}`)
      assert.equal(res.id, id, `case ${i}`)
    })
    c.write(`{"id":10,"op":"put","key":"k","value":"${'x'.repeat(MAX_LINE)}"}\n`)
    assert.deepEqual((await c.received(cases.length + 1))[cases.length], { id: 10, ok: false, error: { code: 'BAD_REQUEST', message: `request line exceeds the limit of ${MAX_LINE} bytes` } })
    assert.deepEqual(await c.call({ id: 99, op: 'put', key: 'still', value: 'works' }), { id: 99, ok: true, replicas: 3 })
    c.close()
  })

  test('a client sending garbage harms no other client, and every peer keeps serving', async () => {
    const garbage = await RawControl.connect(socket(0))
    garbage.write(randomBytes(200_000))
    const clients = await Promise.all(peers.map(async (_, i) => RawControl.connect(socket(i))))
    const reads = await Promise.all(clients.map(async (c, i) => c.call({ id: i, op: 'get', key: 'still' })))
    reads.forEach(r => { assert.equal(r.value, 'works') })
    clients.forEach(c => { c.close() })
    garbage.close()
  })

  test('leave is acknowledged, then the peer is told to leave', async () => {
    const c = await RawControl.connect(socket(2))
    assert.deepEqual(await c.call({ id: 1, op: 'leave' }), { id: 1, ok: true, handoff: false })
    await waitFor(() => leaves === 1, 5000, () => 'leave was not called')
    c.close()
  })
})
