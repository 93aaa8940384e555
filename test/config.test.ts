import assert from 'node:assert/strict'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, describe, test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { chordInitFrom, chordSettings } from '../src/chord/settings.js'
import { defaultConfig, FIELDS, loadConfig, type Config, type ConfigSources } from '../src/config.js'
import { ConfigError } from '../src/errors.js'
import { tempDir } from './utils/control.js'

type Flags = Map<string, string | readonly string[]>

let dir: string
let files = 0

/** Writes `content` (an object as JSON, or raw text) to a new config file. */
async function configFile (content: unknown): Promise<string> {
  const file = join(dir, `config-${++files}.json`)
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content))
  return file
}

/** Flags as `chordkv start` passes them: by field path, lists as arrays. */
function flagsOf (entries: Record<string, string | readonly string[]>): Flags {
  return new Map(Object.entries(entries))
}

/**
 * loadConfig with an explicit (empty by default) environment, and the data
 * directory pinned to a temp dir so no result depends on the real home.
 */
async function load (sources: ConfigSources = {}): Promise<Config> {
  const flags: Flags = new Map(sources.flags ?? [])
  if (!flags.has('dataDir') && sources.env?.CHORDKV_DATA_DIR === undefined) flags.set('dataDir', dir)
  return loadConfig({ env: {}, ...sources, flags })
}

/**
 * Asserts that loading fails with a ConfigError whose message matches every
 * pattern; a string pattern must appear literally (file paths, for instance).
 */
async function rejectsWith (sources: ConfigSources, ...patterns: Array<RegExp | string>): Promise<void> {
  await assert.rejects(load(sources), (err: unknown) => {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`)
    assert.equal(err.code, 'BAD_CONFIG')
    for (const pattern of patterns) {
      if (typeof pattern === 'string') assert.ok(err.message.includes(pattern), `${JSON.stringify(err.message)} should contain ${JSON.stringify(pattern)}`)
      else assert.match(err.message, pattern)
    }
    return true
  })
}

before(async () => {
  dir = await tempDir('chordkv-config-')
})

after(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('configuration defaults', () => {
  test('with no file, environment or flags every field has its documented default', async () => {
    const config = await load()
    assert.deepEqual(config, {
      listen: ['/ip4/127.0.0.1/tcp/0'],
      announce: [],
      bootstrap: [],
      dataDir: dir,
      socket: join(dir, 'chordkv.sock'),
      storage: 'leveldb',
      overlay: 'chord',
      logLevel: 'info',
      metricsListen: [],
      swarmKey: '',
      memoryBudgetMiB: 0,
      limits: { maxKeyBytes: 1024, maxValueBytes: 1_048_576, maxTtlMs: 31_536_000_000 },
      ring: {
        successors: 8,
        stabilizeIntervalMs: 2000,
        fixFingersIntervalMs: 5000,
        checkPredecessorIntervalMs: 5000,
        lookupTimeoutMs: 10_000,
        maxHops: 64,
        foundAfterMs: 15_000
      },
      replication: {
        factor: 3,
        writeQuorum: 2,
        readQuorum: 1,
        repairIntervalMs: 30_000,
        maxRepairBytesPerSecond: 16_777_216,
        tombstoneGraceMs: 86_400_000,
        notFoundGraceMs: 60_000,
        maxClockOffsetMs: 60_000,
        syncWrites: false
      }
    })
  })

  test('the default data directory is ~/.chordkv and the socket lives inside it', async () => {
    const config = await loadConfig({ env: {} })
    assert.equal(config.dataDir, join(homedir(), '.chordkv'))
    assert.equal(config.socket, join(homedir(), '.chordkv', 'chordkv.sock'))
  })

  test('each load returns fresh objects, so changing one config leaves the defaults alone', async () => {
    const first = await load()
    first.listen.push('/ip4/127.0.0.1/tcp/1')
    first.ring.successors = 1
    const second = await load()
    assert.deepEqual(second.listen, ['/ip4/127.0.0.1/tcp/0'])
    assert.equal(second.ring.successors, 8)
  })

  test('an empty environment variable counts as unset', async () => {
    const config = await load({ env: { CHORDKV_STORAGE: '', CHORDKV_SUCCESSORS: '', CHORDKV_LISTEN: '' } })
    assert.equal(config.storage, 'leveldb')
    assert.equal(config.ring.successors, 8)
    assert.deepEqual(config.listen, ['/ip4/127.0.0.1/tcp/0'])
  })
})

describe('configuration precedence: defaults < file < environment < flags', () => {
  test('ring.successors set at every level takes the value of the highest level present', async () => {
    const file = await configFile({ ring: { successors: 3 } })
    const env = { CHORDKV_SUCCESSORS: '4' }
    const flags = flagsOf({ 'ring.successors': '5' })
    assert.equal((await load()).ring.successors, 8)
    assert.equal((await load({ file })).ring.successors, 3)
    assert.equal((await load({ file, env })).ring.successors, 4)
    assert.equal((await load({ file, env, flags })).ring.successors, 5)
    // a higher level wins even when a lower one is absent
    assert.equal((await load({ flags })).ring.successors, 5)
    assert.equal((await load({ env })).ring.successors, 4)
  })

  test('each level overrides only the fields it sets', async () => {
    const file = await configFile({ storage: 'memory', ring: { successors: 3, maxHops: 20 }, limits: { maxKeyBytes: 64 } })
    const config = await load({ file, env: { CHORDKV_SUCCESSORS: '4', CHORDKV_MAX_VALUE_BYTES: '2048' }, flags: flagsOf({ overlay: 'kad' }) })
    assert.equal(config.storage, 'memory')
    assert.equal(config.overlay, 'kad')
    assert.deepEqual(config.limits, { maxKeyBytes: 64, maxValueBytes: 2048, maxTtlMs: 31_536_000_000 })
    assert.equal(config.ring.successors, 4)
    assert.equal(config.ring.maxHops, 20)
    // untouched siblings inside a nested object keep their defaults
    assert.equal(config.ring.stabilizeIntervalMs, 2000)
  })

  test('a comma-separated CHORDKV_BOOTSTRAP is a list, and a flag list replaces it entirely', async () => {
    const file = await configFile({ bootstrap: ['/ip4/10.0.0.1/tcp/4001'] })
    const env = { CHORDKV_BOOTSTRAP: ' /ip4/10.0.0.2/tcp/4001 ,/dns4/peer.example/tcp/4002,, ' }
    assert.deepEqual((await load({ file })).bootstrap, ['/ip4/10.0.0.1/tcp/4001'])
    // spaces around items and empty items are dropped
    assert.deepEqual((await load({ file, env })).bootstrap, ['/ip4/10.0.0.2/tcp/4001', '/dns4/peer.example/tcp/4002'])
    const flags = flagsOf({ bootstrap: ['/ip4/10.0.0.3/tcp/1', '/ip4/10.0.0.4/tcp/2'] })
    assert.deepEqual((await load({ file, env, flags })).bootstrap, ['/ip4/10.0.0.3/tcp/1', '/ip4/10.0.0.4/tcp/2'])
  })

  test('a flag list is used as given, and a single flag string is split on commas like the environment', async () => {
    const flags = flagsOf({ listen: ['/ip4/127.0.0.1/tcp/1', '/ip4/127.0.0.1/tcp/2'], announce: '/ip4/1.2.3.4/tcp/1,/ip4/1.2.3.4/tcp/2' })
    const config = await load({ flags })
    assert.deepEqual(config.listen, ['/ip4/127.0.0.1/tcp/1', '/ip4/127.0.0.1/tcp/2'])
    assert.deepEqual(config.announce, ['/ip4/1.2.3.4/tcp/1', '/ip4/1.2.3.4/tcp/2'])
  })

  test('a bootstrap address may name the peer with /p2p/<peer id>', async () => {
    const id = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
    const addr = `/ip4/10.0.0.1/tcp/4001/p2p/${id}`
    assert.deepEqual((await load({ env: { CHORDKV_BOOTSTRAP: addr } })).bootstrap, [addr])
  })

  test('the data directory and socket follow the same precedence, and the socket defaults inside the final data directory', async () => {
    const fileDir = join(dir, 'from-file')
    const envDir = join(dir, 'from-env')
    const file = await configFile({ dataDir: fileDir })
    assert.equal((await loadConfig({ file, env: {} })).socket, join(fileDir, 'chordkv.sock'))
    const fromEnv = await loadConfig({ file, env: { CHORDKV_DATA_DIR: envDir } })
    assert.equal(fromEnv.dataDir, envDir)
    assert.equal(fromEnv.socket, join(envDir, 'chordkv.sock'))
    const explicit = await loadConfig({ file, env: { CHORDKV_DATA_DIR: envDir, CHORDKV_SOCKET: join(dir, 's.sock') } })
    assert.equal(explicit.socket, join(dir, 's.sock'))
    // a data directory set by a stronger source brings its own socket: flags > environment > file
    const socketInFile = await configFile({ socket: join(dir, 'file.sock') })
    assert.equal((await loadConfig({ file: socketInFile, env: { CHORDKV_DATA_DIR: envDir } })).socket, join(envDir, 'chordkv.sock'))
    assert.equal((await loadConfig({ env: { CHORDKV_SOCKET: join(dir, 's.sock') }, flags: new Map([['dataDir', fileDir]]) })).socket, join(fileDir, 'chordkv.sock'))
  })

  test('"$schema" and "//" comment keys in a config file are ignored', async () => {
    const file = await configFile({ $schema: './schema.json', '// note': 'why', ring: { successors: 2 }, replication: { factor: 2 } })
    assert.equal((await load({ file })).ring.successors, 2)
  })
})

describe('invalid configuration fails with a ConfigError naming the field and the source', () => {
  test('a non-integer environment value names the field and the variable', async () => {
    await rejectsWith({ env: { CHORDKV_SUCCESSORS: 'eight' } }, /ring\.successors must be an integer, got "eight"/, /\(from CHORDKV_SUCCESSORS\)/)
    await rejectsWith({ env: { CHORDKV_MAX_KEY_BYTES: '1.5' } }, /limits\.maxKeyBytes must be an integer/, /\(from CHORDKV_MAX_KEY_BYTES\)/)
    await rejectsWith({ env: { CHORDKV_LOOKUP_TIMEOUT_MS: '1e4' } }, /ring\.lookupTimeoutMs must be an integer/, /\(from CHORDKV_LOOKUP_TIMEOUT_MS\)/)
  })

  test('a non-integer flag names the field and the flag', async () => {
    await rejectsWith({ flags: flagsOf({ 'ring.successors': 'many' }) }, /ring\.successors must be an integer, got "many"/, /\(from --successors\)/)
  })

  test('an out-of-range integer names the field, the allowed range and the source', async () => {
    await rejectsWith({ env: { CHORDKV_SUCCESSORS: '0' } }, /ring\.successors must be an integer from 1 to 64, got 0/, /\(from CHORDKV_SUCCESSORS\)/)
    await rejectsWith({ flags: flagsOf({ 'ring.successors': '65' }) }, /ring\.successors must be an integer from 1 to 64, got 65/, /\(from --successors\)/)
    await rejectsWith({ env: { CHORDKV_STABILIZE_INTERVAL_MS: '9' } }, /ring\.stabilizeIntervalMs must be an integer from 10 to 3600000, got 9/, /\(from CHORDKV_STABILIZE_INTERVAL_MS\)/)
    await rejectsWith({ env: { CHORDKV_MAX_VALUE_BYTES: '-1' } }, /limits\.maxValueBytes .* got -1/, /\(from CHORDKV_MAX_VALUE_BYTES\)/)
    const file = await configFile({ ring: { maxHops: 256 } })
    await rejectsWith({ file }, /ring\.maxHops must be an integer from 4 to 255, got 256/, `(from config file ${file})`)
  })

  test('the range bounds themselves are accepted', async () => {
    const config = await load({ env: { CHORDKV_SUCCESSORS: '64', CHORDKV_MAX_KEY_BYTES: '1', CHORDKV_MAX_HOPS: '4' } })
    assert.equal(config.ring.successors, 64)
    assert.equal(config.limits.maxKeyBytes, 1)
    assert.equal(config.ring.maxHops, 4)
  })

  test('a config file must give numbers as JSON numbers, not strings or fractions', async () => {
    const asString = await configFile({ ring: { successors: '8' } })
    await rejectsWith({ file: asString }, /ring\.successors must be an integer from 1 to 64, got "8"/, /from config file/)
    const fraction = await configFile({ ring: { successors: 2.5 } })
    await rejectsWith({ file: fraction }, /ring\.successors must be an integer .* got 2\.5/, /from config file/)
  })

  test('a bad enum value names the field, the allowed values and the source', async () => {
    await rejectsWith({ env: { CHORDKV_STORAGE: 'disk' } }, /storage must be one of leveldb, memory, got "disk"/, /\(from CHORDKV_STORAGE\)/)
    await rejectsWith({ flags: flagsOf({ storage: 'Memory' }) }, /storage must be one of leveldb, memory, got "Memory"/, /\(from --storage\)/)
    const file = await configFile({ overlay: 'pastry' })
    await rejectsWith({ file }, /overlay must be one of chord, kad, got "pastry"/, /from config file/)
  })

  test('an invalid multiaddr in listen or bootstrap names the field, its index and the source', async () => {
    await rejectsWith({ env: { CHORDKV_LISTEN: 'garbage' } }, /listen\[0\] is not a valid multiaddr: "garbage"/, /\(from CHORDKV_LISTEN\)/)
    await rejectsWith({ flags: flagsOf({ listen: ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/99999'] }) }, /listen\[1\] is not a valid multiaddr/, /\(from --listen\)/)
    await rejectsWith({ env: { CHORDKV_BOOTSTRAP: '/ip4/10.0.0.1/tcp/1,/ip4/999.0.0.1/tcp/1' } }, /bootstrap\[1\] is not a valid multiaddr: "\/ip4\/999\.0\.0\.1\/tcp\/1"/, /\(from CHORDKV_BOOTSTRAP\)/)
    await rejectsWith({ flags: flagsOf({ bootstrap: ['10.0.0.1:4001'] }) }, /bootstrap\[0\] is not a valid multiaddr/, /\(from --bootstrap\)/)
    await rejectsWith({ flags: flagsOf({ bootstrap: ['/'] }) }, /bootstrap\[0\] is an empty multiaddr/, /\(from --bootstrap\)/)
    await rejectsWith({ env: { CHORDKV_BOOTSTRAP: '/ip4/10.0.0.1/tcp/1/p2p/notapeer' } }, /bootstrap\[0\] names an invalid peer ID "notapeer"/, /\(from CHORDKV_BOOTSTRAP\)/)
    const file = await configFile({ announce: ['/ip4/1.2.3.4/tcp/x'] })
    await rejectsWith({ file }, /announce\[0\] is not a valid multiaddr/, /from config file/)
  })

  test('a list field in a config file must be an array of strings', async () => {
    const file = await configFile({ listen: '/ip4/127.0.0.1/tcp/0' })
    await rejectsWith({ file }, /listen must be a list of strings/, /from config file/)
  })

  test('an unknown field in a config file is refused with its full path', async () => {
    const top = await configFile({ port: 4001 })
    await rejectsWith({ file: top }, `config file ${top}: unknown field port`)
    const nested = await configFile({ ring: { successor: 3 } })
    await rejectsWith({ file: nested }, `config file ${nested}: unknown field ring.successor`, /ring\.successor$/)
  })

  test('a section that is not an object is refused', async () => {
    const file = await configFile({ ring: 5 })
    await rejectsWith({ file }, `config file ${file}: ring must be an object`)
  })

  test('a config file that is not JSON is refused with the file named', async () => {
    const file = await configFile('{ ring: { successors: 3 } }')
    await rejectsWith({ file }, `config file ${file} is not valid JSON`)
    const empty = await configFile('')
    await rejectsWith({ file: empty }, `config file ${empty} is not valid JSON`)
  })

  test('a missing config file is refused with the file named', async () => {
    const file = join(dir, 'no-such-config.json')
    await rejectsWith({ file }, `cannot read config file ${file}`, /ENOENT/)
  })

  test('a config file whose top level is not an object is refused', async () => {
    for (const text of ['[1, 2]', '"text"', 'null', '42']) {
      const file = await configFile(text)
      await rejectsWith({ file }, `config file ${file}: the top level must be an object`)
    }
  })

  test('an empty string is refused for dataDir and socket', async () => {
    await rejectsWith({ flags: flagsOf({ dataDir: '' }) }, /dataDir must be a non-empty string/, /\(from --data-dir\)/)
    const file = await configFile({ socket: '' })
    await rejectsWith({ file }, /socket must be a non-empty string/, /from config file/)
  })

  test('a flag for an unknown field is refused', async () => {
    await rejectsWith({ flags: flagsOf({ 'ring.successor': '3' }) }, /unknown configuration field ring\.successor/)
  })

  test('a listen list emptied by the environment is refused, naming the field', async () => {
    // "," splits into no addresses: the peer would have nothing to listen on
    await rejectsWith({ env: { CHORDKV_LISTEN: ',' } }, /listen must name at least one multiaddr/)
  })

  test('listen and metricsListen take only TCP addresses to listen on, naming the field and the source', async () => {
    await rejectsWith({ flags: flagsOf({ listen: ['/ip4/127.0.0.1/udp/4001/quic-v1'] }) }, /listen\[0\] must be a TCP address to listen on, .*got "\/ip4\/127\.0\.0\.1\/udp\/4001\/quic-v1" \(from --listen\)/)
    await rejectsWith({ env: { CHORDKV_METRICS_LISTEN: '/ip4/127.0.0.1/tcp/9464/p2p/x' } }, /metricsListen\[0\] (must be a TCP address|names an invalid peer ID|is not a valid multiaddr)/)
    await rejectsWith({ env: { CHORDKV_METRICS_LISTEN: '/dns4/localhost' } }, /metricsListen\[0\] must be a TCP address to listen on/)
    assert.deepEqual((await load({ env: { CHORDKV_METRICS_LISTEN: '/ip4/127.0.0.1/tcp/9464,/ip6/::1/tcp/9464' } })).metricsListen, ['/ip4/127.0.0.1/tcp/9464', '/ip6/::1/tcp/9464'])
    assert.equal((await load({ flags: flagsOf({ logLevel: 'debug' }) })).logLevel, 'debug')
    await rejectsWith({ env: { CHORDKV_LOG_LEVEL: 'loud' } }, /logLevel must be one of error, warn, info, debug, got "loud" \(from CHORDKV_LOG_LEVEL\)/)
  })

  test('a socket path longer than 107 bytes is refused; 107 bytes is accepted', async () => {
    const base = join(dir, 'sockets') + '/'
    const exactly = (bytes: number): string => base + 's'.repeat(bytes - Buffer.byteLength(base))
    assert.equal((await load({ flags: flagsOf({ socket: exactly(107) }) })).socket, exactly(107))
    await rejectsWith({ flags: flagsOf({ socket: exactly(108) }) }, /socket path .* is 108 bytes but Unix sockets allow 107; it comes from socket \(from --socket\)/, /--socket, CHORDKV_SOCKET/)
    // multi-byte characters count as bytes, not characters
    await rejectsWith({ env: { CHORDKV_DATA_DIR: dir, CHORDKV_SOCKET: base + 'é'.repeat(60) } }, /socket path .* bytes but Unix sockets allow 107; it comes from socket \(from CHORDKV_SOCKET\)/)
  })

  test('a data directory too long to hold the default socket is refused', async () => {
    const deep = join(dir, 'd'.repeat(100))
    await rejectsWith({ env: { CHORDKV_DATA_DIR: deep } }, /socket path .*chordkv\.sock is \d+ bytes but Unix sockets allow 107; it comes from dataDir \(from CHORDKV_DATA_DIR\)/)
    // an explicit short socket makes the same data directory usable
    const config = await load({ env: { CHORDKV_DATA_DIR: deep, CHORDKV_SOCKET: join(dir, 's.sock') } })
    assert.equal(config.dataDir, deep)
  })
})

describe('path expansion', () => {
  test('a dataDir of ~/x expands to x in the home directory, with the socket inside', async () => {
    const config = await loadConfig({ env: {}, flags: flagsOf({ dataDir: '~/x' }) })
    assert.equal(config.dataDir, join(homedir(), 'x'))
    assert.equal(config.socket, join(homedir(), 'x', 'chordkv.sock'))
  })

  test('~ expands in the environment and for the socket too', async () => {
    const config = await loadConfig({ env: { CHORDKV_DATA_DIR: '~', CHORDKV_SOCKET: '~/s.sock' } })
    assert.equal(config.dataDir, homedir())
    assert.equal(config.socket, join(homedir(), 's.sock'))
  })

  test('only a leading ~/ is expanded; other paths resolve against the working directory', async () => {
    const config = await loadConfig({ env: {}, flags: flagsOf({ dataDir: 'a/~/b', socket: '~other/s.sock' }) })
    assert.equal(config.dataDir, resolve('a/~/b'))
    assert.equal(config.socket, resolve('~other/s.sock'))
  })
})

describe('the shipped config files', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url))

  test('config/default.json holds exactly the built-in defaults', async () => {
    const fromFile = await loadConfig({ file: join(root, 'config/default.json'), env: { HOME: '/home/x' } })
    assert.deepEqual(fromFile, await loadConfig({ env: { HOME: '/home/x' } }))
  })

  test('config/example.json is valid', async () => {
    const example = await loadConfig({ file: join(root, 'config/example.json'), env: {} })
    assert.equal(example.dataDir, '/data')
    assert.equal(example.ring.successors, 12)
  })
})

describe('the swarm key setting', () => {
  test('a swarm key file named relative to the working directory or home is made absolute; none means an open ring', async () => {
    assert.equal((await load()).swarmKey, '')
    assert.equal((await load({ env: { CHORDKV_SWARM_KEY: 'keys/swarm.key' } })).swarmKey, resolve('keys/swarm.key'))
    assert.equal((await load({ env: { HOME: '/home/x', CHORDKV_SWARM_KEY: '~/swarm.key' } })).swarmKey, '/home/x/swarm.key')
    assert.equal((await load({ env: { CHORDKV_SWARM_KEY: '/a.key' }, flags: flagsOf({ swarmKey: '/b.key' }) })).swarmKey, '/b.key')
  })
})

describe('replication settings', () => {
  test('the write quorum follows k as a majority unless set', async () => {
    assert.equal((await load({ env: { CHORDKV_REPLICATION_FACTOR: '5' } })).replication.writeQuorum, 3)
    assert.equal((await load({ env: { CHORDKV_REPLICATION_FACTOR: '1' } })).replication.writeQuorum, 1)
    assert.equal((await load({ env: { CHORDKV_REPLICATION_FACTOR: '5', CHORDKV_WRITE_QUORUM: '5' } })).replication.writeQuorum, 5)
    const file = await configFile({ replication: { writeQuorum: 1 } })
    assert.equal((await load({ file, env: { CHORDKV_REPLICATION_FACTOR: '4' } })).replication.writeQuorum, 1)
  })

  test('k above the successor-list length, or a quorum above k, is refused by name', async () => {
    await rejectsWith({ env: { CHORDKV_REPLICATION_FACTOR: '9' } }, /replication.factor \(9, from CHORDKV_REPLICATION_FACTOR\) must not exceed ring.successors \(8, from defaults\)/, /successor list/)
    await rejectsWith({ env: { CHORDKV_WRITE_QUORUM: '4' } }, /replication.writeQuorum \(4, from CHORDKV_WRITE_QUORUM\) must not exceed replication.factor \(3\)/, /writeQuorum/)
    await rejectsWith({ flags: flagsOf({ 'replication.readQuorum': '7' }) }, /replication.readQuorum \(7, from --replication.readQuorum\) must not exceed replication.factor/, /readQuorum/)
  })

  test('syncWrites takes true/false words and rejects others', async () => {
    assert.equal((await load({ env: { CHORDKV_SYNC_WRITES: 'yes' } })).replication.syncWrites, true)
    assert.equal((await load({ env: { CHORDKV_SYNC_WRITES: '0' } })).replication.syncWrites, false)
    await rejectsWith({ env: { CHORDKV_SYNC_WRITES: 'maybe' } }, /replication.syncWrites must be true or false, got "maybe"/, /CHORDKV_SYNC_WRITES/)
  })
})

test('the README documents every configuration field and its environment variable', async () => {
  const readme = await readFile(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8')
  for (const field of FIELDS) {
    assert.ok(readme.includes(`\`${field.path}\``), `README lacks ${field.path}`)
    assert.ok(readme.includes(`\`${field.env}\``), `README lacks ${field.env}`)
  }
})

describe('one home for defaults (src/defaults.ts)', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url))

  test('a peer started from the default configuration runs with the same settings as one given no init at all', async () => {
    assert.deepEqual(chordSettings(chordInitFrom(await loadConfig({ env: { HOME: '/home/x' } }))), chordSettings({}))
  })

  test('a configuration that differs from the defaults reaches the service', async () => {
    const config = await loadConfig({ env: { HOME: '/home/x', CHORDKV_STABILIZE_INTERVAL_MS: '700', CHORDKV_REPLICATION_FACTOR: '5', CHORDKV_NOT_FOUND_GRACE_MS: '9000' } })
    const settings = chordSettings(chordInitFrom(config))
    assert.equal(settings.ring.stabilizeIntervalMs, 700)
    assert.deepEqual([settings.data.replication.factor, settings.data.replication.writeQuorum], [5, 3])
    assert.equal(settings.data.notFoundGraceMs, 9000)
  })

  test('the README\'s configuration table gives every field its default', async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8')
    const config = defaultConfig('/home/x') as unknown as Record<string, unknown>
    const special: Record<string, string> = { dataDir: '~/.chordkv', socket: '<dataDir>/chordkv.sock', 'replication.writeQuorum': 'majority of k' }
    for (const field of FIELDS) {
      const row = readme.split('\n').find(line => line.startsWith(`| \`${field.path}\` |`))
      assert.ok(row !== undefined, `README has no row for ${field.path}`)
      const documented = row.split('|')[4]?.trim()
      const value = field.path.split('.').reduce<unknown>((obj, part) => (obj as Record<string, unknown>)[part], config)
      const expected = special[field.path] ?? (Array.isArray(value) ? (value.length === 0 ? '(none)' : value.join(', ')) : value === '' ? '(none)' : String(value))
      assert.equal(documented, expected, `README's default for ${field.path}`)
    }
  })

  test('every option of the chord service and of the ring documents its default', async () => {
    for (const [file, start] of [['src/chord/settings.ts', 'export interface ChordServiceInit'], ['src/chord/node.ts', 'export interface ChordOptions']] as const) {
      const source = await readFile(join(root, file), 'utf8')
      const body = source.slice(source.indexOf(start), source.indexOf('\n}\n', source.indexOf(start)))
      const fields = [...body.matchAll(/(\/\*\*(?:[^*]|\*(?!\/))*\*\/)?\n {2}readonly (\w+)\??:/g)]
      assert.ok(fields.length >= 13, `${file}: read ${fields.length} fields`)
      for (const [, doc, name] of fields) assert.match(doc ?? '', /@default /, `${file}: ${name} has no @default`)
    }
  })
})
