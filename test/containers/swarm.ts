import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ControlClient } from '../../src/control/client.js'
import { waitFor } from '../utils/network.js'
import { docker, removeAll, ringProblems, ROOT, SWARM_CREATED, type PeerStatus } from './docker.js'

/**
 * Docker Swarm for the container tests: a one-node swarm (initialised here
 * when the engine is in none, and left afterwards only then), and stacks
 * of deploy/swarm/stack.yaml whose tasks' peers are reached through the
 * control sockets on their volumes (the engine's volume directory, which
 * the tests read as root, as the other container tests do bind mounts).
 */

/** The stack file as shipped. */
export const STACK_FILE = join(ROOT, 'deploy', 'swarm', 'stack.yaml')

/** The stack's one service, as the stack file names it. */
export const SERVICE = 'peer'

/**
 * Makes this engine a swarm manager: a one-node swarm on loopback when it
 * is in none. Resolves with whether this call created it (then only it may
 * leave); rejects, saying why, when the engine cannot be one (a worker of
 * another swarm, or `docker swarm init` fails).
 */
export async function joinSwarm (): Promise<{ created: boolean }> {
  const info = await docker(['info', '--format', '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}'])
  const [state, manager] = info.out.trim().split(' ')
  if (state === 'active' && manager === 'true') return { created: false }
  if (state === 'active') throw new Error('this Docker engine is a worker of another swarm; the Swarm tests need a manager')
  if (state !== 'inactive') throw new Error(`this Docker engine's swarm is ${state}; the Swarm tests need it inactive or a manager`)
  // docker swarm init creates the bridge docker_gwbridge, which outlives the swarm.
  const bridge = (await docker(['network', 'inspect', GATEWAY_BRIDGE], { allowFailure: true })).code === 0
  const init = await docker(['swarm', 'init', '--advertise-addr', '127.0.0.1'], { allowFailure: true })
  if (init.code !== 0) throw new Error(`docker swarm init --advertise-addr 127.0.0.1 failed: ${(init.err || init.out).trim().split('\n')[0]}`)
  // Should the tests be stopped before they leave it, the runner does (test/containers/run.ts).
  await writeFile(SWARM_CREATED, bridge ? 'swarm\n' : `swarm ${GATEWAY_BRIDGE}\n`)
  return { created: true }
}

/** The bridge Docker makes for a swarm's containers to reach outside. */
const GATEWAY_BRIDGE = 'docker_gwbridge'

/** Leaves the swarm if `created` says this run made it, and removes the bridge the swarm made. */
export async function leaveSwarm (created: boolean): Promise<void> {
  if (created) await leaveSwarmCreated()
}

/** Leaves the swarm recorded in SWARM_CREATED, if any, with the bridge it made; the runner calls it after the tests. */
export async function leaveSwarmCreated (): Promise<boolean> {
  const made = await readFile(SWARM_CREATED, 'utf8').catch(() => undefined)
  if (made === undefined) return false
  await docker(['swarm', 'leave', '--force'], { allowFailure: true })
  if (made.includes(GATEWAY_BRIDGE)) await docker(['network', 'rm', GATEWAY_BRIDGE], { allowFailure: true })
  await rm(SWARM_CREATED, { force: true })
  return true
}

/** A running task of the service: its container and its slot. */
export interface Task {
  readonly container: string
  readonly slot: number
}

/** The part of a chord peer's status the tests read. */
export interface TaskStatus extends PeerStatus {
  readonly version: string
  readonly replication?: { readonly moved?: { readonly pushed: number, readonly pulled: number, readonly handedOn: number } }
}

/** One deployed stack of the stack file: `<name>_peer`, its tasks and their volumes (`<name>_peer-<slot>`). */
export class Stack {
  readonly service: string
  private readonly mountpoints = new Map<number, string>()

  constructor (readonly name: string) {
    this.service = `${name}_${SERVICE}`
  }

  /** `docker stack deploy` with these Compose files (the stack file first) and `CHORDKV_IMAGE`. */
  async deploy (files: readonly string[], image: string): Promise<void> {
    await docker(['stack', 'deploy', ...files.flatMap(f => ['-c', f]), this.name], { env: { ...process.env, CHORDKV_IMAGE: image }, cwd: ROOT })
  }

  /** `docker service scale <service>=N`, returning at once. */
  async scale (replicas: number): Promise<void> {
    await docker(['service', 'scale', '--detach', `${this.service}=${replicas}`])
  }

  /** The service's running tasks, by slot. */
  async tasks (): Promise<Task[]> {
    const listed = await docker(['ps', '--filter', `label=com.docker.swarm.service.name=${this.service}`, '--format', '{{.ID}} {{.Label "com.docker.swarm.task.name"}}'])
    return listed.out.split('\n').filter(Boolean).map(line => {
      const [container, task] = line.split(' ') as [string, string]
      return { container, slot: Number(task.slice(this.service.length + 1).split('.')[0]) }
    }).sort((a, b) => a.slot - b.slot)
  }

  /** The control socket of the peer in `slot`, on the slot's volume. */
  async socket (slot: number): Promise<string> {
    let dir = this.mountpoints.get(slot)
    if (dir === undefined) {
      dir = (await docker(['volume', 'inspect', '--format', '{{.Mountpoint}}', `${this.service}-${slot}`])).out.trim()
      this.mountpoints.set(slot, dir)
    }
    return join(dir, 'chordkv.sock')
  }

  /** The sockets of the running tasks' peers. */
  async sockets (): Promise<string[]> {
    return Promise.all((await this.tasks()).map(async t => this.socket(t.slot)))
  }

  /** The status of every running task's peer; one that does not answer within 10 s fails the call. */
  async statuses (): Promise<TaskStatus[]> {
    return Promise.all((await this.sockets()).map(async path => {
      const client = await ControlClient.connect(path)
      try {
        const reply = await client.request({ op: 'status' }, { signal: AbortSignal.timeout(10_000) })
        if (reply.ok !== true) throw new Error(`status through ${path}: ${JSON.stringify(reply)}`)
        return reply as unknown as TaskStatus
      } finally {
        client.close()
      }
    }))
  }

  /** Waits until `replicas` tasks run and their peers are one ideal ring; resolves with their statuses. */
  async waitForRing (replicas: number, timeoutMs: number): Promise<TaskStatus[]> {
    let statuses: TaskStatus[] = []
    let problems: string[] = []
    await waitFor(async () => {
      try {
        statuses = await this.statuses()
        problems = statuses.length === replicas ? ringProblems(statuses) : [`${statuses.length} of ${replicas} tasks run`]
      } catch (err) {
        problems = [(err as Error).message]
      }
      return problems.length === 0
    }, timeoutMs, () => `the ${this.service} tasks are not one ideal ring of ${replicas}:\n${problems.slice(0, 10).join('\n')}`, 1000)
    return statuses
  }

  /** The service's tasks that failed (Swarm replaced them: the process exited with an error, or its health check failed), each with its error. */
  async replacedTasks (): Promise<string[]> {
    const listed = await docker(['service', 'ps', '--no-trunc', '--format', '{{.Name}} {{.CurrentState}}: {{.Error}}', this.service])
    return listed.out.split('\n').filter(line => line !== '' && !line.endsWith(': '))
  }

  /** Records moved by repair and hand-off since each peer started, by peer ID. */
  async moved (): Promise<Map<string, number>> {
    const statuses = await this.statuses()
    return new Map(statuses.map(s => {
      const m = s.replication?.moved
      return [s.peerId, m === undefined ? 0 : m.pushed + m.pulled + m.handedOn]
    }))
  }

  /** The service's log (every task's, stdout and stderr), since an RFC 3339 time if given. */
  async logs (since?: string): Promise<string> {
    const logs = await docker(['service', 'logs', '--raw', ...(since === undefined ? [] : ['--since', since]), this.service], { allowFailure: true })
    return logs.out + logs.err
  }

  /**
   * Follows the service's log from now on, every task's, also those that
   * stop meanwhile (a task removed by scaling down takes its log with it).
   */
  followLogs (): { text: () => string, stop: () => Promise<void> } {
    const child = spawn('docker', ['service', 'logs', '--raw', '--follow', '--since', new Date().toISOString(), this.service], { stdio: ['ignore', 'pipe', 'pipe'] })
    const chunks: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => { chunks.push(chunk) })
    child.stderr.on('data', (chunk: Buffer) => { chunks.push(chunk) })
    const closed = once(child, 'close')
    return {
      text: () => Buffer.concat(chunks).toString('utf8'),
      stop: async () => {
        child.kill()
        await closed
      }
    }
  }

  /**
   * Waits until the service's update (started by `docker service update`
   * or a new `docker stack deploy`) has completed; rejects if Swarm paused
   * or rolled it back.
   */
  async waitForUpdate (timeoutMs: number): Promise<void> {
    let state = ''
    await waitFor(async () => {
      state = (await docker(['service', 'inspect', '--format', '{{if .UpdateStatus}}{{.UpdateStatus.State}} {{.UpdateStatus.Message}}{{end}}', this.service])).out.trim()
      if (/^(paused|rollback)/.test(state)) throw new Error(`the update of ${this.service} stopped: ${state}`)
      return state.startsWith('completed')
    }, timeoutMs, () => `the update of ${this.service} did not complete: ${state}`, 1000)
  }

  /** Removes the stack, its tasks' containers, its network and its volumes. */
  async remove (): Promise<void> {
    await docker(['stack', 'rm', this.name], { allowFailure: true })
    await removeAll(`${this.name}_`)
  }
}

/** Records handed on by graceful leaves in these log lines (`left the ring: handed N records …, then M written meanwhile`). */
export function handedOnLeaving (logs: string): { started: number, leaves: number, records: number, failed: string[] } {
  let leaves = 0
  let records = 0
  for (const m of logs.matchAll(/^left the ring: handed (\d+) records to \S+, then (\d+) written meanwhile$/gm)) {
    leaves++
    records += Number(m[1]) + Number(m[2])
  }
  // A task's last line, printed as it exits, can be lost with its container when Swarm removes it at once.
  const started = [...logs.matchAll(/^leaving the ring$/gm)].length
  const failed = [...logs.matchAll(/^(?:.*graceful leave failed.*|kept \d+ keys?:.*)$/gm)].map(m => m[0])
  return { started, leaves, records, failed }
}

/** One slot's task replaced during a rolling update, in ms since the watch started. */
export interface Replacement {
  readonly slot: number
  /** The old task was gone from the running tasks. */
  readonly goneAt: number
  /** Its replacement's peer was a ring member again. */
  readonly joinedAt: number
}

/**
 * Watches a rolling update, sampling the running tasks every second: when
 * each slot's task went away, and when the peer of its replacement was a
 * ring member again.
 */
export class RollWatch {
  private readonly started = Date.now()
  private readonly first = new Map<number, string>()
  private readonly gone = new Map<number, number>()
  private readonly joined = new Map<number, number>()
  private readonly timer: ReturnType<typeof setInterval>
  private sampling: Promise<void> = Promise.resolve()

  constructor (private readonly stack: Stack) {
    this.timer = setInterval(() => { this.sampling = this.sample().catch(() => {}) }, 1000)
  }

  /** Stops watching; resolves with the slots replaced, in the order they went away. */
  async stop (): Promise<Replacement[]> {
    clearInterval(this.timer)
    await this.sampling
    return [...this.gone].flatMap(([slot, goneAt]) => {
      const joinedAt = this.joined.get(slot)
      return joinedAt === undefined ? [] : [{ slot, goneAt, joinedAt }]
    }).sort((a, b) => a.goneAt - b.goneAt)
  }

  private async sample (): Promise<void> {
    const now = Date.now() - this.started
    const running = new Map((await this.stack.tasks()).map(t => [t.slot, t.container]))
    if (this.first.size === 0) {
      for (const [slot, container] of running) this.first.set(slot, container)
      return
    }
    for (const [slot, container] of this.first) {
      const current = running.get(slot)
      if (current !== container && !this.gone.has(slot)) this.gone.set(slot, now)
      if (current === undefined || current === container || this.joined.has(slot)) continue
      const client = await ControlClient.connect(await this.stack.socket(slot)).catch(() => undefined)
      if (client === undefined) continue
      try {
        const reply = await client.request({ op: 'status' }, { signal: AbortSignal.timeout(5000) }).catch(() => undefined)
        if (reply?.state === 'joined') this.joined.set(slot, now)
      } finally {
        client.close()
      }
    }
  }
}

/** A rolling update's replacements in words: how long each slot's peer was out of the ring, and how long the ring was whole before the next went. */
export function describeRoll (replacements: readonly Replacement[]): string {
  const out = replacements.map(r => r.joinedAt - r.goneAt)
  const whole = replacements.slice(1).map((r, i) => r.goneAt - (replacements[i] as Replacement).joinedAt)
  const s = (ms: readonly number[]): string => ms.map(v => (v / 1000).toFixed(0)).join(', ')
  return `each task out of the ring for ${s(out)} s (old task gone until its replacement joined); the ring whole for ${s(whole)} s before the next task went`
}
