import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkIdeal, checkInvariants, type NodeSnapshot } from '../../src/ring/invariants.js'
import { runChild } from '../utils/child.js'
import { waitFor } from '../utils/network.js'

/**
 * Docker for the container tests: the engine through its CLI, and the
 * names of everything a run creates. Every container, network, volume and
 * image gets the run's prefix, so runs never touch anything else on the
 * engine and whatever a run leaves behind can be found and removed.
 */

/** The repository root (dist/test/containers/ → ../../..). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/** The prefix of this run's names, `ckvtest-<pid of the runner>`; test/containers/run.ts sets it. */
export const PREFIX = process.env.CHORDKV_TEST_PREFIX ?? `ckvtest-${process.pid}`

/** The image under test; test/containers/run.ts builds it from the working tree. */
export function image (): string {
  const tag = process.env.CHORDKV_TEST_IMAGE
  if (tag === undefined || tag === '') throw new Error('CHORDKV_TEST_IMAGE is not set: run the container tests with "npm run test:containers"')
  return tag
}

/** Exists while a swarm this run initialised is up (test/containers/swarm.ts); the runner leaves it if the tests did not. */
export const SWARM_CREATED = join(tmpdir(), `${PREFIX}-swarm-created`)

/** docker build runs one at a time on this machine (they compete for two cores). */
export const BUILD_LOCK = join(tmpdir(), 'chordkv-docker-build.lock')

/** The uid the image runs as (user node). */
export const PEER_UID = 1000

export interface Outcome {
  readonly code: number | null
  readonly stdout: Buffer
  /** stdout as UTF-8. */
  readonly out: string
  readonly err: string
}

export interface RunOptions {
  /** Written to the command's stdin, which is then closed. */
  readonly input?: Uint8Array | string
  /** Killed after this long (ms); the call then throws. */
  readonly timeoutMs?: number
  /** Resolve with a non-zero exit status instead of throwing. */
  readonly allowFailure?: boolean
  readonly env?: NodeJS.ProcessEnv
  readonly cwd?: string
}

/** Runs a command and collects its output; throws on a non-zero exit unless allowed. */
export async function command (file: string, args: readonly string[], options: RunOptions = {}): Promise<Outcome> {
  const timeoutMs = options.timeoutMs ?? 120_000
  const child = await runChild(file, args, { env: options.env, cwd: options.cwd, input: options.input, timeoutMs })
  const outcome = { code: child.code, stdout: child.stdout, out: child.stdout.toString('utf8'), err: child.stderr.toString('utf8') }
  const shown = `${file} ${args.join(' ')}`.slice(0, 300)
  if (child.timedOut) throw new Error(`${shown} did not finish within ${timeoutMs} ms; stdout: ${outcome.out.slice(-2000)} stderr: ${outcome.err.slice(-2000)}`)
  if (outcome.code !== 0 && options.allowFailure !== true) throw new Error(`${shown} exited with ${outcome.code}: ${outcome.err.trim().slice(-2000) || outcome.out.trim().slice(-2000)}`)
  return outcome
}

/** Runs `docker ARGS…`. */
export async function docker (args: readonly string[], options: RunOptions = {}): Promise<Outcome> {
  return command('docker', args, options)
}

/** Why no engine can be used, or undefined when `docker info` answers. */
export async function engineProblem (): Promise<string | undefined> {
  try {
    const info = await docker(['info', '--format', '{{.ServerVersion}}'], { allowFailure: true, timeoutMs: 30_000 })
    if (info.code === 0 && info.out.trim() !== '') return undefined
    return (info.err.trim().split('\n')[0] ?? '') || `docker info exited with ${info.code}`
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no docker command' : (err as Error).message
  }
}

/** The Compose command: the `docker compose` plugin where installed, else Debian's `docker-compose`. */
export async function composeCommand (): Promise<readonly string[]> {
  const plugin = await docker(['compose', 'version'], { allowFailure: true }).catch(() => undefined)
  if (plugin?.code === 0) return ['docker', 'compose']
  const standalone = await command('docker-compose', ['version'], { allowFailure: true }).catch(() => undefined)
  if (standalone?.code === 0) return ['docker-compose']
  throw new Error('neither "docker compose" nor "docker-compose" is installed (bash .ci/docker-engine.sh installs one)')
}

/** Builds an image from `context`, one build at a time on this machine; resolves with the seconds it took. */
export async function build (tag: string, context: string, options: { dockerfile?: string, timeoutMs?: number } = {}): Promise<number> {
  const started = Date.now()
  const file = options.dockerfile === undefined ? [] : ['-f', '-']
  await command('flock', [BUILD_LOCK, 'docker', 'build', '-q', ...file, '-t', tag, context], { input: options.dockerfile, timeoutMs: options.timeoutMs ?? 900_000 })
  return (Date.now() - started) / 1000
}

/**
 * The untagged images the Dockerfile's build stage leaves behind (Docker's
 * classic builder keeps a multi-stage build's earlier stages as images),
 * found by the stage's label.
 */
export async function buildStageImages (): Promise<string[]> {
  const listed = await docker(['images', '-q', '--no-trunc', '--filter', 'dangling=true', '--filter', 'label=org.chordkv.stage=build'])
  return listed.out.split('\n').filter(Boolean)
}

/** Everything on the engine whose name starts with `prefix`. */
export async function leftovers (prefix: string): Promise<{ services: string[], containers: string[], networks: string[], volumes: string[], images: string[] }> {
  // ckvtest-12 would also match ckvtest-123-…, another run's.
  if (!/[-_]$/.test(prefix)) throw new Error(`a name prefix must end with "-" (or a stack's "_"), got ${prefix}`)
  const names = async (args: readonly string[], options: RunOptions = {}): Promise<string[]> =>
    (await docker(args, options)).out.split('\n').filter(n => n.startsWith(prefix))
  return {
    // Swarm services (a stack's, named <stack>_<service>); none where the engine is no swarm manager.
    services: await names(['service', 'ls', '--format', '{{.Name}}'], { allowFailure: true }),
    containers: await names(['ps', '-a', '--format', '{{.Names}}']),
    networks: await names(['network', 'ls', '--format', '{{.Name}}']),
    volumes: await names(['volume', 'ls', '--format', '{{.Name}}']),
    images: await names(['images', '--format', '{{.Repository}}:{{.Tag}}'])
  }
}

/**
 * Removes every Swarm service, container (with its anonymous volumes),
 * network, volume and, if asked, image whose name starts with `prefix`: a
 * test's own cleanup, and the runner's sweep after all of them. Services
 * go first, so Swarm does not replace the containers removed next; a
 * stack's network is released a moment after its last container.
 */
export async function removeAll (prefix: string, options: { images?: boolean } = {}): Promise<number> {
  const found = await leftovers(prefix)
  if (found.services.length > 0) await docker(['service', 'rm', ...found.services], { allowFailure: true })
  // A service's tasks outlive it briefly: list the containers again.
  const containers = found.services.length > 0 ? (await leftovers(prefix)).containers : found.containers
  if (containers.length > 0) await docker(['rm', '-f', '-v', ...containers], { allowFailure: true })
  if (found.networks.length > 0) {
    await waitFor(async () => (await docker(['network', 'rm', ...found.networks], { allowFailure: true })).code === 0 ||
      (await leftovers(prefix)).networks.length === 0, 30_000, () => `networks ${found.networks.join(', ')} stay in use`, 500).catch(() => {})
  }
  if (found.volumes.length > 0) await docker(['volume', 'rm', '-f', ...found.volumes], { allowFailure: true })
  if (options.images === true && found.images.length > 0) await docker(['rmi', '-f', ...found.images], { allowFailure: true })
  return found.services.length + containers.length + found.networks.length + found.volumes.length + (options.images === true ? found.images.length : 0)
}

export interface ContainerState {
  readonly status: string
  readonly running: boolean
  readonly exitCode: number
  /** starting, healthy or unhealthy; undefined without a health check. */
  readonly health?: string
  /** The output of the last health probe. */
  readonly lastProbe?: string
}

/** A container's state from `docker inspect`. */
export async function stateOf (name: string): Promise<ContainerState> {
  const [inspected] = JSON.parse((await docker(['inspect', name])).out) as Array<{ State: { Status: string, Running: boolean, ExitCode: number, Health?: { Status: string, Log?: Array<{ Output: string }> } } }>
  if (inspected === undefined) throw new Error(`docker inspect ${name} returned nothing`)
  const { State } = inspected
  return { status: State.Status, running: State.Running, exitCode: State.ExitCode, health: State.Health?.Status, lastProbe: State.Health?.Log?.at(-1)?.Output.trim() }
}

/** A container's log (stdout and stderr). */
export async function logsOf (name: string): Promise<string> {
  const logs = await docker(['logs', name], { allowFailure: true })
  return logs.out + logs.err
}

/** The `status` of a peer, as `chordkv status --json` prints it. */
export interface PeerStatus {
  readonly peerId: string
  readonly ringId: string
  readonly state: string
  readonly addrs: readonly string[]
  readonly predecessor: { peerId: string } | null
  readonly successors: ReadonlyArray<{ peerId: string }>
  readonly keys: number
  readonly ring: { successorListLength: number }
}

/** `chordkv status --json` inside a container. */
export async function statusInside (name: string): Promise<PeerStatus> {
  return JSON.parse((await docker(['exec', name, 'chordkv', 'status', '--json'])).out) as PeerStatus
}

/**
 * What keeps these peers' statuses from being one ideal ring (Zave's
 * assertions 8–10: every list the next min(r, N−1) members, predecessors
 * agreeing), plus any invariant violation; empty when they are one.
 */
export function ringProblems (statuses: readonly PeerStatus[]): string[] {
  const snapshot = new Map<string, NodeSnapshot>(statuses.map(s => [s.peerId, {
    id: BigInt(`0x${s.ringId}`),
    alive: true,
    member: s.state === 'joined',
    successors: s.successors.map(n => n.peerId),
    predecessor: s.predecessor?.peerId
  }]))
  const r = statuses[0]?.ring.successorListLength ?? 0
  const joining = statuses.filter(s => s.state !== 'joined').map(s => `${s.peerId.slice(-6)} is ${s.state}`)
  return [...joining, ...checkInvariants(snapshot, r).violations, ...checkIdeal(snapshot, r)]
}

/** Log lines of each container printed when a ring does not form. */
const LOG_TAIL = 40

/** Waits until the peers in these containers form one ideal ring; resolves with their statuses. On failure it prints each container's last log lines. */
export async function waitForRing (names: readonly string[], timeoutMs: number, statusOf: (name: string) => Promise<PeerStatus> = statusInside): Promise<PeerStatus[]> {
  let statuses: PeerStatus[] = []
  let problems: string[] = []
  try {
    await waitFor(async () => {
      try {
        statuses = await Promise.all(names.map(statusOf))
        problems = ringProblems(statuses)
      } catch (err) {
        problems = [(err as Error).message]
      }
      return problems.length === 0
    }, timeoutMs, () => `${names.length} containers are not one ideal ring:\n${problems.slice(0, 10).join('\n')}`, 500)
  } catch (err) {
    // The peers' own account of what happened, for a failure seen only in CI.
    const tails = await Promise.all(names.map(async name => `--- ${name}, last ${LOG_TAIL} lines:\n${(await logsOf(name)).trimEnd().split('\n').slice(-LOG_TAIL).join('\n')}`))
    throw new Error(`${(err as Error).message}\n${tails.join('\n')}`)
  }
  return statuses
}

/** Waits until Docker reports this health status for every container, and the last probe said `probe` if given. */
export async function waitForHealth (names: readonly string[], health: 'healthy' | 'unhealthy', timeoutMs: number, probe?: RegExp): Promise<void> {
  let states: ContainerState[] = []
  await waitFor(async () => {
    states = await Promise.all(names.map(stateOf))
    return states.every(s => s.health === health && (probe === undefined || probe.test(s.lastProbe ?? '')))
  }, timeoutMs, () => `not all ${health}${probe === undefined ? '' : ` with a probe matching ${probe}`}: ${states.map((s, i) => `${names[i]}: ${s.status}/${s.health} (${s.lastProbe})`).join('; ')}`, 250)
}
