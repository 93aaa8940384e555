import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { PEER_ENTRY } from '../package-files.js'
import { socketIn } from '../socket-path.js'
import { PEER_RUNTIME } from './runtime.js'

export interface PeerProcessOptions {
  readonly name: string
  readonly dataDir: string
  readonly bootstrap?: string | readonly string[] | undefined
  /** Listen multiaddr; default an ephemeral loopback port. */
  readonly listen?: string
  /** A command that runs the peer elsewhere, e.g. `ip netns exec <host>`. */
  readonly wrap?: readonly string[]
  /** More `chordkv start` arguments. */
  readonly args?: readonly string[]
  /** Extra environment (CHORDKV_… settings) for the child. */
  readonly env?: NodeJS.ProcessEnv
  /** Copy the child's output to ours, prefixed with its name. */
  readonly echo?: boolean
  /** Run the child in its own process group, so a terminal's Ctrl-C reaches only us. */
  readonly detached?: boolean
}

/**
 * A `chordkv start` child process on loopback with its own data directory,
 * whose output lines can be awaited (the demo ring and end-to-end tests use it).
 */
export class PeerProcess {
  readonly name: string
  readonly dataDir: string
  readonly child: ChildProcess
  readonly lines: string[] = []
  readonly exited: Promise<number | null>
  private readonly waiters: Array<{ pattern: RegExp, resolve: (match: string) => void }> = []

  private constructor (options: PeerProcessOptions, child: ChildProcess) {
    this.name = options.name
    this.dataDir = options.dataDir
    this.child = child
    this.exited = new Promise(resolve => { child.once('exit', code => { resolve(code) }) })
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', line => {
      if (options.echo === true) process.stdout.write(`[${this.name}] ${line}\n`)
      this.lines.push(line)
      for (const w of [...this.waiters]) {
        const match = w.pattern.exec(line)
        if (match === null) continue
        this.waiters.splice(this.waiters.indexOf(w), 1)
        w.resolve(match[1] ?? line)
      }
    })
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', line => {
      if (options.echo === true) process.stderr.write(`[${this.name}] ${line}\n`)
      this.lines.push(line)
    })
  }

  /** Starts `chordkv start --data-dir … --listen /ip4/127.0.0.1/tcp/0 [--bootstrap …]…`. */
  static async start (options: PeerProcessOptions): Promise<PeerProcess> {
    await mkdir(options.dataDir, { recursive: true, mode: 0o700 })
    const args = [PEER_ENTRY, 'start', '--data-dir', options.dataDir, '--listen', options.listen ?? '/ip4/127.0.0.1/tcp/0']
    for (const addr of typeof options.bootstrap === 'string' ? [options.bootstrap] : options.bootstrap ?? []) args.push('--bootstrap', addr)
    args.push(...options.args ?? [])
    const [command, ...prefix] = [...options.wrap ?? [], process.execPath]
    const child = spawn(command as string, [...prefix, ...PEER_RUNTIME.nodeArgs, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...PEER_RUNTIME.env, ...process.env, ...options.env }, detached: options.detached === true })
    return new PeerProcess(options, child)
  }

  /** The control socket of this peer. */
  get socket (): string {
    return socketIn(this.dataDir)
  }

  /**
   * Resolves with the first capture group of the first line (past or future)
   * matching `pattern`; rejects if the process exits first or the line does
   * not come within `timeoutMs`.
   */
  async waitFor (pattern: RegExp, timeoutMs = 120_000): Promise<string> {
    for (const line of this.lines) {
      const match = pattern.exec(line)
      if (match !== null) return match[1] ?? line
    }
    const seen = new Promise<string>(resolve => { this.waiters.push({ pattern, resolve }) })
    const died = this.exited.then(code => { throw new Error(`${this.name} exited (status ${code}) before printing ${pattern}:\n${this.lines.join('\n')}`) })
    let timer: ReturnType<typeof setTimeout> | undefined
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => { reject(new Error(`${this.name} did not print ${pattern} within ${timeoutMs} ms:\n${this.lines.slice(-20).join('\n')}`)) }, timeoutMs)
    })
    try {
      return await Promise.race([seen, died, late])
    } finally {
      clearTimeout(timer)
    }
  }

  /** Sends a signal and resolves with the exit status. */
  async stop (signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal)
    return this.exited
  }
}
