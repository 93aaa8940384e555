/**
 * OpenDHT's side of the comparison: bench/opendht-worker.py runs the N
 * nodes in one Python process (a DhtRunner with its own threads per node)
 * and reports as JSON. Debian's python3-opendht is the binding; only
 * Debian's /usr/bin/python3 imports it.
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { runJsonChild } from './json-child.js'
import type { SystemReport } from './system-report.js'

export const PYTHON = '/usr/bin/python3'
const WORKER = fileURLToPath(new URL('../../bench/opendht-worker.py', import.meta.url))
const PACKAGES = ['python3-opendht', 'dhtnode']

export interface OpenDhtRunOptions {
  readonly n: number
  readonly keys: number
  readonly seed: string
  readonly idleMs: number
  readonly settleMs: number
}

const importable = (): boolean => spawnSync(PYTHON, ['-c', 'import opendht'], { stdio: 'ignore' }).status === 0

/**
 * Makes sure the binding imports, installing the Debian packages first when
 * it does not and this runs as root; returns why it cannot, or undefined.
 */
export function ensureOpenDht (): string | undefined {
  if (importable()) return undefined
  if (process.getuid?.() !== 0) return `OpenDHT is not installed (${PYTHON} cannot import opendht) and installing ${PACKAGES.join(' and ')} needs root`
  console.error(`installing ${PACKAGES.join(' and ')}`)
  // apt-get's output goes to stderr: stdout is the benchmark's
  const apt = (args: string[]): void => { spawnSync('apt-get', args, { stdio: ['ignore', 2, 2], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }) }
  apt(['update'])
  apt(['install', '-y', ...PACKAGES])
  return importable() ? undefined : `OpenDHT is not installed: apt-get install -y ${PACKAGES.join(' ')} did not make opendht importable by ${PYTHON}`
}

/** The installed python3-opendht package's version. */
export function openDhtVersion (): string {
  const out = spawnSync('dpkg-query', ['-W', '-f=${Version}', 'python3-opendht'], { encoding: 'utf8' })
  return out.status === 0 ? out.stdout.trim() : 'unknown'
}

/** Runs the Python worker for one N; its last stdout line is its report. */
export async function runOpenDht (options: OpenDhtRunOptions): Promise<SystemReport> {
  const args = [WORKER, '--n', String(options.n), '--keys', String(options.keys), '--seed', options.seed, '--idle-ms', String(options.idleMs), '--settle-ms', String(options.settleMs)]
  return runJsonChild<SystemReport>(PYTHON, args, `the OpenDHT worker (N=${options.n})`)
}
