import { homedir } from 'node:os'
import { resolve } from 'node:path'
import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import { ConfigError } from './errors.js'
import { chooseSocket, defaultDataDir, expandHome, readConfigFile, socketWins, type Layer } from './socket-path.js'
import { DATA, majority, RING, START } from './defaults.js'
import { MIN_BUDGET_MiB } from './memory-budget.js'

export { defaultDataDir, expandHome, socketIn } from './socket-path.js'

/**
 * chordkv's configuration: one table of fields, each with its default, its
 * environment variable, its command-line flag and its check. Values are
 * merged with the precedence defaults < config file < environment (CHORDKV_…)
 * < flags, and an invalid value fails at start with a message naming the
 * field and where the value came from.
 */
export interface Config {
  /** Multiaddrs to listen on. */
  listen: string[]
  /** Multiaddrs to advertise instead of the listen addresses (containers, NAT). */
  announce: string[]
  /** Ring members to join through; empty founds a new ring. */
  bootstrap: string[]
  /** Holds the identity key, the LevelDB store and (by default) the control socket. */
  dataDir: string
  /** Control socket path; default `<dataDir>/chordkv.sock`. */
  socket: string
  storage: 'leveldb' | 'memory'
  overlay: 'chord' | 'kad'
  /** What the peer prints: errors only, warnings too, ring events too (default), or libp2p's debug log of chordkv too. */
  logLevel: 'error' | 'warn' | 'info' | 'debug'
  /** TCP multiaddrs to serve Prometheus metrics and the ring page on over HTTP; none by default. */
  metricsListen: string[]
  /** File holding a private ring's swarm key; empty: an open ring. */
  swarmKey: string
  /** What the peer may use of memory (MiB); 0: the container's limit, if there is one (memory-budget.ts). */
  memoryBudgetMiB: number
  limits: { maxKeyBytes: number, maxValueBytes: number, maxTtlMs: number }
  ring: {
    successors: number
    stabilizeIntervalMs: number
    fixFingersIntervalMs: number
    checkPredecessorIntervalMs: number
    lookupTimeoutMs: number
    maxHops: number
    foundAfterMs: number
  }
  replication: {
    factor: number
    writeQuorum: number
    readQuorum: number
    repairIntervalMs: number
    maxRepairBytesPerSecond: number
    tombstoneGraceMs: number
    /** After losing a ring neighbour, how long a peer answers REPLICAS_UNAVAILABLE instead of NOT_FOUND. */
    notFoundGraceMs: number
    /** Versions from other peers more than this far ahead of this peer's clock are refused (ms). */
    maxClockOffsetMs: number
    /** fsync every write (survives power loss, not only process crashes). */
    syncWrites: boolean
  }
}

type Kind = 'strings' | 'string' | 'int' | 'enum' | 'bool'

interface Field {
  /** Dotted path in the config object, e.g. `ring.successors`. */
  readonly path: string
  readonly kind: Kind
  readonly env: string
  /** Long flag of `chordkv start` (repeatable for lists), if any. */
  readonly flag?: string
  readonly values?: readonly string[]
  readonly min?: number
  readonly max?: number
  readonly description: string
}

/** Every configuration field; README's configuration reference follows this table. */
export const FIELDS: readonly Field[] = [
  { path: 'listen', kind: 'strings', env: 'CHORDKV_LISTEN', flag: 'listen', description: 'multiaddrs to listen on (TCP); /ip4/127.0.0.1/tcp/0 picks a free port' },
  { path: 'announce', kind: 'strings', env: 'CHORDKV_ANNOUNCE', flag: 'announce', description: 'multiaddrs other peers should dial instead of the listen addresses' },
  { path: 'bootstrap', kind: 'strings', env: 'CHORDKV_BOOTSTRAP', flag: 'bootstrap', description: 'multiaddrs of ring members to join through (with or without /p2p/<peer id>); none founds a new ring' },
  { path: 'dataDir', kind: 'string', env: 'CHORDKV_DATA_DIR', flag: 'data-dir', description: 'directory for the identity key, the store and the control socket' },
  { path: 'socket', kind: 'string', env: 'CHORDKV_SOCKET', flag: 'socket', description: 'control socket path (default <dataDir>/chordkv.sock)' },
  { path: 'storage', kind: 'enum', values: ['leveldb', 'memory'], env: 'CHORDKV_STORAGE', flag: 'storage', description: 'leveldb keeps records in <dataDir>/store; memory loses them on exit' },
  { path: 'overlay', kind: 'enum', values: ['chord', 'kad'], env: 'CHORDKV_OVERLAY', flag: 'overlay', description: 'chord (this project\'s ring) or kad (@libp2p/kad-dht)' },
  { path: 'logLevel', kind: 'enum', values: ['error', 'warn', 'info', 'debug'], env: 'CHORDKV_LOG_LEVEL', flag: 'log-level', description: 'error, warn, info (joined, neighbours changed, repair moved N, …) or debug (adds the DEBUG=chordkv* log)' },
  { path: 'metricsListen', kind: 'strings', env: 'CHORDKV_METRICS_LISTEN', flag: 'metrics-listen', description: 'TCP multiaddrs to serve /metrics (Prometheus) and the ring page on, e.g. /ip4/127.0.0.1/tcp/9464; none: off' },
  { path: 'swarmKey', kind: 'string', env: 'CHORDKV_SWARM_KEY', flag: 'swarm-key', description: 'file holding the ring\'s swarm key (chordkv swarm-key FILE writes one): only peers with the same key can connect; none: an open ring' },
  { path: 'memoryBudgetMiB', kind: 'int', min: 0, max: 1_048_576, env: 'CHORDKV_MEMORY_BUDGET_MIB', flag: 'memory-budget', description: 'memory the peer may use (MiB), at least 128: sizes the JavaScript heap, values under way, hints and LevelDB\'s buffers (past them puts answer BUSY); 0: the container\'s memory limit if there is one, else no budget' },
  { path: 'limits.maxKeyBytes', kind: 'int', min: 1, max: 65_536, env: 'CHORDKV_MAX_KEY_BYTES', description: 'largest key accepted (bytes)' },
  { path: 'limits.maxValueBytes', kind: 'int', min: 1, max: 64 * 1024 * 1024, env: 'CHORDKV_MAX_VALUE_BYTES', description: 'largest value accepted (bytes)' },
  { path: 'limits.maxTtlMs', kind: 'int', min: 1, max: 10 * 31_536_000_000, env: 'CHORDKV_MAX_TTL_MS', description: 'longest time to live a put may give its value (ms; put --ttl)' },
  { path: 'ring.successors', kind: 'int', min: 1, max: 64, env: 'CHORDKV_SUCCESSORS', flag: 'successors', description: 'successor-list length r; rings of r or fewer peers are reported degraded' },
  { path: 'ring.stabilizeIntervalMs', kind: 'int', min: 10, max: 3_600_000, env: 'CHORDKV_STABILIZE_INTERVAL_MS', description: 'period of stabilize (ms, ±20% jitter); stretches up to 16× while rounds change nothing (a silent host is found by TCP keep-alive meanwhile)' },
  { path: 'ring.fixFingersIntervalMs', kind: 'int', min: 10, max: 3_600_000, env: 'CHORDKV_FIX_FINGERS_INTERVAL_MS', description: 'period of fix-fingers, one finger per round (ms); stretches up to 16× while fingers stay right (fingers are hints)' },
  { path: 'ring.checkPredecessorIntervalMs', kind: 'int', min: 10, max: 3_600_000, env: 'CHORDKV_CHECK_PREDECESSOR_INTERVAL_MS', description: 'period of the predecessor liveness check (ms)' },
  { path: 'ring.lookupTimeoutMs', kind: 'int', min: 100, max: 600_000, env: 'CHORDKV_LOOKUP_TIMEOUT_MS', description: 'time allowed for one lookup or data operation (ms)' },
  { path: 'ring.maxHops', kind: 'int', min: 4, max: 255, env: 'CHORDKV_MAX_HOPS', description: 'routes longer than this are refused (loop guard)' },
  { path: 'ring.foundAfterMs', kind: 'int', min: 0, max: 3_600_000, env: 'CHORDKV_FOUND_AFTER_MS', description: 'a starting peer that reaches no ring member among its bootstrap entries and remembered members within this long (ms) founds a ring of its own, and merges with theirs once it reaches them' },
  { path: 'replication.factor', kind: 'int', min: 1, max: 64, env: 'CHORDKV_REPLICATION_FACTOR', flag: 'replicas', description: 'k: each key lives on its owner and the next k−1 successors (k ≤ ring.successors)' },
  { path: 'replication.writeQuorum', kind: 'int', min: 1, max: 64, env: 'CHORDKV_WRITE_QUORUM', description: 'W: replicas that must store a write before it is acknowledged (default: a majority of k)' },
  { path: 'replication.readQuorum', kind: 'int', min: 1, max: 64, env: 'CHORDKV_READ_QUORUM', description: 'R: replicas a read consults; W + R > k gives read-your-writes' },
  { path: 'replication.repairIntervalMs', kind: 'int', min: 10, max: 86_400_000, env: 'CHORDKV_REPAIR_INTERVAL_MS', description: 'period of anti-entropy with the replicas (ms); stretches up to 4× while nothing moves; neighbour changes start it at once' },
  { path: 'replication.maxRepairBytesPerSecond', kind: 'int', min: 1024, max: 1_073_741_824, env: 'CHORDKV_MAX_REPAIR_BYTES_PER_SECOND', description: 'average bandwidth repair may use (bytes/s)' },
  { path: 'replication.tombstoneGraceMs', kind: 'int', min: 1000, max: 31_536_000_000, env: 'CHORDKV_TOMBSTONE_GRACE_MS', description: 'deleted keys are forgotten after this long (ms); keep it above any peer\'s downtime' },
  { path: 'replication.notFoundGraceMs', kind: 'int', min: 0, max: 31_536_000_000, env: 'CHORDKV_NOT_FOUND_GRACE_MS', description: 'after losing a ring neighbour, a peer answers REPLICAS_UNAVAILABLE instead of NOT_FOUND for keys it lacks for this long (ms): a crash looks like a partition, behind which the rest of the ring may take writes for its keys' },
  { path: 'replication.maxClockOffsetMs', kind: 'int', min: 1000, max: 86_400_000, env: 'CHORDKV_MAX_CLOCK_OFFSET_MS', description: 'a record whose version is more than this far ahead of this peer\'s clock (ms) is refused (BAD_REQUEST); peers\' clocks must agree within it' },
  { path: 'replication.syncWrites', kind: 'bool', env: 'CHORDKV_SYNC_WRITES', description: 'flush every write to disk before acknowledging it (survives power loss, costs an fsync per write)' }
]

/** Default values; `dataDir` is `~/.chordkv` and the socket lives inside it. */
export function defaultConfig (home = homedir()): Config {
  return {
    listen: ['/ip4/127.0.0.1/tcp/0'],
    announce: [],
    bootstrap: [],
    dataDir: defaultDataDir(home),
    socket: '',
    storage: 'leveldb',
    overlay: 'chord',
    logLevel: 'info',
    metricsListen: [],
    swarmKey: '',
    memoryBudgetMiB: 0,
    limits: { ...DATA.limits },
    ring: {
      successors: RING.successors,
      stabilizeIntervalMs: RING.stabilizeIntervalMs,
      fixFingersIntervalMs: RING.fixFingersIntervalMs,
      checkPredecessorIntervalMs: RING.checkPredecessorIntervalMs,
      lookupTimeoutMs: RING.lookupTimeoutMs,
      maxHops: RING.maxHops,
      foundAfterMs: START.foundAfterMs
    },
    replication: {
      ...DATA.replication,
      repairIntervalMs: DATA.repairIntervalMs,
      maxRepairBytesPerSecond: DATA.maxRepairBytesPerSecond,
      tombstoneGraceMs: DATA.tombstoneGraceMs,
      notFoundGraceMs: DATA.notFoundGraceMs,
      syncWrites: false
    }
  }
}

/** Where a value came from, for error messages. */
type Source = string

export interface ConfigSources {
  /** Path of a JSON config file, if any. */
  readonly file?: string | undefined
  readonly env?: NodeJS.ProcessEnv
  /** Values from flags, by field path (lists already collected). */
  readonly flags?: ReadonlyMap<string, string | readonly string[]>
}

/** Builds the configuration from defaults, a file, the environment and flags. */
export async function loadConfig (sources: ConfigSources): Promise<Config> {
  const home = sources.env?.HOME !== undefined && sources.env.HOME !== '' ? sources.env.HOME : homedir()
  const config = defaultConfig(home) as unknown as Record<string, unknown>
  const origin = new Map<string, Source>()
  const layer = new Map<string, Layer>()
  if (sources.file !== undefined) {
    const fileConfig = await readConfigFile(sources.file)
    for (const path of applyObject(config, fileConfig, `config file ${sources.file}`)) {
      origin.set(path, `config file ${sources.file}`)
      layer.set(path, 'file')
    }
  }
  for (const field of FIELDS) {
    const raw = sources.env?.[field.env]
    if (raw !== undefined && raw !== '') {
      setField(config, field, fromText(field, raw, field.env), field.env)
      origin.set(field.path, field.env)
      layer.set(field.path, 'env')
    }
  }
  for (const [path, raw] of sources.flags ?? []) {
    const field = FIELDS.find(f => f.path === path)
    if (field === undefined) throw new ConfigError(`unknown configuration field ${path}`)
    const source = `--${field.flag ?? path}`
    const value = Array.isArray(raw) ? raw : fromText(field, raw as string, source)
    setField(config, field, value, source)
    origin.set(field.path, source)
    layer.set(field.path, 'flag')
  }
  return finish(config as unknown as Config, home,
    path => origin.get(path) ?? (sources.file === undefined ? 'defaults' : `config file ${sources.file} or defaults`),
    path => origin.has(path),
    path => layer.get(path) ?? 'defaults')
}

/** Copies every known field found in `obj` (a parsed config file); unknown keys are errors. Returns the paths set. */
function applyObject (config: Record<string, unknown>, obj: unknown, source: Source, prefix = ''): string[] {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new ConfigError(`${source}: ${prefix === '' ? 'the top level' : prefix} must be an object`)
  const set: string[] = []
  for (const [name, value] of Object.entries(obj)) {
    if (name === '$schema' || name.startsWith('//')) continue
    const path = prefix === '' ? name : `${prefix}.${name}`
    const field = FIELDS.find(f => f.path === path)
    if (field !== undefined) {
      setField(config, field, value, source)
      set.push(path)
    } else if (FIELDS.some(f => f.path.startsWith(`${path}.`))) {
      set.push(...applyObject(config, value, source, path))
    } else {
      throw new ConfigError(`${source}: unknown field ${path}`)
    }
  }
  return set
}

function fromText (field: Field, raw: string, source: Source): unknown {
  switch (field.kind) {
    case 'strings': return raw.split(',').map(s => s.trim()).filter(s => s !== '')
    case 'int': {
      if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(`${field.path} must be an integer, got ${JSON.stringify(raw)} (from ${source})`)
      return Number(raw.trim())
    }
    case 'bool': {
      const v = raw.trim().toLowerCase()
      if (['true', '1', 'yes'].includes(v)) return true
      if (['false', '0', 'no'].includes(v)) return false
      throw new ConfigError(`${field.path} must be true or false, got ${JSON.stringify(raw)} (from ${source})`)
    }
    default: return raw
  }
}

function setField (config: Record<string, unknown>, field: Field, value: unknown, source: Source): void {
  const where = ` (from ${source})`
  switch (field.kind) {
    case 'strings':
      if (!Array.isArray(value) || !value.every(v => typeof v === 'string')) throw new ConfigError(`${field.path} must be a list of strings${where}`)
      break
    case 'string':
      if (typeof value !== 'string' || value === '') throw new ConfigError(`${field.path} must be a non-empty string${where}`)
      break
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < (field.min ?? -Infinity) || value > (field.max ?? Infinity)) {
        throw new ConfigError(`${field.path} must be an integer from ${field.min} to ${field.max}, got ${JSON.stringify(value)}${where}`)
      }
      break
    case 'bool':
      if (typeof value !== 'boolean') throw new ConfigError(`${field.path} must be true or false${where}`)
      break
    case 'enum':
      if (typeof value !== 'string' || !(field.values ?? []).includes(value)) {
        throw new ConfigError(`${field.path} must be one of ${(field.values ?? []).join(', ')}, got ${JSON.stringify(value)}${where}`)
      }
      break
  }
  if (field.kind === 'strings' && ['listen', 'announce', 'bootstrap', 'metricsListen'].includes(field.path)) {
    (value as string[]).forEach((addr, i) => { checkMultiaddr(addr, `${field.path}[${i}]`, where, ['listen', 'metricsListen'].includes(field.path)) })
  }
  const parts = field.path.split('.')
  let target = config
  for (const part of parts.slice(0, -1)) target = target[part] as Record<string, unknown>
  target[parts.at(-1) as string] = value
}

/**
 * A multiaddr we can use: parses, has components, and any /p2p/ part is a
 * peer ID. One to listen on must be a host and a TCP port (chordkv listens on
 * TCP only).
 */
function checkMultiaddr (addr: string, name: string, where: string, listen = false): void {
  let components
  try {
    components = multiaddr(addr).getComponents()
  } catch (err) {
    throw new ConfigError(`${name} is not a valid multiaddr: ${JSON.stringify(addr)} (${(err as Error).message})${where}`)
  }
  if (components.length === 0) throw new ConfigError(`${name} is an empty multiaddr: ${JSON.stringify(addr)}${where}`)
  if (listen && tcpListenAddress(addr) === undefined) {
    throw new ConfigError(`${name} must be a TCP address to listen on, /ip4|ip6|dns4|dns6/<host>/tcp/<port> (chordkv listens on TCP only), got ${JSON.stringify(addr)}${where}`)
  }
  const peer = components.find(c => c.name === 'p2p')?.value
  if (peer !== undefined) {
    try {
      peerIdFromString(peer)
    } catch {
      throw new ConfigError(`${name} names an invalid peer ID ${JSON.stringify(peer)}${where}`)
    }
  }
}

/** The host and port of a `/ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>` multiaddr, or undefined for any other shape. */
export function tcpListenAddress (addr: string): { host: string, port: number } | undefined {
  let components
  try {
    components = multiaddr(addr).getComponents()
  } catch {
    return undefined
  }
  const [host, tcp] = components
  if (components.length !== 2 || host === undefined || tcp?.name !== 'tcp' || !['ip4', 'ip6', 'dns', 'dns4', 'dns6'].includes(host.name)) return undefined
  return { host: host.value ?? '', port: Number(tcp.value) }
}

/** Resolves derived values and cross-field checks. */
function finish (config: Config, home: string, sourceOf: (path: string) => Source, explicit: (path: string) => boolean, layerOf: (path: string) => Layer): Config {
  // The socket follows the data directory unless set at least as strongly (README: client commands).
  const socketSet = config.socket !== '' && layerOf('socket') !== 'defaults' && socketWins(layerOf('socket'), layerOf('dataDir'))
  config.socket = chooseSocket(socketSet ? { value: config.socket, layer: layerOf('socket') } : undefined, { value: config.dataDir, layer: layerOf('dataDir') }, home)
  config.dataDir = resolve(expandHome(config.dataDir, home))
  if (config.swarmKey !== '') config.swarmKey = resolve(expandHome(config.swarmKey, home))
  // sockaddr_un holds 108 bytes including the terminating NUL.
  if (Buffer.byteLength(config.socket) > 107) {
    const cause = socketSet ? `socket (from ${sourceOf('socket')})` : `dataDir (from ${sourceOf('dataDir')}), which holds the socket`
    throw new ConfigError(`control socket path ${config.socket} is ${Buffer.byteLength(config.socket)} bytes but Unix sockets allow 107; it comes from ${cause}. Set socket (--socket, CHORDKV_SOCKET) to a shorter path`)
  }
  if (config.listen.length === 0) throw new ConfigError(`listen must name at least one multiaddr (from ${sourceOf('listen')})`)
  if (config.memoryBudgetMiB > 0 && config.memoryBudgetMiB < MIN_BUDGET_MiB) {
    throw new ConfigError(`memoryBudgetMiB must be 0 (the container's limit) or at least ${MIN_BUDGET_MiB}, got ${config.memoryBudgetMiB} (from ${sourceOf('memoryBudgetMiB')}): a resting peer alone takes about 96 MiB`)
  }
  const r = config.replication
  // Unless set, W follows k: a majority of the replicas.
  if (!explicit('replication.writeQuorum')) r.writeQuorum = majority(r.factor)
  if (r.factor > config.ring.successors) {
    throw new ConfigError(`replication.factor (${r.factor}, from ${sourceOf('replication.factor')}) must not exceed ring.successors (${config.ring.successors}, from ${sourceOf('ring.successors')}): every replica must be on the owner's successor list`)
  }
  if (r.writeQuorum > r.factor) throw new ConfigError(`replication.writeQuorum (${r.writeQuorum}, from ${sourceOf('replication.writeQuorum')}) must not exceed replication.factor (${r.factor})`)
  if (r.readQuorum > r.factor) throw new ConfigError(`replication.readQuorum (${r.readQuorum}, from ${sourceOf('replication.readQuorum')}) must not exceed replication.factor (${r.factor})`)
  return config
}
