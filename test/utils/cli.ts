import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'

/** The compiled entry point: dist/test/utils/ → dist/src/cli/main.js. */
export const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url))
/** A child that has not exited by then is killed and the test fails. */
export const CHILD_TIMEOUT_MS = 10_000

export interface Outcome {
  code: number | null
  stdout: Buffer
  /** stdout as UTF-8 text. */
  out: string
  stderr: string
}

export interface RunOptions {
  /** The child's whole environment: nothing is inherited from the test process. */
  env: NodeJS.ProcessEnv
  /** Bytes written to the child's stdin, which is then closed. */
  input?: Uint8Array
}

/** Runs `chordkv ARGS…` on this Node.js and collects its exit status and output. */
export async function chordkv (args: readonly string[], options: RunOptions): Promise<Outcome> {
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
export function assertExit (outcome: Outcome, code: number): void {
  assert.equal(outcome.code, code, `exit status ${outcome.code}, expected ${code}; stdout: ${JSON.stringify(outcome.out)} stderr: ${JSON.stringify(outcome.stderr)}`)
}
