import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { socketIn } from '../config.js'
import { EXIT, parse, UsageError } from './usage.js'

interface DemoPeer {
  readonly name: string
  readonly dataDir: string
  readonly child: ChildProcess
  /** Resolves with each stdout line matching a pattern, once. */
  readonly waitFor: (pattern: RegExp) => Promise<string>
}

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

  const peers: DemoPeer[] = []
  const stopAll = async (): Promise<void> => {
    await Promise.all(peers.map(async p => {
      if (p.child.exitCode !== null) return
      p.child.kill('SIGTERM')
      await new Promise(resolve => p.child.once('exit', resolve))
    }))
  }
  process.on('SIGINT', () => { void stopAll() })
  process.on('SIGTERM', () => { void stopAll() })

  let bootstrap: string | undefined
  for (let i = 1; i <= n; i++) {
    const peer = await launch(`peer${i}`, join(dir, `peer${i}`), bootstrap)
    peers.push(peer)
    const address = await peer.waitFor(/^listening: (.*)$/)
    await peer.waitFor(/^(founded a new ring|joined the ring)/)
    bootstrap ??= address
  }

  const sockets = peers.map(p => socketIn(p.dataDir))
  process.stdout.write(`\nA ring of ${n} peers is running in ${dir}.\n` +
    sockets.map((s, i) => `  peer${i + 1}: chordkv status --socket ${s}\n`).join('') +
    '\nTry:\n' +
    `  npx chordkv put hello world --socket ${sockets[0]}\n` +
    `  npx chordkv get hello --socket ${sockets.at(-1)}\n` +
    `  echo '{"id":1,"op":"get","key":"hello"}' | nc -U ${sockets.at(-1)}\n` +
    'Ctrl-C stops the ring (each peer hands its keys on and leaves).\n\n')

  const exits = await Promise.all(peers.map(async p => new Promise<number>(resolve => {
    if (p.child.exitCode !== null) resolve(p.child.exitCode)
    else p.child.once('exit', code => { resolve(code ?? 1) })
  })))
  return exits.every(code => code === 0) ? EXIT.OK : EXIT.FAILED
}

async function launch (name: string, dataDir: string, bootstrap: string | undefined): Promise<DemoPeer> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const main = fileURLToPath(new URL('./main.js', import.meta.url))
  const args = [main, 'start', '--data-dir', dataDir, '--listen', '/ip4/127.0.0.1/tcp/0', ...(bootstrap === undefined ? [] : ['--bootstrap', bootstrap])]
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  const waiters: Array<{ pattern: RegExp, resolve: (match: string) => void }> = []
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })
  lines.on('line', line => {
    process.stdout.write(`[${name}] ${line}\n`)
    for (const w of [...waiters]) {
      const match = w.pattern.exec(line)
      if (match !== null) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve(match[1] ?? line)
      }
    }
  })
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', line => { process.stderr.write(`[${name}] ${line}\n`) })
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', code => { reject(new Error(`${name} exited with status ${code}`)) })
  })
  exited.catch(() => {})
  return {
    name,
    dataDir,
    child,
    waitFor: async pattern => Promise.race([new Promise<string>(resolve => { waiters.push({ pattern, resolve }) }), exited])
  }
}
