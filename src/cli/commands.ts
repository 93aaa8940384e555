/**
 * Every `chordkv` command: its arguments, options and help text. The global
 * usage, `chordkv help CMD`, `CMD --help` and the argument parser all read
 * this one table.
 */
import { DATA } from '../defaults.js'

export interface OptionSpec {
  readonly type: 'string' | 'boolean'
  readonly multiple?: boolean
  readonly short?: string
  /** Placeholder for the value in help, e.g. `DIR`. */
  readonly value?: string
  readonly help: string
}

export interface CommandSpec {
  readonly name: string
  /** Positional arguments, in order. */
  readonly args: readonly string[]
  /** One line for the global usage. */
  readonly summary: string
  /** What `chordkv help CMD` adds below the synopsis. */
  readonly details: string
  readonly options: Readonly<Record<string, OptionSpec>>
  /** Talks to a running peer over its control socket. */
  readonly client: boolean
  /** Default of --timeout for a client command (ms). */
  readonly timeoutMs?: number
}

/** A client command gives up on a peer that does not answer within this (ms); a ring operation itself times out after 10 s. */
export const DEFAULT_TIMEOUT_MS = 15_000

const CLIENT_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  socket: { type: 'string', value: 'PATH', help: 'the peer\'s control socket' },
  'data-dir': { type: 'string', value: 'DIR', help: 'the peer\'s data directory (its socket is DIR/chordkv.sock)' },
  config: { type: 'string', value: 'FILE', help: 'read socket and dataDir from a JSON config file' },
  json: { type: 'boolean', help: 'print the answer as JSON (errors too, as {"error":{"code","message"}})' }
}

const client = (spec: Omit<CommandSpec, 'client' | 'options'> & { options?: Readonly<Record<string, OptionSpec>> }): CommandSpec => ({
  ...spec,
  client: true,
  options: {
    ...CLIENT_OPTIONS,
    timeout: { type: 'string', value: 'TIME', help: `give up when the peer has not answered within TIME (500ms, 5s, 2m; a bare number is seconds; 0: wait forever; default ${(spec.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000}s); exit status 4` },
    ...spec.options
  }
})

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'start',
    args: [],
    summary: 'run a peer (Ctrl-C or SIGTERM leaves the ring gracefully)',
    details: 'Runs a peer until Ctrl-C, SIGTERM or "chordkv leave"; each hands the peer\'s keys to its successor before it exits 0.\n' +
      'A second signal, a second or more after the first, exits at once. Every option also has a CHORDKV_… variable and a\n' +
      'config-file field (README: Configuration); precedence is defaults < config file < environment < flags.',
    client: false,
    options: {
      listen: { type: 'string', multiple: true, value: 'MULTIADDR', help: 'TCP address to listen on, repeatable (default /ip4/127.0.0.1/tcp/0)' },
      announce: { type: 'string', multiple: true, value: 'MULTIADDR', help: 'address other peers should dial instead, repeatable' },
      bootstrap: { type: 'string', multiple: true, value: 'MULTIADDR', help: 'ring member to join through, repeatable; none founds a new ring' },
      'data-dir': { type: 'string', value: 'DIR', help: 'identity key, store and socket (default ~/.chordkv)' },
      socket: { type: 'string', value: 'PATH', help: 'control socket (default DIR/chordkv.sock)' },
      config: { type: 'string', value: 'FILE', help: 'JSON config file (see config/default.json)' },
      storage: { type: 'string', value: 'leveldb|memory', help: 'where records live (default leveldb)' },
      overlay: { type: 'string', value: 'chord|kad', help: 'overlay network (default chord; see docs/overlays.md)' },
      successors: { type: 'string', value: 'R', help: 'successor-list length (default 8)' },
      replicas: { type: 'string', value: 'K', help: `replication factor (default ${DATA.replication.factor}; W defaults to a majority)` },
      'log-level': { type: 'string', value: 'LEVEL', help: 'error, warn, info (default) or debug (also DEBUG=chordkv*)' },
      'metrics-listen': { type: 'string', value: 'MULTIADDR', help: 'serve /metrics (Prometheus) and the ring page over HTTP, e.g. /ip4/127.0.0.1/tcp/9464' },
      'swarm-key': { type: 'string', value: 'FILE', help: 'run a private ring: only peers holding the same swarm key file can connect' },
      'memory-budget': { type: 'string', value: 'MIB', help: 'memory the peer may use, at least 128 MiB (default: the container\'s limit, if any)' }
    }
  },
  {
    name: 'demo',
    args: [],
    summary: 'run a local demo ring of N peers (default 3)',
    details: 'Starts N peers as "chordkv start" processes on loopback, each with its own data directory and control socket,\n' +
      'and prints commands to try. Ctrl-C makes every peer hand its keys on and leave, then removes the temporary directory.\n' +
      'The overlay follows CHORDKV_OVERLAY or --overlay.',
    client: false,
    options: {
      peers: { type: 'string', value: 'N', help: 'number of peers, 1 to 32 (default 3)' },
      dir: { type: 'string', value: 'DIR', help: 'keep the peers\' data directories in DIR (kept on exit) instead of a temporary one' },
      overlay: { type: 'string', value: 'chord|kad', help: 'overlay network (default chord)' }
    }
  },
  client({
    name: 'put',
    args: ['KEY', 'VALUE'],
    summary: 'store VALUE under KEY (VALUE "-" reads stdin as raw bytes)',
    details: 'Prints on how many replicas the value was stored; fails (exit 1) when fewer than the write quorum W stored it.\n' +
      'With --ttl the value expires that long after it was written, on every replica at once: a get then exits 1 (not found).',
    options: {
      ttl: { type: 'string', value: 'DURATION', help: 'the value expires after DURATION: 500ms, 30s, 5m, 2h, 7d (chord overlay only)' }
    }
  }),
  client({
    name: 'get',
    args: ['KEY'],
    summary: 'print the value (raw bytes); exit 1 if absent, 5 if its replicas cannot confirm that (retry)',
    details: 'Prints the value exactly as stored; a newline is added only when stdout is a terminal. With --json it prints\n' +
      '{"key","value"}, and "encoding":"base64" with the value in base64 when it is not UTF-8 text.'
  }),
  client({
    name: 'watch',
    args: ['KEY'],
    summary: 'print each change of KEY as it happens, until Ctrl-C (chord overlay only)',
    details: 'Prints the value of each put (a line each), "(deleted)" or "(expired)"; with --json one object per change,\n' +
      'with its "version". The watch is held at the key\'s replicas, so it outlives a crash of the key\'s owner. Exit 0 on\n' +
      'Ctrl-C or, with --once, after the first change; 1 when the peer stops or the watch fell too far behind.',
    options: {
      once: { type: 'boolean', help: 'exit 0 after the next change (scripts: chordkv watch --once config && reload)' },
      since: { type: 'string', value: 'VERSION', help: 'a version a change carried (--json): start with the current value if it is newer' }
    }
  }),
  client({
    name: 'del',
    args: ['KEY'],
    summary: 'delete KEY (chord overlay only)',
    details: 'Deleting a key that holds no value is not an error; the output says so.'
  }),
  client({
    name: 'lookup',
    args: ['KEY'],
    summary: 'show KEY\'s ring id, the peer responsible for it, its replicas and the route',
    details: 'Shows the key\'s own ring id (SHA-256 of the key), the owner (the first peer clockwise from it) with its ring id,\n' +
      'the k peers holding the key, and the hops and path the lookup took from this peer.'
  }),
  client({
    name: 'status',
    args: [],
    summary: 'show this peer\'s ring state, neighbours, keys and repair',
    details: 'Shows the peer\'s version, state, addresses, predecessor, successor list, fingers, replication settings, key counts\n' +
      'and the last repair pass.'
  }),
  client({
    name: 'ring',
    args: [],
    summary: 'walk the ring from this peer and show every member',
    details: 'Walks the ring from this peer, successor to successor, and prints every member in ring order with its address,\n' +
      'the share of the ring it owns, its keys (owned / replicated) and whether its successor list matches the ring.\n' +
      'Warns (and exits 1) when the walk does not come back to this peer, a member\'s predecessor disagrees, or a peer\n' +
      'answers that it is not a ring member: signs of a split ring or of churn under way.',
    timeoutMs: 60_000
  }),
  client({
    name: 'health',
    args: [],
    summary: 'exit 0 if this peer can take writes, 1 (and why) if not',
    details: 'Healthy means the peer is a ring member, not leaving, and at least W replicas (itself and live successors) are\n' +
      'reachable. For container health checks: exit 0 healthy, 1 unhealthy (each reason printed), 3 no peer, 4 no answer.'
  }),
  client({
    name: 'leave',
    args: [],
    summary: 'hand this peer\'s keys to its successor and stop it',
    details: 'Without --wait it returns once the peer has started leaving. With --wait it returns when the hand-off is over:\n' +
      'exit 0 once the keys were handed on and the peer stopped, 1 if the hand-off failed (the peer stops anyway).',
    options: {
      wait: { type: 'boolean', help: 'return when the hand-off is done or failed (default --timeout 5m)' }
    }
  }),
  {
    name: 'swarm-key',
    args: ['FILE'],
    summary: 'write a new swarm key to FILE (mode 0600) for a private ring',
    details: 'Writes 32 random bytes as a libp2p private-network key (the /key/swarm/psk/1.0.0/ format kubo uses). Give every\n' +
      'peer of the ring the same file with --swarm-key FILE (or CHORDKV_SWARM_KEY): a node without it cannot connect.\n' +
      'An existing FILE is never overwritten (a new key would cut its peers off).',
    client: false,
    options: {}
  },
  {
    name: 'version',
    args: [],
    summary: 'print chordkv\'s version (also --version, -V)',
    details: 'A running peer reports its version in "chordkv status" and "chordkv ring".',
    client: false,
    options: {}
  }
]

/** Exit statuses. */
export const EXIT = {
  OK: 0,
  /** The operation failed (not found, unhealthy, ring error, bad request). */
  FAILED: 1,
  USAGE: 2,
  /** No peer listens on the control socket. */
  NO_PEER: 3,
  /** The peer did not answer within --timeout. */
  TIMEOUT: 4,
  /** get found no value, but the key's replicas could not confirm it is absent: retry. */
  REPLICAS_UNAVAILABLE: 5
} as const

/** The spec of a command, or undefined. */
export function commandNamed (name: string): CommandSpec | undefined {
  return COMMANDS.find(c => c.name === name)
}

/** The command a mistyped name most likely meant (`gett` → get), if one is close enough. */
export function closestCommand (name: string): string | undefined {
  let best: { name: string, distance: number } | undefined
  for (const c of COMMANDS) {
    const distance = editDistance(name, c.name)
    if (best === undefined || distance < best.distance) best = { name: c.name, distance }
  }
  return best !== undefined && best.distance <= Math.min(2, Math.floor(name.length / 2)) ? best.name : undefined
}

/** Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`. */
function editDistance (a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  const at = (i: number, j: number): number => (d[i] as number[])[j] as number
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1))
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1)
      ;(d[i] as number[])[j] = best
    }
  }
  return at(a.length, b.length)
}

const synopsis = (c: CommandSpec): string => ['chordkv', c.name, ...c.args].join(' ')

/** The global usage. */
export function usage (): string {
  const width = Math.max(...COMMANDS.map(c => synopsis(c).length)) + 2
  return 'chordkv — a replicated key/value store on a Chord ring over libp2p\n\n' +
    'Usage:\n' +
    COMMANDS.map(c => `  ${synopsis(c).padEnd(width)} ${c.summary}\n`).join('') +
    '\nClient commands (put … leave) reach a peer through its control socket:\n' +
    '  --socket PATH | --data-dir DIR   which peer (else CHORDKV_SOCKET, CHORDKV_DATA_DIR, --config; default ~/.chordkv)\n' +
    '  --json                           machine-readable output\n' +
    `  --timeout TIME                   give up after TIME: 500ms, 5s, 2m, or a bare number of seconds (default ${DEFAULT_TIMEOUT_MS / 1000}s)\n` +
    '  "--" ends the options: the arguments after it are taken as they are (chordkv put -- -k -5),\n' +
    '  and options may follow them (chordkv put -- -k -5 --data-dir ./peer1).\n\n' +
    '"chordkv help CMD" or "chordkv CMD --help" describes a command and all its options.\n' +
    EXIT_STATUS
}

const EXIT_STATUS = 'Exit status: 0 ok, 1 operation failed, 2 usage error, 3 no peer on the socket, 4 the peer did not answer in time, 5 get: the key\'s replicas cannot confirm it is absent (retry).\n'

/** `chordkv help CMD`. */
export function commandHelp (c: CommandSpec): string {
  const options = Object.entries(c.options).map(([name, o]) => [`--${name}${o.value === undefined ? '' : ` ${o.value}`}`, o.help] as const)
  const width = Math.max(0, ...options.map(([flag]) => flag.length)) + 2
  return `Usage: ${synopsis(c)}${options.length > 0 ? ' [options]' : ''}\n\n${c.summary[0]?.toUpperCase()}${c.summary.slice(1)}.\n${c.details}\n` +
    (options.length > 0 ? `\nOptions:\n${options.map(([flag, help]) => `  ${flag.padEnd(width)} ${help}\n`).join('')}` : '') +
    (c.client ? '\nArguments starting with "-" go after "--"; options may come before or after the arguments.\n' : '') +
    `\n${c.client ? EXIT_STATUS : 'Exit status: 0 ok, 1 failed, 2 usage error.\n'}`
}
