import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFile, stat, writeFile } from 'node:fs/promises'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { PeerProcess } from '../../src/cli/peer-process.js'
import { assertExit, chordkv } from '../utils/cli.js'
import { tempDir } from '../utils/control.js'
import { waitFor } from '../utils/network.js'

const FAST_ENV = { CHORDKV_STORAGE: 'memory', CHORDKV_STABILIZE_INTERVAL_MS: '100', CHORDKV_CHECK_PREDECESSOR_INTERVAL_MS: '200' }

describe('start-up failures are named, and nothing claims a ring first', () => {
  test('a listen port in use: exit 1, the address and the cause, no stack trace, no "founded a new ring"', async () => {
    const dir = await tempDir('chordkv-start-')
    const busy = createServer()
    await new Promise<void>(resolve => busy.listen(0, '127.0.0.1', resolve))
    const port = (busy.address() as AddressInfo).port
    try {
      const start = await chordkv(['start', '--data-dir', join(dir, 'p'), '--storage', 'memory', '--listen', `/ip4/127.0.0.1/tcp/${port}`], { env: { HOME: dir } })
      assertExit(start, 1)
      assert.equal(start.stderr, `chordkv: cannot listen on /ip4/127.0.0.1/tcp/${port}: the address is already in use (another process listens on that port) (listen is set by --listen, CHORDKV_LISTEN or the config file)\n`)
      assert.doesNotMatch(start.out, /founded a new ring/)
      // the data directory is free again
      await assert.rejects(stat(join(dir, 'p', 'chordkv.pid')), { code: 'ENOENT' })
    } finally {
      busy.close()
    }
  })

  test('an address chordkv cannot listen on is refused when the configuration is read', async () => {
    const dir = await tempDir('chordkv-start-')
    const start = await chordkv(['start', '--data-dir', join(dir, 'p'), '--listen', '/ip4/127.0.0.1/udp/4001/quic-v1'], { env: { HOME: dir } })
    assertExit(start, 1)
    assert.match(start.stderr, /listen\[0\] must be a TCP address to listen on, .* got "\/ip4\/127\.0\.0\.1\/udp\/4001\/quic-v1" \(from --listen\)/)
    assert.equal(start.out, '')
  })

  test('one peer per data directory, whatever the storage; a pid file left by a crash is replaced', async () => {
    const dir = await tempDir('chordkv-start-')
    const dataDir = join(dir, 'p')
    const first = await PeerProcess.start({ name: 'first', dataDir, env: FAST_ENV })
    try {
      await first.waitFor(/^control socket: /)
      const second = await chordkv(['start', '--data-dir', dataDir, '--socket', join(dir, 'other.sock'), '--storage', 'memory'], { env: { HOME: dir } })
      assertExit(second, 1)
      assert.equal(second.stderr, `chordkv: the data directory ${dataDir} is in use by the running peer with pid ${first.child.pid} (one data directory per peer); if no peer runs there, delete ${join(dataDir, 'chordkv.pid')}\n`)
    } finally {
      assert.equal(await first.stop('SIGTERM'), 0)
    }
    await assert.rejects(stat(join(dataDir, 'chordkv.pid')), { code: 'ENOENT' })
    // a crashed peer's pid file names a process that is gone
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
    await writeFile(join(dataDir, 'chordkv.pid'), `${gone.stdout}\n`)
    const again = await PeerProcess.start({ name: 'again', dataDir, env: FAST_ENV })
    try {
      await again.waitFor(/^founded a new ring/)
      assert.equal((await readFile(join(dataDir, 'chordkv.pid'), 'utf8')).trim(), String(again.child.pid))
    } finally {
      assert.equal(await again.stop('SIGTERM'), 0)
    }
  })
})

describe('log levels', () => {
  test('info (the default) reports ring events; warn prints only where to reach the peer and warnings; debug adds the chordkv debug log', async () => {
    const dir = await tempDir('chordkv-log-')
    const first = await PeerProcess.start({ name: 'first', dataDir: join(dir, 'a'), env: FAST_ENV })
    const quiet = await PeerProcess.start({ name: 'quiet', dataDir: join(dir, 'b'), env: { ...FAST_ENV, CHORDKV_LOG_LEVEL: 'warn' }, bootstrap: await first.waitFor(/^listening: (.*)$/) })
    let debug: PeerProcess | undefined
    try {
      await first.waitFor(/^founded a new ring/)
      // the second peer joining changes the first one's neighbours
      await first.waitFor(/^neighbours changed: predecessor 12D3Koo\S+, successor 12D3Koo\S+$/)
      await waitFor(async () => (await stat(quiet.socket).catch(() => undefined)) !== undefined, 20_000, () => 'the quiet peer never opened its socket')
      debug = await PeerProcess.start({ name: 'debug', dataDir: join(dir, 'c'), env: { ...FAST_ENV, CHORDKV_LOG_LEVEL: 'debug' }, bootstrap: await first.waitFor(/^listening: (.*)$/) })
      await debug.waitFor(/^joined the ring/)
      await waitFor(() => debug?.lines.some(l => /chordkv:(ring|service|data|transport) /.test(l)) === true, 10_000, () => 'no chordkv debug lines')
    } finally {
      await Promise.all([first, quiet, debug].map(async p => p?.stop('SIGTERM')))
    }
    // Where to reach it is printed at every level: other peers and scripts need its address.
    const reach = /^(peer id|listening|control socket): /
    assert.deepEqual(quiet.lines.filter(l => !l.startsWith('chordkv: ') && !reach.test(l)), [], 'at warn, nothing but warnings and where to reach the peer')
    assert.ok(quiet.lines.some(l => /^listening: \/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\/12D3Koo/.test(l)), 'the listening address is printed at warn')
  })
})
