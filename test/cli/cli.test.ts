import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createHash, randomBytes } from 'node:crypto'
import { readFile, rm, stat, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { after, before, describe, test } from 'node:test'
import { logger } from '@libp2p/logger'
import { COMMANDS } from '../../src/cli/commands.js'
import { FIELDS, loadConfig } from '../../src/config.js'
import { chordOverlay } from '../../src/chord/overlay.js'
import { startDaemon, type Daemon } from '../../src/daemon.js'
import { assertExit, chordkv, MAIN, MODULES_MAIN, type Outcome } from '../utils/cli.js'
import { ringIdOfKey } from '../../src/ring/hash.js'
import { betweenRightIncl } from '../../src/ring/ids.js'
import { tempDir } from '../utils/control.js'
import { addressOf, crash, FAST_RING, startRing, stopAll, waitFor } from '../utils/network.js'
import { waitForIdealRing } from '../utils/ring-checks.js'
import type { ChordPeer } from '../../src/chord/peer.js'

/** A home directory with no ~/.chordkv in it, so the default socket leads nowhere. */
let emptyHome: string

before(async () => {
  emptyHome = await tempDir('chordkv-cli-empty-')
})

after(async () => {
  await rm(emptyHome, { recursive: true, force: true })
})

describe('chordkv client commands against a running peer', () => {
  let daemon: Daemon<ChordPeer>
  /** A home whose ~/.chordkv is the peer's data directory: the default socket reaches it. */
  let home: string
  let dataDir: string
  let socket: string
  let peerId: string
  /** The environment of a child that names the peer with --socket. */
  let env: NodeJS.ProcessEnv
  /** Runs a client command against the peer, selected with --socket. */
  const client = async (args: readonly string[], input?: Uint8Array): Promise<Outcome> => chordkv([...args, '--socket', socket], { env, input })

  before(async () => {
    home = await tempDir('chordkv-cli-')
    dataDir = join(home, '.chordkv')
    // One peer can hold one replica: a write quorum of 1 lets it acknowledge writes.
    const config = await loadConfig({ env: {}, flags: new Map([['dataDir', dataDir], ['storage', 'memory'], ['replication.writeQuorum', '1']]) })
    daemon = await startDaemon(chordOverlay, config, { info () {}, warn () {} }, logger('test'))
    socket = daemon.config.socket
    peerId = daemon.peer.peerId.toString()
    env = { HOME: emptyHome }
    const chord = daemon.peer.services.chord
    await waitFor(() => chord.joined, 10_000, () => 'the peer never founded its ring')
  })

  after(async () => {
    await daemon.shutdown(false)
    await rm(home, { recursive: true, force: true })
  })

  test('put KEY VALUE stores the value, says on how many replicas, and exits 0', async () => {
    const put = await client(['put', 'greeting', 'hello world'])
    assertExit(put, 0)
    assert.equal(put.out, 'stored on 1 replica\n')
    assert.equal(put.stderr, '')
  })

  test('put --ttl stores a value that get prints until it expires, then get exits 1; a bad --ttl is a usage error', async () => {
    assertExit(await client(['put', 'short-lived', 'v', '--ttl', '1500ms']), 0)
    const early = await client(['get', 'short-lived'])
    // A machine too slow to read it back within its time to live would not see it.
    if (early.code !== 1) assert.deepEqual([early.code, early.out], [0, 'v'])
    await waitFor(async () => (await client(['get', 'short-lived'])).code === 1, 15_000, () => 'the value never expired')
    assert.equal((await client(['get', 'short-lived'])).stderr, 'chordkv: not found: short-lived\n')
    for (const bad of ['0', '2y', 'soon']) {
      const put = await client(['put', 'never', 'v', '--ttl', bad])
      assertExit(put, 2)
      assert.match(put.stderr, /--ttl must be a duration/, bad)
    }
    const tooLong = await client(['put', 'never', 'v', '--ttl', '400d'])
    assertExit(tooLong, 1)
    assert.match(tooLong.stderr, /time to live is 34560000000 ms; the limit is 31536000000 ms \(limits.maxTtlMs\)/)
    assertExit(await client(['get', 'never']), 1)
  })

  test('watch --once prints the next value put and exits 0; watch --json prints each change until Ctrl-C, which exits 0', async () => {
    const registrations = (): number => daemon.peer.services.chord.testing.data.server.watchers.count
    const before = registrations()
    const next = client(['watch', 'watched', '--once'])
    // The watch holds once the key's replica registered it: a put before that would not be a change it waits for.
    await waitFor(() => registrations() > before, 10_000, () => 'the watch never registered')
    assertExit(await client(['put', 'watched', 'first']), 0)
    const outcome = await next
    assertExit(outcome, 0)
    assert.equal(outcome.out, 'first\n')

    const held = registrations()
    const child = spawn(process.execPath, [MAIN, 'watch', 'watched-2', '--json', '--socket', socket], { env })
    const lines: string[] = []
    let buffered = ''
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8')
      const parts = buffered.split('\n')
      buffered = parts.pop() ?? ''
      lines.push(...parts)
    })
    await waitFor(() => registrations() > held, 10_000, () => 'the second watch never registered')
    assertExit(await client(['put', 'watched-2', 'second']), 0)
    assertExit(await client(['del', 'watched-2']), 0)
    await waitFor(() => lines.length >= 2, 10_000, () => `printed ${JSON.stringify(lines)}`)
    const [put, del] = lines.map(l => JSON.parse(l) as Record<string, unknown>)
    assert.deepEqual({ ...put, version: undefined }, { event: 'put', key: 'watched-2', value: 'second', version: undefined })
    assert.match(put?.version as string, /^\d+\/12D3KooW\w+$/)
    assert.equal(del?.event, 'del')
    child.kill('SIGINT')
    const [code] = await once(child, 'close') as [number | null]
    assert.equal(code, 0)
    assertExit(await client(['watch', 'watched', '--since', 'yesterday']), 1)
  })

  test('get KEY prints exactly the stored value, with no newline added', async () => {
    assertExit(await client(['put', 'colour', 'blue']), 0)
    const get = await client(['get', 'colour'])
    assertExit(get, 0)
    assert.deepEqual(get.stdout, Buffer.from('blue'))
    assert.equal(get.stderr, '')
  })

  test('keys and values given as arguments may be any UTF-8 text', async () => {
    assertExit(await client(['put', 'ключ with spaces', 'значение ✓\nline two']), 0)
    const get = await client(['get', 'ключ with spaces'])
    assertExit(get, 0)
    assert.equal(get.out, 'значение ✓\nline two')
  })

  test('get of a missing key exits 1 with "not found" on stderr and nothing on stdout', async () => {
    const get = await client(['get', 'never-stored'])
    assertExit(get, 1)
    assert.equal(get.out, '')
    assert.match(get.stderr, /not found: never-stored/)
  })

  test('put KEY - reads a binary value from stdin, and get returns the identical bytes', async () => {
    // bytes that survive no text encoding: NUL, newlines, invalid UTF-8
    const value = Buffer.concat([Buffer.from([0x00, 0x0a, 0xff, 0xfe, 0x0d, 0x0a]), randomBytes(64 * 1024), Buffer.from([0x0a])])
    assertExit(await client(['put', 'binary', '-'], value), 0)
    const get = await client(['get', 'binary'])
    assertExit(get, 0)
    assert.ok(get.stdout.equals(value), `got ${get.stdout.length} bytes back, expected ${value.length}`)
  })

  test('put KEY - with a value over the request-line limit exits 1 at once, naming the limit, even with --timeout 0', async () => {
    const started = performance.now()
    // 2 MiB of binary, over the 1 MiB value limit and over the line limit once in base64.
    const put = await client(['put', 'too-big', '-', '--timeout', '0'], randomBytes(2 * 1024 * 1024))
    const tookMs = performance.now() - started
    assertExit(put, 1)
    assert.match(put.stderr, /request line exceeds the limit of \d+ bytes \(values of up to 1048576 bytes fit/)
    // Within the CLI's own start-up and the upload; the peer never waits for more.
    assert.ok(tookMs < 5000, `took ${tookMs.toFixed(0)} ms`)
    const get = await client(['get', 'too-big'])
    assertExit(get, 1)
  })

  test('put KEY - with a value exactly at the limit (1 MiB of binary from stdin) stores it', async () => {
    const value = randomBytes(1024 * 1024)
    assertExit(await client(['put', 'at-limit', '-'], value), 0)
    const get = await client(['get', 'at-limit'])
    assertExit(get, 0)
    assert.ok(get.stdout.equals(value), `got ${get.stdout.length} bytes back`)
  })

  test('every op that takes a key refuses one over limits.maxKeyBytes: lookup as put, get and del', async () => {
    const key = 'k'.repeat(1025)
    for (const args of [['put', key, 'v'], ['get', key], ['del', key], ['lookup', key]]) {
      const outcome = await client(args)
      assertExit(outcome, 1)
      assert.match(outcome.stderr, /key is 1025 bytes; the limit is 1024/, `${args[0] as string}: ${outcome.stderr}`)
    }
  })

  test('put KEY - with empty stdin stores an empty value', async () => {
    assertExit(await client(['put', 'empty', '-'], new Uint8Array()), 0)
    const get = await client(['get', 'empty'])
    assertExit(get, 0)
    assert.equal(get.stdout.length, 0)
  })

  test('a value starting with a dash is taken as an option unless it follows --', async () => {
    const bare = await client(['put', 'dash', '-5'])
    assertExit(bare, 2)
    assert.match(bare.stderr, /unknown option "-5" for put .*goes after "--"/)
    assertExit(await chordkv(['put', '--socket', socket, '--', 'dash', '-5'], { env }), 0)
    assert.equal((await client(['get', 'dash'])).out, '-5')
  })

  test('options may follow the arguments after --, as in the README: put -- -k -5 --socket S', async () => {
    assertExit(await chordkv(['put', '--', '-k', '-5', '--socket', socket], { env }), 0)
    const get = await chordkv(['get', '--', '-k', '--socket', socket], { env })
    assertExit(get, 0)
    assert.equal(get.out, '-5')
    // an argument before -- and the other after it
    assertExit(await chordkv(['put', 'k2', '--', '--not-an-option', '--socket', socket], { env }), 0)
    assert.equal((await client(['get', 'k2'])).out, '--not-an-option')
  })

  test('--json prints one JSON document for put, get, del, health and leave-free commands', async () => {
    const put = await client(['put', 'j', 'v', '--json'])
    assertExit(put, 0)
    assert.deepEqual(JSON.parse(put.out), { key: 'j', replicas: 1 })
    const get = await client(['get', 'j', '--json'])
    assertExit(get, 0)
    assert.deepEqual(JSON.parse(get.out), { key: 'j', value: 'v' })
    // a value that is not UTF-8 comes back as base64, and says so
    assertExit(await client(['put', 'bin-json', '-'], Buffer.from([0xff, 0x00])), 0)
    assert.deepEqual(JSON.parse((await client(['get', 'bin-json', '--json'])).out), { key: 'bin-json', value: Buffer.from([0xff, 0x00]).toString('base64'), encoding: 'base64' })
    const del = await client(['del', 'j', '--json'])
    assert.deepEqual(JSON.parse(del.out), { key: 'j', existed: true })
    assert.deepEqual(JSON.parse((await client(['del', 'j', '--json'])).out), { key: 'j', existed: false })
    const health = await client(['health', '--json'])
    assertExit(health, 0)
    assert.deepEqual(JSON.parse(health.out), { healthy: true, state: 'joined', reasons: [] })
    const lookup = JSON.parse((await client(['lookup', 'j', '--json'])).out) as { key: string }
    assert.equal(lookup.key, 'j')
  })

  test('with --json a failure prints {"error":{code,message}} on stdout, the message on stderr, and keeps its exit status', async () => {
    const missing = await client(['get', 'never-there', '--json'])
    assertExit(missing, 1)
    assert.equal((JSON.parse(missing.out) as { error: { code: string } }).error.code, 'NOT_FOUND')
    assert.match(missing.stderr, /not found: never-there/)
    const noPeer = await chordkv(['status', '--json', '--socket', join(emptyHome, 'none.sock')], { env })
    assertExit(noPeer, 3)
    assert.equal((JSON.parse(noPeer.out) as { error: { code: string } }).error.code, 'NO_PEER')
  })

  test('status shows the version, which --version prints too', async () => {
    const version = (JSON.parse(await readFile(fileURLToPath(new URL('../../../package.json', import.meta.url)), 'utf8')) as { version: string }).version
    const status = await client(['status'])
    assert.match(status.out, new RegExp(`^version\\s+${version.replaceAll('.', '\\.')}$`, 'm'))
    assert.equal((JSON.parse((await client(['status', '--json'])).out) as { version: string }).version, version)
    for (const flag of ['--version', '-V', 'version']) {
      const out = await chordkv([flag], { env })
      assertExit(out, 0)
      assert.equal(out.out, `chordkv ${version}\n`)
    }
  })

  test('del prints "deleted KEY"; deleting again says the key held no value; both exit 0', async () => {
    assertExit(await client(['put', 'doomed', 'x']), 0)
    const first = await client(['del', 'doomed'])
    assertExit(first, 0)
    assert.equal(first.out, 'deleted doomed\n')
    const second = await client(['del', 'doomed'])
    assertExit(second, 0)
    assert.equal(second.out, 'doomed held no value\n')
    assertExit(await client(['get', 'doomed']), 1)
  })

  test('an operation the peer refuses exits 1 with its error code and reason', async () => {
    // the default key limit is 1024 bytes
    const put = await client(['put', 'k'.repeat(1025), 'v'])
    assertExit(put, 1)
    assert.match(put.stderr, /BAD_REQUEST: .*1025 bytes.*1024/)
  })

  test('lookup KEY prints the key\'s own ring id, the owner with its ring id, the replicas and the hop count', async () => {
    const lookup = await client(['lookup', 'colour'])
    assertExit(lookup, 0)
    assert.match(lookup.out, new RegExp(`^key id\\s+${createHash('sha256').update('colour').digest('hex')}$`, 'm'))
    assert.match(lookup.out, new RegExp(`^owner\\s+${peerId}  [0-9a-f]{12}…$`, 'm'))
    assert.match(lookup.out, new RegExp(`^replicas\\s+${peerId}  [0-9a-f]{12}…$`, 'm'))
    assert.match(lookup.out, /^hops\s+0$/m)
  })

  test('lookup KEY --json prints JSON with peerId, a 64-hex ringId, hops and path', async () => {
    const lookup = await client(['lookup', 'colour', '--json'])
    assertExit(lookup, 0)
    const body = JSON.parse(lookup.out) as { peerId: unknown, ringId: unknown, hops: unknown, path: unknown }
    assert.equal(body.peerId, peerId)
    assert.match(body.ringId as string, /^[0-9a-f]{64}$/)
    // one peer owns everything: the route starts and ends at it
    assert.equal(body.hops, 0)
    assert.deepEqual(body.path, [peerId])
  })

  test('status prints the peer id, its state and its key count', async () => {
    const status = await client(['status'])
    assertExit(status, 0)
    assert.match(status.out, new RegExp(`^peer\\s+${peerId}$`, 'm'))
    assert.match(status.out, /^state\s+joined/m)
    assert.match(status.out, /^keys\s+\d+ \(\d+ as owner, \d+ as replica\), \d+ tombstones?(; \d+ expiring, \d+ expired since start)?$/m)
    assert.match(status.out, /^replication\s+k=3 W=1 R=1$/m)
  })

  test('ring walks the ring (here a ring of one) and prints each member; --json prints the walk', async () => {
    const ring = await client(['ring'])
    assertExit(ring, 0)
    assert.match(ring.out, new RegExp(`^ring of 1 member from ${peerId}; version \\d`))
    assert.match(ring.out, new RegExp(`^1\\s+…${peerId.slice(-10)}\\s+[0-9a-f]{10}…\\s+100\\.0%\\s+\\d+ / 0\\s+0/0 ok\\s+/ip4/127\\.0\\.0\\.1/tcp/\\d+`, 'm'))
    const json = JSON.parse((await client(['ring', '--json'])).out) as { closed: boolean, members: Array<{ peerId: string }>, warnings: string[] }
    assert.equal(json.closed, true)
    assert.deepEqual(json.members.map(m => m.peerId), [peerId])
    assert.deepEqual(json.warnings, [])
  })

  test('status --json prints JSON with peerId, successors and keys', async () => {
    const status = await client(['status', '--json'])
    assertExit(status, 0)
    const body = JSON.parse(status.out) as { peerId: unknown, successors: unknown, keys: unknown, ok?: unknown, id?: unknown }
    assert.equal(body.peerId, peerId)
    assert.ok(Array.isArray(body.successors))
    assert.equal(body.keys, daemon.peer.services.chord.status().records.keys)
    // the control protocol's envelope is not part of the output
    assert.equal(body.ok, undefined)
    assert.equal(body.id, undefined)
  })

  test('the peer is found through --socket, --data-dir, CHORDKV_SOCKET, CHORDKV_DATA_DIR or ~/.chordkv', async () => {
    // emptyHome makes the default lead nowhere, so each selection alone must find the peer
    const ways: Array<[string, string[], NodeJS.ProcessEnv]> = [
      ['--socket', ['--socket', socket], { HOME: emptyHome }],
      ['--data-dir', ['--data-dir', dataDir], { HOME: emptyHome }],
      ['CHORDKV_SOCKET', [], { HOME: emptyHome, CHORDKV_SOCKET: socket }],
      ['CHORDKV_DATA_DIR', [], { HOME: emptyHome, CHORDKV_DATA_DIR: dataDir }],
      ['the default ~/.chordkv', [], { HOME: home }]
    ]
    const outcomes = await Promise.all(ways.map(async ([, flags, env]) => chordkv(['status', '--json', ...flags], { env })))
    outcomes.forEach((outcome, i) => {
      const way = (ways[i] as [string, string[], NodeJS.ProcessEnv])[0]
      assert.equal(outcome.code, 0, `through ${way}: ${outcome.stderr}`)
      assert.equal((JSON.parse(outcome.out) as { peerId: string }).peerId, peerId, `through ${way}`)
    })
  })

  test('flags choose the peer before the environment, and --socket before --data-dir', async () => {
    const nowhere = join(emptyHome, 'nowhere.sock')
    const [flagWins, flagLoses, socketWins] = await Promise.all([
      chordkv(['status', '--socket', socket], { env: { HOME: emptyHome, CHORDKV_SOCKET: nowhere } }),
      chordkv(['status', '--socket', nowhere], { env: { HOME: emptyHome, CHORDKV_SOCKET: socket } }),
      chordkv(['status', '--data-dir', emptyHome, '--socket', socket], { env: { HOME: emptyHome } })
    ])
    assertExit(flagWins, 0)
    assertExit(flagLoses, 3)
    assertExit(socketWins, 0)
  })

  test('--data-dir wins over CHORDKV_SOCKET and a config file\'s socket (flags before the environment, as documented)', async () => {
    const file = join(emptyHome, 'socket.json')
    await writeFile(file, JSON.stringify({ socket }))
    const elsewhere = join(emptyHome, 'elsewhere')
    const [overEnv, overFile, fromEnv, fromFile] = await Promise.all([
      chordkv(['status', '--data-dir', elsewhere], { env: { HOME: emptyHome, CHORDKV_SOCKET: socket } }),
      chordkv(['status', '--config', file, '--data-dir', elsewhere], { env: { HOME: emptyHome } }),
      chordkv(['status'], { env: { HOME: emptyHome, CHORDKV_SOCKET: socket } }),
      chordkv(['status', '--config', file], { env: { HOME: emptyHome } })
    ])
    assertExit(overEnv, 3)
    assert.match(overEnv.stderr, /elsewhere\/chordkv\.sock/)
    assertExit(overFile, 3)
    assertExit(fromEnv, 0)
    assertExit(fromFile, 0)
  })

  test('client commands ignore server settings they do not use, even invalid ones', async () => {
    assertExit(await chordkv(['status', '--socket', socket], { env: { HOME: emptyHome, CHORDKV_SUCCESSORS: '0', CHORDKV_BOOTSTRAP: 'garbage' } }), 0)
  })
})

describe('health and leave --wait of a peer alone on its ring, with the default write quorum', () => {
  let daemon: Daemon<ChordPeer>
  let home: string
  let socket: string
  let stopped = false

  before(async () => {
    home = await tempDir('chordkv-cli-alone-')
    // k = 3 and W = 2: alone, the peer cannot take writes
    const config = await loadConfig({ env: {}, flags: new Map([['dataDir', join(home, 'peer')], ['storage', 'memory']]) })
    daemon = await startDaemon(chordOverlay, config, { info () {}, warn () {} }, logger('test'))
    socket = daemon.config.socket
    void daemon.done.then(() => { stopped = true })
    await waitFor(() => daemon.peer.services.chord.joined, 10_000, () => 'the peer never founded its ring')
  })

  after(async () => {
    await daemon.shutdown(false)
    await rm(home, { recursive: true, force: true })
  })

  test('health exits 1 and says why the peer cannot take writes; --json says the same', async () => {
    const env = { HOME: emptyHome }
    const health = await chordkv(['health', '--socket', socket], { env })
    assertExit(health, 1)
    assert.equal(health.out, 'unhealthy (joined): only 1 of the 2 replicas a write needs is reachable (the peer is alone on its ring)\n')
    const json = await chordkv(['health', '--json', '--socket', socket], { env })
    assertExit(json, 1)
    assert.deepEqual(JSON.parse(json.out), { healthy: false, state: 'joined', reasons: ['only 1 of the 2 replicas a write needs is reachable (the peer is alone on its ring)'] })
    // and indeed a write fails with QUORUM
    const put = await chordkv(['put', 'k', 'v', '--socket', socket], { env })
    assertExit(put, 1)
    assert.match(put.stderr, /QUORUM/)
  })

  test('leave --wait returns once the peer has stopped; with no neighbour there was no hand-off', async () => {
    const leave = await chordkv(['leave', '--wait', '--socket', socket], { env: { HOME: emptyHome } })
    assertExit(leave, 0)
    assert.equal(leave.out, 'the peer has no ring neighbour to hand keys to (it is alone or has not joined): it stopped without a hand-off\n')
    await waitFor(() => stopped, 5000, () => 'the daemon did not stop')
    await assert.rejects(stat(socket), { code: 'ENOENT' })
  })
})

describe('chordkv usage and failures', () => {
  /** Nothing listens at this home's default socket. */
  const env = (): NodeJS.ProcessEnv => ({ HOME: emptyHome })

  test('usage errors exit 2 with the problem and a hint on stderr, before any peer is contacted', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['frob'], /unknown command "frob"/],
      [['get'], /get takes KEY, got none/],
      [['put', 'k'], /put takes KEY VALUE, got "k"/],
      [['del', 'a', 'b'], /del takes KEY, got "a b"/],
      [['status', 'extra'], /status takes no arguments, got "extra"/],
      [['get', 'k', '--bogus'], /unknown option "--bogus" for get/],
      [['get', ''], /KEY must not be empty/],
      [['get', 'k', '--timeout', 'soon'], /--timeout must be a duration of 0 or more such as 500ms, 5s, 2m or 5 \(seconds\), got "soon"/],
      [['get', 'k', '--timeout=-5s'], /--timeout must be a duration of 0 or more .*got "-5s"/],
      [['get', 'k', '--timeout', '-5s'], /--timeout needs a value, and "-5s" looks like an option \(a value starting with "-" is written --timeout=-5s\)/],
      [['get', 'k', '--data-dir'], /--data-dir needs a value \(DIR\)/],
      [['gett', 'k'], /unknown command "gett"; did you mean "get"\?/],
      [['stauts'], /unknown command "stauts"; did you mean "status"\?/],
      [['help', 'frob'], /unknown command "frob"/],
      [['start', 'extra'], /start takes no arguments, got "extra"/],
      [['start', '--bogus'], /unknown option "--bogus" for start/]
    ]
    const outcomes = await Promise.all(cases.map(async ([args]) => chordkv(args, { env: env() })))
    outcomes.forEach((outcome, i) => {
      const [args, message] = cases[i] as [string[], RegExp]
      // exit 2, not 3: arguments are checked before the socket is dialled
      assert.equal(outcome.code, 2, `chordkv ${args.join(' ')}: ${outcome.stderr}`)
      assert.match(outcome.stderr, message, `chordkv ${args.join(' ')}`)
      assert.match(outcome.stderr, /Run "chordkv (help \w+|--help)" for usage/)
      assert.equal(outcome.out, '', `chordkv ${args.join(' ')}`)
    })
  })

  test('no command at all exits 2 and prints the usage', async () => {
    const outcome = await chordkv([], { env: env() })
    assertExit(outcome, 2)
    assert.match(outcome.out + outcome.stderr, /Usage:\n\s+chordkv start/)
  })

  test('--help, -h, help, help help and help --help print the usage and exit 0', async () => {
    const outcomes = await Promise.all([['--help'], ['-h'], ['help'], ['help', 'help'], ['help', '--help']].map(async args => chordkv(args, { env: env() })))
    for (const outcome of outcomes) {
      assertExit(outcome, 0)
      assert.match(outcome.out, /^Usage:$/m)
      for (const command of ['start', 'put KEY VALUE', 'get KEY', 'del KEY', 'lookup KEY', 'status', 'leave']) assert.ok(outcome.out.includes(`chordkv ${command}`), `usage lists ${command}`)
      assert.match(outcome.out, /Exit status: 0 ok, 1 operation failed, 2 usage error, 3 no peer on the socket, 4 the peer did not answer in time/)
      assert.equal(outcome.stderr, '')
    }
  })

  test('every command has its own help, through "help CMD", "CMD --help" and "CMD -h", listing all its options', async () => {
    for (const spec of COMMANDS) {
      const outcomes = await Promise.all([['help', spec.name], [spec.name, '--help'], [spec.name, '-h']].map(async args => chordkv(args, { env: env() })))
      for (const outcome of outcomes) {
        assertExit(outcome, 0)
        assert.match(outcome.out, new RegExp(`^Usage: chordkv ${spec.name}`), spec.name)
        for (const option of Object.keys(spec.options)) assert.ok(outcome.out.includes(`--${option}`), `${spec.name} --help lists --${option}`)
      }
      assert.equal(outcomes[0]?.out, outcomes[1]?.out)
    }
  })

  test('start takes a flag for every configuration field that has one', () => {
    const start = COMMANDS.find(c => c.name === 'start')
    for (const field of FIELDS) {
      if (field.flag !== undefined) assert.ok(start?.options[field.flag] !== undefined, `start lacks --${field.flag}`)
    }
  })

  test('a peer that accepts the connection but never answers: --timeout fires, exit 4, named error', async () => {
    const path = join(emptyHome, 'wedged.sock')
    // It counts connections, and the requests written on them: the client connected, asked and waited.
    let connections = 0
    let requests = ''
    const wedged = createServer(socket => {
      connections++
      socket.on('data', chunk => { requests += chunk.toString() })
    })
    await new Promise<void>(resolve => wedged.listen(path, resolve))
    try {
      const outcome = await chordkv(['get', 'k', '--socket', path, '--timeout', '300ms'], { env: env() })
      assertExit(outcome, 4)
      assert.match(outcome.stderr, /the peer at .*wedged\.sock did not answer within 300 ms \(--timeout\)/)
      assert.equal(connections, 1)
      assert.match(requests, /"op":"get"/)
      const json = await chordkv(['status', '--json', '--socket', path, '--timeout', '0.2s'], { env: env() })
      assertExit(json, 4)
      assert.equal((JSON.parse(json.out) as { error: { code: string } }).error.code, 'CLIENT_TIMEOUT')
    } finally {
      wedged.close()
    }
  })

  test('the client path loads no libp2p, multiaddr or peer-id module, compiled or bundled', async () => {
    // A module hook reports every file a client command loads.
    const hook = join(emptyHome, 'report-loads.mjs')
    await writeFile(hook, 'import { registerHooks } from "node:module"\n' +
      'registerHooks({ resolve (specifier, context, next) { const r = next(specifier, context); process.stderr.write(`loaded ${r.url}\\n`); return r } })\n')
    const loads = async (entry: string, args: readonly string[]): Promise<string[]> => {
      const child = spawn(process.execPath, ['--import', pathToFileURL(hook).href, entry, ...args, '--socket', join(emptyHome, 'none.sock')], { env: env(), stdio: ['ignore', 'ignore', 'pipe'] })
      let stderr = ''
      child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
      const [code] = await once(child, 'close') as [number]
      assert.equal(code, 3, stderr)
      return stderr.split('\n').filter(l => l.startsWith('loaded ')).map(l => l.slice('loaded '.length))
    }
    // The one-file build keeps the same boundary as chunks: the libp2p stack
    // (which names Noise's and Yamux's protocols) is in a chunk of its own.
    const stackChunk = /"\/noise"|"\/yamux\/1\.0\.0"/
    for (const args of [['get', 'k'], ['put', 'k', 'v'], ['status', '--json'], ['ring'], ['health'], ['leave', '--wait'], ['lookup', 'k']]) {
      const modules = await loads(MODULES_MAIN, args)
      assert.ok(modules.some(l => l.endsWith('/control/client.js')), `the hook saw the client load: ${modules.join(', ')}`)
      const heavy = modules.filter(l => /libp2p|multiaddr|peer-id|multiformats|daemon\.js|config\.js/.test(l))
      assert.deepEqual(heavy, [], `chordkv ${args.join(' ')} loaded ${heavy.join(', ')}`)
      const chunks = (await loads(MAIN, args)).filter(l => l.startsWith('file:'))
      assert.ok(chunks.length > 1, `the bundle's entry loaded its chunks: ${chunks.join(', ')}`)
      const withStack: string[] = []
      for (const url of chunks) if (stackChunk.test(await readFile(new URL(url), 'utf8'))) withStack.push(url)
      assert.deepEqual(withStack, [], `the bundled chordkv ${args.join(' ')} loaded the libp2p stack`)
    }
  })

  test('a client command with no peer at the socket exits 3 and says no peer is listening', async () => {
    const path = join(emptyHome, 'absent.sock')
    const [named, byDefault] = await Promise.all([
      chordkv(['get', 'k', '--socket', path], { env: env() }),
      chordkv(['status'], { env: env() })
    ])
    assertExit(named, 3)
    assert.match(named.stderr, new RegExp(`no chordkv peer is listening on ${path}`))
    assert.equal(named.out, '')
    // the default socket is ~/.chordkv/chordkv.sock of the child's HOME
    assertExit(byDefault, 3)
    assert.ok(byDefault.stderr.includes(`no chordkv peer is listening on ${join(emptyHome, '.chordkv', 'chordkv.sock')}`), byDefault.stderr)
  })

  test('start with an invalid value exits 1 and names the field and where the value came from', async () => {
    const dataDir = join(emptyHome, 'start-data')
    const missing = join(emptyHome, 'missing.json')
    const cases: Array<[string[], NodeJS.ProcessEnv, RegExp[]]> = [
      [[], { CHORDKV_SUCCESSORS: '0' }, [/ring\.successors must be an integer from 1 to 64, got 0/, /CHORDKV_SUCCESSORS/]],
      [['--listen', 'garbage'], {}, [/listen\[0\] is not a valid multiaddr: "garbage"/, /--listen/]],
      [['--storage', 'disk'], {}, [/storage must be one of leveldb, memory/, /--storage/]],
      [['--successors', 'many'], {}, [/ring\.successors must be an integer/, /--successors/]],
      [['--config', missing], {}, [/cannot read config file .*missing\.json/]]
    ]
    // a valid start would run until killed; the child timeout turns that into a failure.
    // One at a time: five starts at once on a loaded 2-core machine outlast the child timeout.
    const outcomes = []
    for (const [args, extra] of cases) outcomes.push(await chordkv(['start', ...args], { env: { HOME: emptyHome, CHORDKV_DATA_DIR: dataDir, ...extra } }))
    outcomes.forEach((outcome, i) => {
      const [args, extra, messages] = cases[i] as [string[], NodeJS.ProcessEnv, RegExp[]]
      const what = `chordkv start ${args.join(' ')} with ${JSON.stringify(extra)}`
      assert.equal(outcome.code, 1, `${what}: ${outcome.stderr}`)
      for (const message of messages) assert.match(outcome.stderr, message, what)
    })
  })
})

describe('chordkv get when the peer cannot vouch that a key is absent', () => {
  const ring: ChordPeer[] = []
  let daemon: Daemon<ChordPeer> | undefined
  let home: string

  after(async () => {
    await daemon?.shutdown(false)
    await stopAll(ring)
    await rm(home, { recursive: true, force: true })
  })

  test('exits 5 with REPLICAS_UNAVAILABLE, not 1, for a key of an arc whose k replicas all crashed', async () => {
    home = await tempDir('chordkv-cli-unconfirmed-')
    ring.push(...await startRing(5, { ...FAST_RING, successors: 4 }))
    const flags = new Map<string, string | string[]>([['dataDir', join(home, 'peer')], ['storage', 'memory'], ['bootstrap', [addressOf(ring[0] as ChordPeer)]],
      ['ring.successors', '4'], ['ring.stabilizeIntervalMs', '100'], ['ring.checkPredecessorIntervalMs', '200']])
    daemon = await startDaemon(chordOverlay, await loadConfig({ env: {}, flags }), { info () {}, warn () {} }, logger('test'))
    const self = daemon.peer
    const all = [...ring, self]
    await waitForIdealRing(all, 4, 20_000)
    // The three peers right before the daemon crash: the first one's arc had
    // them as its k = 3 replicas, and the daemon, which takes it over, none.
    const sorted = [...all].sort((a, b) => (a.services.chord.self.id < b.services.chord.self.id ? -1 : 1))
    const at = sorted.indexOf(self)
    const [before, first] = [sorted[(at + 2) % 6], sorted[(at + 3) % 6]] as [ChordPeer, ChordPeer]
    let key = ''
    for (let i = 0; key === ''; i++) {
      if (betweenRightIncl(before.services.chord.self.id, ringIdOfKey(new TextEncoder().encode(`k${i}`)), first.services.chord.self.id)) key = `k${i}`
    }
    await Promise.all([3, 4, 5].map(async d => crash(sorted[(at + d) % 6] as ChordPeer)))
    const get = await chordkv(['get', key, '--socket', daemon.config.socket], { env: { HOME: home } })
    assertExit(get, 5)
    assert.equal(get.out, '')
    assert.match(get.stderr, /REPLICAS_UNAVAILABLE: .*absence is unconfirmed, retry/)
  })
})
