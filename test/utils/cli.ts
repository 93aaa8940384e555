import assert from 'node:assert/strict'
import { packageFile, PEER_ENTRY } from '../../src/package-files.js'
import { runChild } from './child.js'

/** The entry point bin/chordkv runs: the one-file build of dist/src/cli/main.js. */
export const MAIN = PEER_ENTRY
/** The same entry point as compiled modules, before bundling. */
export const MODULES_MAIN = packageFile('dist/src/cli/main.js')
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
  const child = await runChild(process.execPath, [MAIN, ...args], { env: options.env, input: options.input, timeoutMs: CHILD_TIMEOUT_MS })
  const outcome = { code: child.code, stdout: child.stdout, out: child.stdout.toString('utf8'), stderr: child.stderr.toString('utf8') }
  if (child.timedOut) throw new Error(`chordkv ${args.join(' ')} did not exit within ${CHILD_TIMEOUT_MS} ms; stderr: ${outcome.stderr}`)
  return outcome
}

/** Asserts the exit status, showing the child's output when it differs. */
export function assertExit (outcome: Outcome, code: number): void {
  assert.equal(outcome.code, code, `exit status ${outcome.code}, expected ${code}; stdout: ${JSON.stringify(outcome.out)} stderr: ${JSON.stringify(outcome.stderr)}`)
}
