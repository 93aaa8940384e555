import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PeerProcess } from './peer-process.js'
import { EXIT, parse, UsageError } from './usage.js'

/**
 * `chordkv demo`: a local ring of N peers, each a `chordkv start` process on
 * loopback with its own data directory and control socket. Ctrl-C makes each
 * leave gracefully.
 */
export async function demo (args: readonly string[]): Promise<number> {
  const { values, positionals } = parse({ args: [...args], allowPositionals: true, options: { peers: { type: 'string' }, dir: { type: 'string' } } })
  if (positionals.length > 0) throw new UsageError(`demo takes no arguments, got "${positionals.join(' ')}"`)
  const n = Number(values.peers ?? '3')
  if (!Number.isInteger(n) || n < 1 || n > 32) throw new UsageError(`--peers must be an integer from 1 to 32, got "${values.peers}"`)
  const dir = values.dir ?? await mkdtemp(join(tmpdir(), 'chordkv-demo-'))

  const peers: PeerProcess[] = []
  const stopAll = async (): Promise<void> => { await Promise.all(peers.map(async p => p.stop('SIGTERM'))) }
  process.on('SIGINT', () => { void stopAll() })
  process.on('SIGTERM', () => { void stopAll() })

  let bootstrap: string | undefined
  for (let i = 1; i <= n; i++) {
    const peer = await PeerProcess.start({ name: `peer${i}`, dataDir: join(dir, `peer${i}`), bootstrap, echo: true })
    peers.push(peer)
    const address = await peer.waitFor(/^listening: (.*)$/)
    await peer.waitFor(/^(founded a new ring|joined the ring|started a new kad network|joined the kad network)/)
    bootstrap ??= address
  }

  const sockets = peers.map(p => p.socket)
  process.stdout.write(`\nA ring of ${n} peers is running in ${dir}.\n` +
    sockets.map((s, i) => `  peer${i + 1}: chordkv status --socket ${s}\n`).join('') +
    '\nTry, in another terminal:\n' +
    `  npx chordkv put hello world --socket ${sockets[0]}\n` +
    `  npx chordkv get hello --socket ${sockets.at(-1)}\n` +
    `  echo '{"id":1,"op":"get","key":"hello"}' | socat - UNIX-CONNECT:${sockets.at(-1)}\n` +
    'Ctrl-C stops the ring (each peer hands its keys on and leaves).\n\n')

  const exits = await Promise.all(peers.map(async p => p.exited))
  return exits.every(code => code === 0) ? EXIT.OK : EXIT.FAILED
}
