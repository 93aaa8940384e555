import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { describe, test } from 'node:test'
import { tempDir } from '../utils/control.js'
import { waitFor } from '../utils/network.js'

/** The project directory (dist/test/e2e → the root): npx runs the project's own chordkv there. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const BIN = join(ROOT, 'bin', 'chordkv')

/** A child process whose output lines are collected. */
interface Run {
  readonly child: ChildProcess
  readonly lines: string[]
  readonly exited: Promise<number | null>
}

/**
 * Starts `command args…` in the project directory. `group` gives it a process
 * group of its own, so a signal sent to the group reaches every process in
 * it, as a terminal's Ctrl-C does.
 */
function launch (command: string, args: readonly string[], group = false): Run {
  const child = spawn(command, args, { cwd: ROOT, detached: group, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CHORDKV_LISTEN: '/ip4/127.0.0.1/tcp/0' } })
  const lines: string[] = []
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', line => { lines.push(line) })
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', line => { lines.push(line) })
  const exited = once(child, 'exit').then(([code]) => code as number | null)
  return { child, lines, exited }
}

async function waitForLine (run: Run, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  await waitFor(() => run.lines.some(l => pattern.test(l)), timeoutMs, () => `no line matching ${pattern}:\n${run.lines.join('\n')}`)
  return run.lines.find(l => pattern.test(l)) as string
}

/** A peer stopped gracefully: it left, stopped, exited 0, and its control socket is gone. */
async function assertLeftGracefully (run: Run, socket: string): Promise<void> {
  assert.equal(await run.exited, 0, run.lines.join('\n'))
  assert.ok(run.lines.some(l => l === 'stopped'), run.lines.join('\n'))
  assert.ok(!run.lines.some(l => /again: exiting without finishing/.test(l)), run.lines.join('\n'))
  await assert.rejects(stat(socket), { code: 'ENOENT' })
}

describe('signals reach the peer however it was started, and it leaves gracefully and exits 0', () => {
  test('bin/chordkv start, then SIGTERM', async () => {
    const dir = await tempDir('chordkv-signals-')
    const run = launch(BIN, ['start', '--data-dir', join(dir, 'p'), '--storage', 'memory'])
    await waitForLine(run, /^control socket: /)
    run.child.kill('SIGTERM')
    await assertLeftGracefully(run, join(dir, 'p', 'chordkv.sock'))
  })

  test('npx chordkv start, then SIGTERM to npx (as a supervisor sends it)', async () => {
    const dir = await tempDir('chordkv-signals-')
    const run = launch('npx', ['chordkv', 'start', '--data-dir', join(dir, 'p'), '--storage', 'memory'])
    await waitForLine(run, /^control socket: /)
    run.child.kill('SIGTERM')
    await assertLeftGracefully(run, join(dir, 'p', 'chordkv.sock'))
  })

  test('npx chordkv start, then Ctrl-C (SIGINT to the whole process group)', async () => {
    const dir = await tempDir('chordkv-signals-')
    const run = launch('npx', ['chordkv', 'start', '--data-dir', join(dir, 'p'), '--storage', 'memory'], true)
    await waitForLine(run, /^control socket: /)
    process.kill(-(run.child.pid as number), 'SIGINT')
    await assertLeftGracefully(run, join(dir, 'p', 'chordkv.sock'))
  })

  test('npm run demo: the commands it prints run as printed; Ctrl-C: every peer hands off once or says why not, leaves, and the temporary directory is removed', async () => {
    const run = launch('npm', ['run', 'demo', '--', '--peers', '2'], true)
    const dir = (await waitForLine(run, /^A ring of 2 peers is running in (.*)\.$/, 60_000)).replace(/^A ring of 2 peers is running in (.*)\.$/, '$1')
    assert.ok((await stat(dir)).isDirectory())
    try {
      await waitForLine(run, /^Ctrl-C stops the peers/)
      const put = (await waitForLine(run, /^ {2}\S*chordkv put hello world --socket /)).trim()
      const get = (await waitForLine(run, /^ {2}\S*chordkv get hello --socket /)).trim()
      for (const [line, output] of [[put, /^stored on 2 replicas$/m], [get, /^world$/m]] as const) {
        const shell = launch('bash', ['-c', line])
        assert.equal(await shell.exited, 0, `${line}:\n${shell.lines.join('\n')}`)
        assert.match(shell.lines.join('\n'), output, line)
      }
    } finally {
      process.kill(-(run.child.pid as number), 'SIGINT')
    }
    assert.equal(await run.exited, 0, run.lines.join('\n'))
    assert.deepEqual(run.lines.filter(l => /graceful leave failed/.test(l)), [], 'leaving together is not a failure')
    for (const peer of ['peer1', 'peer2']) {
      assert.equal(run.lines.filter(l => l.startsWith(`[${peer}] SIGTERM: leaving gracefully`)).length, 1, run.lines.join('\n'))
      assert.ok(run.lines.includes(`[${peer}] stopped`), run.lines.join('\n'))
    }
    assert.ok(!run.lines.some(l => /again: exiting without finishing/.test(l)), run.lines.join('\n'))
    await assert.rejects(stat(dir), { code: 'ENOENT' })
  })
})
