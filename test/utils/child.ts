import { spawn } from 'node:child_process'
import { once } from 'node:events'

/** What a child process left behind. */
export interface ChildOutcome {
  readonly code: number | null
  readonly stdout: Buffer
  readonly stderr: Buffer
  /** It did not exit within the time given and was killed. */
  readonly timedOut: boolean
}

/**
 * Runs `file ARGS…`, writes `input` to its stdin and closes it, collects
 * stdout and stderr, and kills it with SIGKILL if it has not exited after
 * `timeoutMs`.
 */
export async function runChild (file: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv, cwd?: string, input?: Uint8Array | string, timeoutMs: number }): Promise<ChildOutcome> {
  const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env, cwd: options.cwd })
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
  }, options.timeoutMs)
  const [code] = await once(child, 'close') as [number | null]
  clearTimeout(timer)
  return { code, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr), timedOut }
}
