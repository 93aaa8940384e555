import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { stat, writeFile } from 'node:fs/promises'
import { spawn } from 'node:child_process'
import { createConnection } from 'node:net'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { logger } from '@libp2p/logger'
import { chordControlApi } from '../../src/chord/control-api.js'
import { ControlServer } from '../../src/control/server.js'
import { ringIdOfKey } from '../../src/ring/hash.js'
import { idToHex, SHA256_SPACE } from '../../src/ring/ids.js'
import { FAST_RING, startRing, stopAll, waitFor } from '../utils/network.js'
import { expectedOwner, waitForIdealRing } from '../utils/ring-checks.js'
import { RawControl, tempDir } from '../utils/control.js'
import type { ChordPeer } from '../../src/chord/peer.js'
import type { ControlApi } from '../../src/control/api.js'
import type { KadStatusReport, StatusReport } from '../../src/control/replies.js'
import type { WatchSink } from '../../src/protocol/messages.js'
import type { KvRecord } from '../../src/protocol/record.js'

const MAX_LINE = 64 * 1024
const RING = { ...FAST_RING, successors: 2, limits: { maxKeyBytes: 100, maxValueBytes: 10_000 } }

describe('the control socket contract', () => {
  let peers: ChordPeer[] = []
  let dir: string
  let servers: ControlServer[] = []
  let leaves = 0
  const socket = (i: number): string => join(dir, `peer${i}.sock`)

  before(async () => {
    dir = await tempDir()
    peers = await startRing(3, RING)
    await waitForIdealRing(peers, 2, 20_000)
    servers = peers.map((p, i) => new ControlServer(chordControlApi(p, () => {
      leaves++
      return { handoff: true, done: Promise.resolve() }
    }), { path: socket(i), maxLineBytes: MAX_LINE, log: logger('test') }))
    await Promise.all(servers.map(async s => s.listen()))
  })

  after(async () => {
    await Promise.all(servers.map(async s => s.close()))
    await stopAll(peers)
  })

  test('put, get, del and get-after-del answer exactly as documented', async () => {
    const c = await RawControl.connect(socket(0))
    assert.deepEqual(await c.call({ id: 1, op: 'put', key: 'k', value: 'v' }), { id: 1, ok: true, replicas: 3 })
    const other = await RawControl.connect(socket(2))
    assert.deepEqual(await other.call({ id: 2, op: 'get', key: 'k' }), { id: 2, ok: true, value: 'v' })
    assert.deepEqual(await other.call({ id: 3, op: 'del', key: 'k' }), { id: 3, ok: true })
    const missing = await c.call({ id: 4, op: 'get', key: 'k' })
    assert.equal(missing.ok, false)
    assert.equal((missing.error as { code: string }).code, 'NOT_FOUND')
    assert.equal(typeof (missing.error as { message: string }).message, 'string')
    // deleting a key that holds no value is not an error, and says so
    assert.deepEqual(await c.call({ id: 5, op: 'del', key: 'k' }), { id: 5, ok: true, existed: false })
    c.close()
    other.close()
  })

  test('string ids are echoed, and a request without an id is answered without one', async () => {
    const c = await RawControl.connect(socket(1))
    assert.deepEqual(await c.call({ id: 'abc', op: 'put', key: 's', value: 'x' }), { id: 'abc', ok: true, replicas: 3 })
    c.send({ op: 'get', key: 's' })
    const [, noId] = await c.received(2)
    assert.deepEqual(noId, { ok: true, value: 'x' })
    c.close()
  })

  test('base64 applies to keys and values both ways; binary values survive', async () => {
    const c = await RawControl.connect(socket(0))
    const key = randomBytes(20).toString('base64')
    const value = randomBytes(5000).toString('base64')
    assert.deepEqual(await c.call({ id: 1, op: 'put', key, value, encoding: 'base64' }), { id: 1, ok: true, replicas: 3 })
    assert.deepEqual(await c.call({ id: 2, op: 'get', key, encoding: 'base64' }), { id: 2, ok: true, value })
    await c.call({ id: 30, op: 'put', key: Buffer.from('bin').toString('base64'), value, encoding: 'base64' })
    const asText = await c.call({ id: 3, op: 'get', key: 'bin' })
    assert.equal(asText.ok, false)
    assert.match((asText.error as { message: string }).message, /not valid UTF-8.*base64/)
    // "aGk=" is "hi": the same key written as text and as base64 is one key
    await c.call({ id: 4, op: 'put', key: 'hi', value: 'there' })
    assert.deepEqual(await c.call({ id: 5, op: 'get', key: 'aGk=', encoding: 'base64' }), { id: 5, ok: true, value: Buffer.from('there').toString('base64') })
    c.close()
  })

  test('lookup names the responsible peer, its ring id, the hops and the path', async () => {
    const c = await RawControl.connect(socket(0))
    const res = await c.call({ id: 7, op: 'lookup', key: 'some key' })
    const id = ringIdOfKey(new TextEncoder().encode('some key'))
    assert.equal(res.ok, true)
    assert.equal(res.peerId, expectedOwner(peers, id))
    assert.match(res.ringId as string, /^[0-9a-f]{64}$/)
    assert.equal(res.ringId, idToHex(SHA256_SPACE, (peers.find(p => p.peerId.toString() === res.peerId) as ChordPeer).services.chord.self.id))
    assert.equal(res.hops, (res.path as string[]).length - 1)
    assert.equal((res.path as string[])[0], (peers[0] as ChordPeer).peerId.toString())
    c.close()
  })

  test('status reports identity, addresses, neighbours, fingers and key count', async () => {
    const c = await RawControl.connect(socket(0))
    const s = await c.call({ id: 1, op: 'status' })
    const peer = peers[0] as ChordPeer
    assert.equal(s.ok, true)
    assert.equal(s.peerId, peer.peerId.toString())
    assert.match(s.ringId as string, /^[0-9a-f]{64}$/)
    assert.ok((s.addrs as string[]).length > 0 && (s.addrs as string[]).every(a => a.endsWith(`/p2p/${peer.peerId.toString()}`)))
    const pred = s.predecessor as { peerId: string, ringId: string }
    assert.equal(pred.peerId, peer.services.chord.status().predecessor?.peer)
    assert.match(pred.ringId, /^[0-9a-f]{64}$/)
    assert.equal((s.successors as unknown[]).length, 2)
    assert.ok(Array.isArray(s.fingers))
    assert.equal(s.keys, peer.services.chord.status().records.keys)
    c.close()
  })

  test('every kind of bad input gets BAD_REQUEST naming the problem, and the connection keeps working', async () => {
    const c = await RawControl.connect(socket(1))
    const cases: Array<[string, RegExp, number | string | undefined]> = [
      ['{not json', /malformed JSON/, undefined],
      ['[1,2]', /must be a JSON object, got an array/, undefined],
      ['"text"', /must be a JSON object, got string/, undefined],
      ['null', /got null/, undefined],
      ['{"id":1}', /missing field "op"/, 1],
      ['{"id":2,"op":7}', /"op" must be a string/, 2],
      ['{"id":3,"op":"frob"}', /unknown op "frob"/, 3],
      ['{"id":4,"op":"get"}', /missing field "key"/, 4],
      ['{"id":5,"op":"put","key":"k"}', /missing field "value"/, 5],
      ['{"id":6,"op":"put","key":1,"value":"v"}', /"key" must be a string/, 6],
      ['{"id":7,"op":"put","key":"k","value":{"a":1}}', /"value" must be a string/, 7],
      ['{"id":8,"op":"get","key":"%%%","encoding":"base64"}', /"key" is not valid base64/, 8],
      ['{"id":9,"op":"get","key":"k","encoding":"latin1"}', /"encoding" must be "utf8" or "base64"/, 9],
      ['{"id":10,"op":"get","key":""}', /"key" must not be empty/, 10],
      // Served as if absent, an unknown field would change what the request means unseen.
      ['{"id":13,"op":"put","key":"refused","value":"v","tll":30000}', /unknown field "tll": put takes "key", "value", "ttlMs"/, 13],
      ['{"id":14,"op":"status","verbose":true}', /unknown field "verbose": status takes no fields/, 14],
      ['{"id":15,"op":"leave","wait":true,"now":1}', /unknown field "now": leave takes "wait"/, 15],
      ['{"id":16,"op":"put","key":"refused","value":"v","ttlMs":-1}', /"ttlMs" must be a whole number of milliseconds ≥ 1, got -1/, 16],
      ['{"id":{"x":1},"op":"status"}', /id must be a number or a string/, undefined],
      [`{"id":11,"op":"put","key":"${'k'.repeat(101)}","value":"v"}`, /key is 101 bytes; the limit is 100/, 11],
      [`{"id":12,"op":"put","key":"k","value":"${'v'.repeat(10_001)}"}`, /value is 10001 bytes; the limit is 10000/, 12]
    ]
    for (const [line] of cases) c.write(line + '\n')
    const lines = await c.received(cases.length)
    // Answers to bad lines come back in order (none waits on the ring).
    cases.forEach(([, message, id], i) => {
      const res = lines[i] as { id?: unknown, ok: boolean, error: { code: string, message: string } }
      assert.equal(res.ok, false, `case ${i}`)
      assert.equal(res.error.code, 'BAD_REQUEST', `case ${i}`)
      assert.match(res.error.message, message, `case ${i}`)
      assert.equal(res.id, id, `case ${i}`)
    })
    assert.deepEqual(await c.call({ id: 99, op: 'put', key: 'still', value: 'works' }), { id: 99, ok: true, replicas: 3 })
    // The put with the unknown field stored nothing, and the leave did not run.
    assert.equal((await c.call({ id: 100, op: 'get', key: 'refused' }) as { error: { code: string } }).error.code, 'NOT_FOUND')
    c.close()
  })

  test('an oversized line is refused, then the next line is served', async () => {
    const c = await RawControl.connect(socket(2))
    c.write(`{"id":1,"op":"put","key":"k","value":"${'x'.repeat(MAX_LINE)}"}\n`)
    c.send({ id: 2, op: 'get', key: 'still' })
    const lines = await c.received(2)
    assert.deepEqual(lines[0], { id: 1, ok: false, error: { code: 'BAD_REQUEST', message: `request line exceeds the limit of ${MAX_LINE} bytes` } })
    assert.deepEqual(lines[1], { id: 2, ok: true, value: 'works' })
    c.close()
  })

  test('an oversized line carries its id in the answer only when the line starts with it', async () => {
    const c = await RawControl.connect(socket(2))
    c.write(`{"op":"put","key":"k","value":"${'x'.repeat(MAX_LINE)}","id":7}\n`)
    c.write(`{ "id" : "s-1", "op":"put","key":"k","value":"${'x'.repeat(MAX_LINE)}"}\n`)
    const lines = await c.received(2)
    assert.equal(lines[0]?.id, undefined)
    assert.equal(lines[1]?.id, 's-1')
    assert.deepEqual(lines.map(l => (l.error as { code: string }).code), ['BAD_REQUEST', 'BAD_REQUEST'])
    c.close()
  })

  test('pipelined requests on one connection are all answered, each with its id', async () => {
    const c = await RawControl.connect(socket(0))
    const n = 300
    let batch = ''
    for (let i = 0; i < n; i++) batch += JSON.stringify({ id: i, op: 'put', key: `p${i}`, value: `v${i}` }) + '\n'
    c.write(batch)
    await c.received(n)
    assert.deepEqual(new Set(c.lines.map(l => l.id)), new Set(Array.from({ length: n }, (_, i) => i)))
    assert.ok(c.lines.every(l => l.ok === true))
    batch = ''
    for (let i = 0; i < n; i++) batch += JSON.stringify({ id: `g${i}`, op: 'get', key: `p${i}` }) + '\n'
    c.write(batch)
    await c.received(2 * n)
    for (let i = 0; i < n; i++) assert.equal(c.lines.find(l => l.id === `g${i}`)?.value, `v${i}`)
    c.close()
  })

  test('many concurrent clients are served, and one sending garbage harms none', async () => {
    const garbage = await RawControl.connect(socket(1))
    garbage.write(randomBytes(200_000))
    const clients = await Promise.all(Array.from({ length: 40 }, async () => RawControl.connect(socket(1))))
    const results = await Promise.all(clients.map(async (c, i) => c.call({ id: i, op: 'put', key: `c${i}`, value: `${i}` })))
    assert.ok(results.every(r => r.ok === true))
    const reads = await Promise.all(clients.map(async (c, i) => c.call({ id: `r${i}`, op: 'get', key: `c${i}` })))
    reads.forEach((r, i) => { assert.equal(r.value, `${i}`) })
    clients.forEach(c => { c.close() })
    garbage.close()
  })

  test('health: a member with W reachable replicas is healthy; a lone peer is not, and says why', async () => {
    const c = await RawControl.connect(socket(0))
    assert.deepEqual(await c.call({ id: 1, op: 'health' }), { id: 1, ok: true, healthy: true, state: 'joined', reasons: [] })
    c.close()
    const [alone] = await startRing(1, RING)
    try {
      const report = await chordControlApi(alone as ChordPeer, () => ({ handoff: false, done: Promise.resolve() })).health()
      assert.equal(report.healthy, false)
      assert.equal(report.state, 'joined')
      assert.match(report.reasons.join(), /only 1 of the 2 replicas a write needs is reachable \(the peer is alone on its ring\)/)
    } finally {
      await stopAll([alone as ChordPeer])
    }
  })

  test('the socket file has mode 0600', async () => {
    assert.equal((await stat(socket(0))).mode & 0o777, 0o600)
  })

  test('leave is acknowledged at once, saying whether the peer hands keys on', async () => {
    const c = await RawControl.connect(socket(2))
    assert.deepEqual(await c.call({ id: 1, op: 'leave' }), { id: 1, ok: true, handoff: true })
    assert.equal(leaves, 1)
    c.close()
  })

  test('a client that half-closes right after writing still gets every answer, then the server ends', async () => {
    // 50 pipelined requests, then FIN at once: the answers all arrive before the server's FIN.
    const socketPath = socket(1)
    const requests = Array.from({ length: 50 }, (_, i) => JSON.stringify(i % 2 === 0 ? { id: i, op: 'put', key: `h${i}`, value: `${i}` } : { id: i, op: 'status' })).join('\n') + '\n'
    const answers = await halfClosingClient(socketPath, requests)
    assert.equal(answers.length, 50)
    assert.deepEqual(answers.map(a => a.id).sort((a, b) => Number(a) - Number(b)), Array.from({ length: 50 }, (_, i) => i))
    assert.ok(answers.every(a => a.ok === true), JSON.stringify(answers.find(a => a.ok !== true)))
    // a last line without its newline is a request too
    const [last] = await halfClosingClient(socketPath, '{"id":"no-newline","op":"get","key":"h0"}')
    assert.deepEqual(last, { id: 'no-newline', ok: true, value: '0' })
  })
})

/** Connects, writes `text` and half-closes in one go; resolves with the answers once the server ends the connection. */
async function halfClosingClient (path: string, text: string): Promise<Array<Record<string, unknown>>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const client = createConnection({ path, allowHalfOpen: true }, () => { client.end(text) })
    client.on('data', (chunk: Buffer) => { chunks.push(chunk) })
    client.on('error', reject)
    client.on('end', () => {
      const lines = Buffer.concat(chunks).toString('utf8').split('\n').filter(l => l !== '')
      resolve(lines.map(l => JSON.parse(l) as Record<string, unknown>))
    })
  })
}

describe('the control socket file', () => {
  const status: KadStatusReport = { overlay: 'kad', version: 'test', peerId: 'p', addrs: [], state: 'joined', keys: 0, kadId: '00', mode: 'server', routingTable: 0, connections: 0 }
  const api: ControlApi = {
    put: async () => ({ replicas: 1 }),
    get: async () => undefined,
    del: async () => false,
    lookup: async () => ({ kadKey: 'k', kadId: '00', closest: [], queried: 0, messages: 0 }),
    status: async () => status,
    ring: async () => ({ from: 'p', members: [], closed: true, warnings: [], elapsedMs: 0 }),
    health: async () => ({ healthy: true, state: 'joined', reasons: [] }),
    leave: () => ({ handoff: true, done: Promise.resolve() }),
    watch: async () => () => {}
  }
  const options = (path: string): ConstructorParameters<typeof ControlServer>[1] => ({ path, maxLineBytes: 1000, log: logger('test') })

  test('a watch is answered, then streams its events on the connection with its id, in order; unwatch and closing the connection end it', async () => {
    const path = join(await tempDir(), 's.sock')
    const sinks: WatchSink[] = []
    let ended = 0
    const version = (t: bigint): { timestamp: bigint, writer: string } => ({ timestamp: t, writer: '12D3KooWtest' })
    const record = (v: string | undefined, t: bigint): KvRecord => ({ key: new TextEncoder().encode('k'), value: v === undefined ? undefined : new TextEncoder().encode(v), version: version(t) })
    const server = new ControlServer({
      ...api,
      watch: async (_key, _since, sink) => {
        sinks.push(sink)
        // Heard before the watch is answered: it must still follow the answer.
        sink({ kind: 'resync', record: record('v1', 1n) })
        return () => { ended++ }
      }
    }, options(path))
    await server.listen()
    try {
      const c = await RawControl.connect(path)
      c.send({ id: 'w', op: 'watch', key: 'k', since: '0/12D3KooWtest' })
      assert.deepEqual(await c.received(2), [
        { id: 'w', ok: true },
        { id: 'w', event: 'resync', value: 'v1', version: '1/12D3KooWtest' }
      ])
      sinks[0]?.({ kind: 'put', record: record('v2', 2n) })
      sinks[0]?.({ kind: 'del', record: record(undefined, 3n) })
      assert.deepEqual((await c.received(4)).slice(2), [
        { id: 'w', event: 'put', value: 'v2', version: '2/12D3KooWtest' },
        { id: 'w', event: 'del', version: '3/12D3KooWtest' }
      ])
      assert.deepEqual(await c.call({ id: 2, op: 'unwatch', watch: 'w' }), { id: 2, ok: true })
      assert.equal(ended, 1)
      sinks[0]?.({ kind: 'put', record: record('v4', 4n) })
      assert.equal(((await c.call({ id: 3, op: 'unwatch', watch: 'w' })).error as { message: string }).message, 'no watch with id "w" is open on this connection')
      assert.equal(((await c.call({ id: 4, op: 'watch', key: 'k', since: 'yesterday' })).error as { message: string }).message.startsWith('field "since" must be a version'), true)
      c.send({ op: 'watch', key: 'k' })
      assert.match(((await c.received(8))[7]?.error as { message: string }).message, /a watch needs an "id"/)
      assert.equal(c.lines.filter(l => l.event !== undefined).length, 3, 'nothing after the unwatch')
      // Closing the connection ends its watches.
      const other = await RawControl.connect(path)
      assert.deepEqual(await other.call({ id: 1, op: 'watch', key: 'k' }), { id: 1, ok: true })
      other.socket.destroy()
      await waitFor(() => ended === 2, 5000, () => `${ended} watches ended`)
      c.close()
    } finally {
      await server.close()
    }
  })

  test('a client that reads its watch\'s events too slowly gets an overflow event, and the watch ends', async () => {
    const path = join(await tempDir(), 's.sock')
    let sink: WatchSink | undefined
    let ended = false
    const server = new ControlServer({ ...api, watch: async (_key, _since, s) => { sink = s; return () => { ended = true } } }, options(path))
    await server.listen()
    try {
      const c = await RawControl.connect(path)
      assert.deepEqual(await c.call({ id: 1, op: 'watch', key: 'k' }), { id: 1, ok: true })
      c.socket.pause()
      const big = new TextEncoder().encode('x'.repeat(64 * 1024))
      for (let i = 1; i <= 200 && !ended; i++) {
        sink?.({ kind: 'put', record: { key: big, value: big, version: { timestamp: BigInt(i), writer: 'w' } } })
        await new Promise(resolve => setImmediate(resolve))
      }
      assert.equal(ended, true, 'the watch ended')
      c.socket.resume()
      await waitFor(() => c.lines.at(-1)?.event === 'overflow', 10_000, () => `last line ${JSON.stringify(c.lines.at(-1)).slice(0, 200)}`)
      assert.match(c.lines.at(-1)?.message as string, /the client read too slowly .* the watch ended; watch again with "since"/)
      c.close()
    } finally {
      await server.close()
    }
  })

  test('a client that sends part of a line and then nothing is answered and closed after the idle time; one between lines stays', async () => {
    const path = join(await tempDir(), 's.sock')
    const server = new ControlServer(api, { ...options(path), idleLineMs: 300 })
    await server.listen()
    try {
      const half = await RawControl.connect(path)
      const between = await RawControl.connect(path)
      half.write('{"id":1,"op":"get","ke')
      assert.deepEqual(await between.call({ id: 1, op: 'health' }), { id: 1, ok: true, healthy: true, state: 'joined', reasons: [] })
      await waitFor(() => half.closed, 10_000, () => 'the half-line connection was never closed')
      assert.deepEqual(half.lines, [{ ok: false, error: { code: 'BAD_REQUEST', message: 'request line unfinished: no byte for 0.3 s; closing the connection' } }])
      // The connection that finished its line is still served, well past the idle time.
      const idleSince = performance.now()
      await waitFor(() => performance.now() - idleSince > 900, 5000, () => 'time stood still')
      assert.equal(between.closed, false)
      assert.deepEqual(await between.call({ id: 2, op: 'health' }), { id: 2, ok: true, healthy: true, state: 'joined', reasons: [] })
      between.close()
    } finally {
      await server.close()
    }
  })

  test('a stale socket left by a crashed run is replaced, and removed on close', async () => {
    const path = join(await tempDir(), 's.sock')
    // A process that listens on the path and is killed leaves the socket file behind.
    const crashed = spawn(process.execPath, ['-e', 'require("net").createServer().listen(process.argv[1], () => console.log("up"))', path], { stdio: ['ignore', 'pipe', 'inherit'] })
    await new Promise(resolve => crashed.stdout.once('data', resolve))
    crashed.kill('SIGKILL')
    await new Promise(resolve => crashed.once('exit', resolve))
    assert.ok((await stat(path)).isSocket())
    const server = new ControlServer(api, options(path))
    await server.listen()
    assert.ok((await stat(path)).isSocket())
    await server.close()
    await assert.rejects(stat(path), { code: 'ENOENT' })
  })

  test('a socket a live peer serves is never stolen', async () => {
    const path = join(await tempDir(), 's.sock')
    const first = new ControlServer(api, options(path))
    await first.listen()
    const second = new ControlServer(api, options(path))
    await assert.rejects(second.listen(), /another running peer serves the control socket/)
    const c = await RawControl.connect(path)
    c.close()
    await first.close()
  })

  test('a path holding a regular file is refused, not overwritten', async () => {
    const path = join(await tempDir(), 'not-a-socket')
    await writeFile(path, 'precious')
    await assert.rejects(new ControlServer(api, options(path)).listen(), /exists and is not a socket/)
  })

  test('leave with "wait" answers once the hand-off is over, or says why it failed', async () => {
    const path = join(await tempDir(), 's.sock')
    let outcome = Promise.withResolvers<void>()
    const server = new ControlServer({ ...api, leave: () => ({ handoff: true, done: outcome.promise }) }, options(path))
    await server.listen()
    try {
      const c = await RawControl.connect(path)
      c.send({ id: 1, op: 'leave', wait: true })
      // nothing comes back while the hand-off runs; the next request is still served
      assert.deepEqual(await c.call({ id: 2, op: 'health' }), { id: 2, ok: true, healthy: true, state: 'joined', reasons: [] })
      assert.equal(c.lines.some(l => l.id === 1), false)
      outcome.resolve()
      await c.received(2)
      assert.deepEqual(c.lines[1], { id: 1, ok: true, handoff: true })
      outcome = Promise.withResolvers<void>()
      outcome.promise.catch(() => {})
      outcome.reject(new Error('no successor could take over this peer\'s keys'))
      const failed = await c.call({ id: 3, op: 'leave', wait: true })
      assert.deepEqual(failed, { id: 3, ok: false, error: { code: 'HANDOFF_FAILED', message: 'the hand-off failed: no successor could take over this peer\'s keys; the peer stops anyway' } })
      assert.match(String(((await c.call({ id: 4, op: 'leave', wait: 'yes' })).error as { message: string }).message), /"wait" must be true or false/)
      c.close()
    } finally {
      await server.close()
    }
  })

  test('closing the server answers the requests in flight before ending each connection', async () => {
    const path = join(await tempDir(), 's.sock')
    const slow = Promise.withResolvers<StatusReport>()
    const server = new ControlServer({ ...api, status: async () => slow.promise }, options(path))
    await server.listen()
    const c = await RawControl.connect(path)
    c.send({ id: 1, op: 'status' })
    // once the next request is answered, the first one has been read and is in flight
    await c.call({ id: 2, op: 'health' })
    const closing = server.close()
    slow.resolve(status)
    await closing
    await waitFor(() => c.closed, 5000, () => 'the connection stayed open')
    assert.deepEqual(c.lines.find(l => l.id === 1), { id: 1, ok: true, ...status })
  })
})
