/**
 * One peer per process, as a container runs it: the idle RSS of one
 * `chordkv start` (memory storage, founding a ring of its own) and of one
 * OpenDHT `dhtnode` in service mode (no bootstrap), each read from
 * /proc/PID/status some seconds after it started.
 */
import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { ownChild, ownTempDir, removeTempDir } from './cleanup.js'
import { procStatus, sleep } from './stats.js'

export interface SinglePeerRss {
  /** VmRSS of `chordkv start` that long after it founded its ring (MiB). */
  readonly chordkvMiB: number
  /** VmRSS of `dhtnode -s` that long after it started (MiB); undefined without dhtnode. */
  readonly dhtnodeMiB: number | undefined
  readonly idleMs: number
}

const CHORDKV = fileURLToPath(new URL('../../bin/chordkv', import.meta.url))
const READY_TIMEOUT_MS = 30_000
const STOP_TIMEOUT_MS = 10_000

/** Starts `command`, waits until its output matches `ready` (if given) and then `idleMs`, reads its RSS and stops it. */
async function idleRss (command: string, args: readonly string[], idleMs: number, ready?: RegExp): Promise<number> {
  const child = ownChild(spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] }))
  // settles on exit, and on a failed spawn (which never exits)
  const exited = once(child, 'exit').then(() => {}, () => {})
  try {
    if (ready !== undefined) {
      let output = ''
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => { reject(new Error(`${command} was not ready within ${READY_TIMEOUT_MS} ms: ${output}`)) }, READY_TIMEOUT_MS)
        const read = (chunk: Buffer): void => {
          output += chunk.toString()
          if (ready.test(output)) { clearTimeout(timer); resolve() }
        }
        child.stdout.on('data', read)
        child.stderr.on('data', read)
        void exited.then(() => { clearTimeout(timer); reject(new Error(`${command} ended: ${output}`)) })
      })
    }
    await sleep(idleMs)
    if (child.pid === undefined || child.exitCode !== null) throw new Error(`${command} is not running`)
    return procStatus('VmRSS', child.pid) / 1024
  } finally {
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
    await exited
    clearTimeout(timer)
  }
}

export async function singlePeerRss (idleMs: number): Promise<SinglePeerRss> {
  const dir = ownTempDir('chordkv-rss-')
  const hasDhtnode = spawnSync('dhtnode', ['-h'], { stdio: 'ignore' }).error === undefined
  try {
    const [chordkvMiB, dhtnodeMiB] = await Promise.all([
      idleRss(CHORDKV, ['start', '--data-dir', dir, '--storage', 'memory'], idleMs, /^(founded a new ring|joined the ring)/m),
      hasDhtnode ? idleRss('dhtnode', ['-s', '-p', '0'], idleMs) : undefined
    ])
    return { chordkvMiB, dhtnodeMiB, idleMs }
  } finally {
    removeTempDir(dir)
  }
}
