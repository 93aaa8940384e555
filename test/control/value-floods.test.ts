import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { logger } from '@libp2p/logger'
import { chordControlApi } from '../../src/chord/control-api.js'
import { maxRequestLineBytes } from '../../src/control/protocol.js'
import { ControlServer } from '../../src/control/server.js'
import { liveMemory, MemorySampler, mib } from '../utils/memory.js'
import { FAST_RING, startRing, stopAll, waitFor } from '../utils/network.js'
import { RawControl, tempDir } from '../utils/control.js'
import { waitForIdealRing } from '../utils/ring-checks.js'
import type { ChordPeer } from '../../src/chord/peer.js'

/**
 * Large values through the control socket, with the value limit raised to
 * 4 MiB as config/example.json does. Memory is the tests' process's live
 * memory after full garbage collections (test/utils/memory.ts); the ring's
 * three peers and the clients all run in it.
 */

const LIMITS = { maxKeyBytes: 1024, maxValueBytes: 4 * 1024 * 1024 }
const RING = { ...FAST_RING, successors: 3, limits: LIMITS }
const KEYS = 8
/** A flooding connection gets every answer within this long. */
const FLOOD_MS = 120_000

/** A client that pipelines many puts of one value on its own connection and collects the answers. */
async function floodPuts (path: string, connection: number, puts: number, value: Buffer): Promise<Array<Record<string, unknown>>> {
  const c = await RawControl.connect(path)
  for (let i = 0; i < puts; i++) {
    const key = Buffer.from(`flood-${(connection + i) % KEYS}`).toString('base64')
    // The same value buffer for every line: the client holds one copy.
    c.write(`{"id":${i},"op":"put","encoding":"base64","key":"${key}","value":"`)
    c.write(value)
    c.write('"}\n')
  }
  const answers = await c.received(puts, FLOOD_MS)
  c.socket.destroy()
  return answers
}

describe('large values through the control socket', () => {
  let peers: ChordPeer[] = []
  let server: ControlServer
  let path: string

  before(async () => {
    path = join(await tempDir(), 'peer.sock')
    peers = await startRing(3, RING)
    await waitForIdealRing(peers, 3, 20_000)
    server = new ControlServer(chordControlApi(peers[0] as ChordPeer, () => ({ handoff: false, done: Promise.resolve() })), { path, maxLineBytes: maxRequestLineBytes(LIMITS), log: logger('test') })
    await server.listen()
  })

  after(async () => {
    await server?.close()
    await stopAll(peers)
  })

  test('a value of the configured maximum is stored and read back whole; one byte more is refused by name', async () => {
    const c = await RawControl.connect(path)
    const value = randomBytes(LIMITS.maxValueBytes).toString('base64')
    const key = Buffer.from('largest').toString('base64')
    assert.deepEqual(await c.call({ id: 1, op: 'put', key, value, encoding: 'base64' }), { id: 1, ok: true, replicas: 3 })
    const read = await c.call({ id: 2, op: 'get', key, encoding: 'base64' })
    assert.equal(read.ok, true)
    assert.ok(read.value === value, 'the value read back is the value written')
    const text = 'x'.repeat(LIMITS.maxValueBytes)
    assert.deepEqual(await c.call({ id: 3, op: 'put', key: 'text', value: text }), { id: 3, ok: true, replicas: 3 })
    const over = await c.call({ id: 4, op: 'put', key, value: randomBytes(LIMITS.maxValueBytes + 1).toString('base64'), encoding: 'base64' })
    assert.equal((over.error as { code: string }).code, 'BAD_REQUEST')
    assert.match((over.error as { message: string }).message, /value is 4194305 bytes; the limit is 4194304/)
    c.close()
  })

  test('a flood of large values is answered BUSY past the write budget, never QUORUM; other clients are served; memory comes back', async () => {
    const value = Buffer.from(randomBytes(1024 * 1024).toString('base64'))
    const warm = await RawControl.connect(path)
    for (let k = 0; k < KEYS; k++) {
      const answer = await warm.call({ id: k, op: 'put', key: Buffer.from(`flood-${k}`).toString('base64'), value: value.toString(), encoding: 'base64' })
      assert.equal(answer.ok, true, JSON.stringify(answer))
    }
    assert.equal((await warm.call({ id: KEYS, op: 'put', key: 'small', value: 'v' })).ok, true)
    const before = await liveMemory()
    const sampler = new MemorySampler()
    let flooding = true
    const flood = Promise.all(Array.from({ length: 8 }, async (_, i) => floodPuts(path, i, 16, value))).finally(() => { flooding = false })
    // Another client keeps reading and asking for status while the flood runs.
    const served: string[] = []
    let id = 100
    while (flooding) {
      const get = await warm.call({ id: id++, op: 'get', key: 'small' })
      const status = await warm.call({ id: id++, op: 'status' })
      served.push(`${String(get.value)}/${String(status.ok)}`)
    }
    const answers = (await flood).flat()
    warm.close()
    const peak = await sampler.stop()
    const codes = answers.map(a => (a.ok === true ? 'ok' : (a.error as { code: string }).code))
    assert.equal(answers.length, 8 * 16)
    assert.deepEqual(codes.filter(c => c !== 'ok' && c !== 'BUSY'), [], JSON.stringify(answers.find(a => a.ok !== true && (a.error as { code: string }).code !== 'BUSY')))
    assert.ok(codes.includes('BUSY'), 'puts past the write budget were answered BUSY')
    assert.ok(codes.includes('ok'), 'puts within the budget were stored')
    assert.ok(answers.filter(a => a.ok !== true).every(a => /the peer is busy: \d+ bytes of writes are under way/.test((a.error as { message: string }).message)))
    assert.ok(served.length > 0 && served.every(s => s === 'v/true'), `other client: ${served.join(' ')}`)
    assert.ok(peak - before < 256 * 1024 * 1024, `live memory grew by ${mib(peak - before)} during the flood`)
    // Writes acknowledged on W replicas finish on the last one a moment later.
    let afterwards = 0
    await waitFor(async () => { afterwards = await liveMemory(); return afterwards <= 1.5 * before }, 10_000, () => `live memory ${mib(afterwards)} after, ${mib(before)} before`, 500)
  })
})
