import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, describe, test } from 'node:test'
import { logger } from '@libp2p/logger'
import { loadConfig } from '../../src/config.js'
import { startDaemon, type Daemon } from '../../src/daemon.js'
import { ringIdOfKey } from '../../src/ring/hash.js'
import { betweenRightIncl } from '../../src/ring/ids.js'
import { tempDir } from '../utils/control.js'
import { addressOf, crash, FAST_RING, startRing, stopAll, waitFor } from '../utils/network.js'
import { waitForIdealRing } from '../utils/ring-checks.js'
import type { ChordPeer } from '../../src/peer.js'

/** The compiled entry point: dist/test/cli/ → dist/src/cli/main.js. */
const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url))
/** A child that has not exited by then is killed and the test fails. */
const CHILD_TIMEOUT_MS = 10_000

interface Outcome {
  code: number | null
  stdout: Buffer
  /** stdout as UTF-8 text. */
  out: string
  stderr: string
}

interface RunOptions {
  /** The child's whole environment: nothing is inherited from the test process. */
  env: NodeJS.ProcessEnv
  /** Bytes written to the child's stdin, which is then closed. */
  input?: Uint8Array
}

/** Runs `chordkv ARGS…` on this Node.js and collects its exit status and output. */
async function chordkv (args: readonly string[], options: RunOptions): Promise<Outcome> {
  const child = spawn(process.execPath, [MAIN, ...args], { env: options.env, stdio: ['pipe', 'pipe', 'pipe'] })
  const stdout: Buffer[] = []
  const stderr: Buffer[] = []
  child.stdout.on('data', (chunk: Buffer) => { stdout.push(chunk) })
  child.stderr.on('data', (chunk: Buffer) => { stderr.push(chunk) })
  // A child that exits without reading stdin would make our write fail with EPIPE.
  child.stdin.on('error', () => {})
  child.stdin.end(options.input)
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    child.kill('SIGKILL')
  }, CHILD_TIMEOUT_MS)
  const [code] = await once(child, 'close') as [number | null]
  clearTimeout(timer)
  const outcome = { code, stdout: Buffer.concat(stdout), out: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') }
  if (timedOut) throw new Error(`chordkv ${args.join(' ')} did not exit within ${CHILD_TIMEOUT_MS} ms; stderr: ${outcome.stderr}`)
  return outcome
}

/** Asserts the exit status, showing the child's output when it differs. */
function assertExit (outcome: Outcome, code: number): void {
  assert.equal(outcome.code, code, `exit status ${outcome.code}, expected ${code}; stdout: ${JSON.stringify(outcome.out)} stderr: ${JSON.stringify(outcome.stderr)}`)
}

/** A home directory with no ~/.chordkv in it, so the default socket leads nowhere. */
let emptyHome: string

before(async () => {
  emptyHome = await tempDir('chordkv-cli-empty-')
})

after(async () => {
  await rm(emptyHome, { recursive: true, force: true })
})

describe('chordkv client commands against a running peer', () => {
  let daemon: Daemon
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
    daemon = await startDaemon(config, { info () {}, warn () {} }, logger('test'))
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

  test('put KEY - with empty stdin stores an empty value', async () => {
    assertExit(await client(['put', 'empty', '-'], new Uint8Array()), 0)
    const get = await client(['get', 'empty'])
    assertExit(get, 0)
    assert.equal(get.stdout.length, 0)
  })

  test('a value starting with a dash is taken as an option unless it follows --', async () => {
    const bare = await client(['put', 'dash', '-5'])
    assertExit(bare, 2)
    assert.match(bare.stderr, /Unknown option '-5'/)
    assertExit(await chordkv(['put', '--socket', socket, '--', 'dash', '-5'], { env }), 0)
    assert.equal((await client(['get', 'dash'])).out, '-5')
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

  test('lookup KEY prints the owner, its ring id and the hop count', async () => {
    const lookup = await client(['lookup', 'colour'])
    assertExit(lookup, 0)
    assert.match(lookup.out, new RegExp(`^owner\\s+${peerId}$`, 'm'))
    assert.match(lookup.out, /^ring id\s+[0-9a-f]{64}$/m)
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
    assert.match(status.out, /^keys\s+\d+ \(\d+ as owner, \d+ as replica\)$/m)
    assert.match(status.out, /^replication\s+k=3 W=1 R=1$/m)
  })

  test('status --json prints JSON with peerId, successors and keys', async () => {
    const status = await client(['status', '--json'])
    assertExit(status, 0)
    const body = JSON.parse(status.out) as { peerId: unknown, successors: unknown, keys: unknown, ok?: unknown, id?: unknown }
    assert.equal(body.peerId, peerId)
    assert.ok(Array.isArray(body.successors))
    assert.equal(body.keys, daemon.peer.services.chord.data.records.counts().keys)
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

  test('an explicit socket (even from the environment) wins over one derived from --data-dir, as for start', async () => {
    assertExit(await chordkv(['status', '--data-dir', join(emptyHome, 'elsewhere')], { env: { HOME: emptyHome, CHORDKV_SOCKET: socket } }), 0)
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
      [['get', 'k', '--bogus'], /Unknown option '--bogus'/],
      [['put', 'k', 'v', '--json'], /--json applies to status and lookup, not put/],
      [['get', ''], /KEY must not be empty/],
      [['start', 'extra'], /start takes no arguments, got "extra"/],
      [['start', '--bogus'], /Unknown option '--bogus'/]
    ]
    const outcomes = await Promise.all(cases.map(async ([args]) => chordkv(args, { env: env() })))
    outcomes.forEach((outcome, i) => {
      const [args, message] = cases[i] as [string[], RegExp]
      // exit 2, not 3: arguments are checked before the socket is dialled
      assert.equal(outcome.code, 2, `chordkv ${args.join(' ')}: ${outcome.stderr}`)
      assert.match(outcome.stderr, message, `chordkv ${args.join(' ')}`)
      assert.match(outcome.stderr, /Run "chordkv --help" for usage/)
      assert.equal(outcome.out, '', `chordkv ${args.join(' ')}`)
    })
  })

  test('no command at all exits 2 and prints the usage', async () => {
    const outcome = await chordkv([], { env: env() })
    assertExit(outcome, 2)
    assert.match(outcome.out + outcome.stderr, /Usage:\n\s+chordkv start/)
  })

  test('--help, -h and help print the usage and exit 0', async () => {
    const outcomes = await Promise.all([['--help'], ['-h'], ['help']].map(async args => chordkv(args, { env: env() })))
    for (const outcome of outcomes) {
      assertExit(outcome, 0)
      assert.match(outcome.out, /^Usage:$/m)
      for (const command of ['start', 'put KEY VALUE', 'get KEY', 'del KEY', 'lookup KEY', 'status', 'leave']) assert.ok(outcome.out.includes(`chordkv ${command}`), `usage lists ${command}`)
      assert.match(outcome.out, /Exit status: 0 ok, 1 operation failed, 2 usage error, 3 no peer on the socket/)
      assert.equal(outcome.stderr, '')
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
    // a valid start would run until killed; the child timeout turns that into a failure
    const outcomes = await Promise.all(cases.map(async ([args, extra]) => chordkv(['start', ...args], { env: { HOME: emptyHome, CHORDKV_DATA_DIR: dataDir, ...extra } })))
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
  let daemon: Daemon | undefined
  let home: string

  after(async () => {
    await daemon?.shutdown(false)
    await stopAll(ring)
    await rm(home, { recursive: true, force: true })
  })

  test('exits 4 with REPLICAS_UNAVAILABLE, not 1, for a key of an arc whose k replicas all crashed', async () => {
    home = await tempDir('chordkv-cli-unconfirmed-')
    ring.push(...await startRing(5, { ...FAST_RING, successors: 4 }))
    const flags = new Map<string, string | string[]>([['dataDir', join(home, 'peer')], ['storage', 'memory'], ['bootstrap', [addressOf(ring[0] as ChordPeer)]],
      ['ring.successors', '4'], ['ring.stabilizeIntervalMs', '100'], ['ring.checkPredecessorIntervalMs', '200']])
    daemon = await startDaemon(await loadConfig({ env: {}, flags }), { info () {}, warn () {} }, logger('test'))
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
    assertExit(get, 4)
    assert.equal(get.out, '')
    assert.match(get.stderr, /REPLICAS_UNAVAILABLE: .*absence is unconfirmed, retry/)
  })
})
