import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdir, readFile } from 'node:fs/promises'
import { createServer, type Server, type Socket } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, describe, test } from 'node:test'
import { logger } from '@libp2p/logger'
import { chordControlApi } from '../../src/chord/control-api.js'
import { ControlServer } from '../../src/control/server.js'
import { FAST_RING, startRing, stopAll, waitFor } from '../utils/network.js'
import { waitForIdealRing } from '../utils/ring-checks.js'
import { tempDir } from '../utils/control.js'
import type { ChordPeer } from '../../src/chord/peer.js'

/** The compiled probe: dist/test/cli/ → dist/src/cli/health-probe.js. */
const PROBE = fileURLToPath(new URL('../../src/cli/health-probe.js', import.meta.url))
const PROBE_SOURCE = fileURLToPath(new URL('../../../src/cli/health-probe.ts', import.meta.url))

interface Outcome { code: number | null, out: string }

/** Runs the probe with only `env` (nothing inherited) and optional arguments. */
async function probe (env: NodeJS.ProcessEnv, args: readonly string[] = []): Promise<Outcome> {
  const child = spawn(process.execPath, [PROBE, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  const chunks: Buffer[] = []
  child.stdout.on('data', (chunk: Buffer) => { chunks.push(chunk) })
  child.stderr.on('data', (chunk: Buffer) => { chunks.push(chunk) })
  const timer = setTimeout(() => { child.kill('SIGKILL') }, 15_000)
  const [code] = await once(child, 'close') as [number | null]
  clearTimeout(timer)
  return { code, out: Buffer.concat(chunks).toString('utf8') }
}

/** A socket server that hands every connection to `onConnection`. */
async function fakePeer (path: string, onConnection: (socket: Socket) => void): Promise<Server> {
  const server = createServer(onConnection)
  server.listen(path)
  await once(server, 'listening')
  return server
}

describe('the container health probe', () => {
  let dir: string
  let ring: ChordPeer[] = []
  let alone: ChordPeer[] = []
  const servers: ControlServer[] = []

  before(async () => {
    dir = await tempDir('chordkv-probe-')
    ring = await startRing(3, FAST_RING)
    alone = await startRing(1, FAST_RING)
    await waitForIdealRing(ring, 8, 20_000)
    const serve = async (peer: ChordPeer, path: string): Promise<void> => {
      const server = new ControlServer(chordControlApi(peer, () => ({ handoff: false, done: Promise.resolve() })), { path, maxLineBytes: 64 * 1024, log: logger('test') })
      await server.listen()
      servers.push(server)
    }
    await mkdir(join(dir, 'member'))
    await serve(ring[0] as ChordPeer, join(dir, 'member', 'chordkv.sock'))
    await serve(alone[0] as ChordPeer, join(dir, 'alone.sock'))
  })

  after(async () => {
    await Promise.all(servers.map(async s => s.close()))
    await stopAll([...ring, ...alone])
  })

  test('a ring member with W reachable replicas: exit 0, "healthy (joined)"', async () => {
    const outcome = await probe({ CHORDKV_DATA_DIR: join(dir, 'member') })
    assert.equal(outcome.code, 0, outcome.out)
    assert.equal(outcome.out, 'healthy (joined)\n')
  })

  test('a peer alone on its ring cannot take writes: exit 1 with the reason', async () => {
    const outcome = await probe({}, [join(dir, 'alone.sock')])
    assert.equal(outcome.code, 1, outcome.out)
    assert.match(outcome.out, /^unhealthy \(joined\): only 1 of the 2 replicas a write needs is reachable \(the peer is alone on its ring\)\n$/)
  })

  test('--live: a peer that answers is alive whatever its ring state; it says when it cannot take writes', async () => {
    const member = await probe({ CHORDKV_DATA_DIR: join(dir, 'member') }, ['--live'])
    assert.deepEqual([member.code, member.out], [0, 'alive (joined)\n'])
    const lone = await probe({}, ['--live', join(dir, 'alone.sock')])
    assert.equal(lone.code, 0, lone.out)
    assert.match(lone.out, /^alive \(joined\), not taking writes: only 1 of the 2 replicas a write needs is reachable \(the peer is alone on its ring\)\n$/)
  })

  test('--live: no peer, or one that does not answer in time, is not alive', async () => {
    const sockets: Socket[] = []
    const silent = await fakePeer(join(dir, 'silent-live.sock'), s => { sockets.push(s) })
    try {
      const none = await probe({ CHORDKV_SOCKET: join(dir, 'none.sock') }, ['--live'])
      assert.deepEqual([none.code, none.out], [1, `unhealthy: no chordkv peer is listening on ${join(dir, 'none.sock')} (no such socket)\n`])
      const quiet = await probe({}, ['--live', join(dir, 'silent-live.sock')])
      assert.deepEqual([quiet.code, quiet.out], [1, `unhealthy: the peer on ${join(dir, 'silent-live.sock')} did not answer within 4000 ms\n`])
    } finally {
      sockets.forEach(s => s.destroy())
      silent.close()
    }
  })

  test('the socket is the argument, else CHORDKV_SOCKET, else CHORDKV_DATA_DIR/chordkv.sock, else ~/.chordkv/chordkv.sock', async () => {
    const member = join(dir, 'member', 'chordkv.sock')
    assert.equal((await probe({ CHORDKV_SOCKET: member, CHORDKV_DATA_DIR: join(dir, 'nowhere') })).code, 0)
    assert.equal((await probe({ CHORDKV_SOCKET: join(dir, 'nowhere.sock') }, [member])).code, 0)
    const home = await probe({ HOME: join(dir, 'home') })
    assert.equal(home.code, 1)
    assert.equal(home.out, `unhealthy: no chordkv peer is listening on ${join(dir, 'home', '.chordkv', 'chordkv.sock')} (no such socket)\n`)
  })

  test('no peer, a peer that never answers, garbage, or an endless line: exit 1 (never Docker\'s reserved 2), each with its reason', async () => {
    const sockets: Socket[] = []
    // How long the probe kept its connection to the silent peer: its own wait, without Node's start-up.
    const waited: number[] = []
    const silent = await fakePeer(join(dir, 'silent.sock'), s => {
      const at = performance.now()
      sockets.push(s)
      s.on('close', () => { waited.push(performance.now() - at) })
      s.resume()
    })
    const garbage = await fakePeer(join(dir, 'garbage.sock'), s => { s.end('<html>\n') })
    const endless = await fakePeer(join(dir, 'endless.sock'), s => { s.write('x'.repeat(100_000)) })
    const refusing = await fakePeer(join(dir, 'refusing.sock'), s => { s.end('{"id":1,"ok":false,"error":{"code":"BAD_REQUEST","message":"unknown op"}}\n') })
    try {
      const none = await probe({}, [join(dir, 'none.sock')])
      assert.deepEqual([none.code, none.out], [1, `unhealthy: no chordkv peer is listening on ${join(dir, 'none.sock')} (no such socket)\n`])
      const quiet = await probe({}, [join(dir, 'silent.sock')])
      assert.deepEqual([quiet.code, quiet.out], [1, `unhealthy: the peer on ${join(dir, 'silent.sock')} did not answer within 4000 ms\n`])
      // It gives up at 4 s, leaving Docker's 5 s timeout room for Node's start-up however loaded the machine.
      await waitFor(() => waited.length === 1, 5000, () => 'the probe never closed its connection')
      const [ms] = waited as [number]
      assert.ok(ms >= 3900 && ms < 4500, `the probe waited ${Math.round(ms)} ms for an answer`)
      const junk = await probe({}, [join(dir, 'garbage.sock')])
      assert.deepEqual([junk.code, junk.out], [1, 'unhealthy: the peer answered with something that is not JSON: <html>\n'])
      const long = await probe({}, [join(dir, 'endless.sock')])
      assert.equal(long.code, 1)
      assert.match(long.out, /sent \d+ bytes without a reply line\n$/)
      const refused = await probe({}, [join(dir, 'refusing.sock')])
      assert.deepEqual([refused.code, refused.out], [1, 'unhealthy: the peer refused the health request: BAD_REQUEST: unknown op\n'])
    } finally {
      sockets.forEach(s => s.destroy())
      for (const server of [silent, garbage, endless, refusing]) server.close()
    }
  })

  test('it imports nothing but Node\'s built-ins, so it starts without loading libp2p', async () => {
    const source = await readFile(PROBE_SOURCE, 'utf8')
    const imports = [...source.matchAll(/^import .* from '([^']+)'/gm)].map(m => m[1])
    assert.ok(imports.length > 0)
    assert.deepEqual(imports.filter(name => name?.startsWith('node:') !== true), [])
    assert.doesNotMatch(source, /\bimport\(/)
  })
})
