/**
 * One chordkv ring spread over several worker processes
 * (bench/chordkv-worker.ts), so that a benchmark can use every core and
 * hold more peers than one event loop serves well. The coordinator knows
 * every live peer and the worker hosting it; it gathers every worker's
 * snapshots to check the ring, and sends each operation to the worker
 * hosting the peer that runs it, which times it.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { checkIdeal, type NodeSnapshot } from '../src/ring/invariants.js'
import { ownChild } from './cleanup.js'
import { sleep } from './stats.js'
import type { Answers, Command, OpAnswer, OpKind, Sample, StartedPeer, WorkerMessage } from './chordkv-worker.js'
import type { RingId } from '../src/ring/ids.js'

const WORKER = fileURLToPath(new URL('./chordkv-worker.js', import.meta.url))

/** One worker process and its IPC channel; commands are answered in any order, matched by id. */
class Worker {
  readonly ready: Promise<void>
  private readonly child: ChildProcess
  private readonly pending = new Map<number, { resolve: (answer: unknown) => void, reject: (err: Error) => void }>()
  private nextId = 1

  constructor (args: readonly string[]) {
    // 'advanced' serialization carries the snapshots' bigint ring ids.
    this.child = ownChild(fork(WORKER, args, { execArgv: ['--expose-gc'], serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }))
    this.ready = new Promise((resolve, reject) => {
      this.child.on('message', (message: WorkerMessage) => {
        if ('ready' in message) return resolve()
        const waiter = this.pending.get(message.id)
        this.pending.delete(message.id)
        if ('error' in message) waiter?.reject(new Error(message.error))
        else waiter?.resolve(message.answer)
      })
      this.child.once('exit', code => {
        const err = new Error(`a chordkv worker exited with ${code}`)
        reject(err)
        for (const waiter of this.pending.values()) waiter.reject(err)
        this.pending.clear()
      })
    })
  }

  async ask<C extends Command> (command: C): Promise<Answers[C['op']]> {
    if (!this.child.connected) throw new Error('the chordkv worker is gone')
    const id = this.nextId++
    const answer = new Promise<unknown>((resolve, reject) => { this.pending.set(id, { resolve, reject }) })
    this.child.send({ id, command })
    return answer as Promise<Answers[C['op']]>
  }

  /** Stops the worker's peers and ends the worker. */
  async close (): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    const exited = once(this.child, 'exit')
    await this.ask({ op: 'stop' }).catch(() => {})
    if (this.child.connected) this.child.disconnect()
    await exited
  }
}

/**
 * File descriptors a peer holds at most while a ring forms: its listener and
 * its connections, 34 a peer at rest in a ring of 1000 and up to 57 while
 * it formed (connections to peers passing through its lists, pruned later).
 */
const FDS_PER_PEER = 60

/** This process's limit on open files (Linux), which its children inherit; 1024 when unknown. */
function openFilesLimit (): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find(l => l.startsWith('Max open files'))
    const soft = Number(line?.split(/\s{2,}/)[1])
    return Number.isFinite(soft) && soft > 0 ? soft : 1024
  } catch {
    return 1024
  }
}

/**
 * How many worker processes a ring of `peers` takes by default: one per
 * core, or more when that many peers per process would pass the limit on
 * open files. Fewer processes make faster hops: a hop that waits for
 * another process, sharing a core with others, cost about 1.1 ms at 8
 * processes on 2 cores against 0.4 ms with every peer in one process and
 * 0.6 ms with one per core (200 peers, `npm run bench:scale -- --peers 200
 * --workers W`).
 */
export function defaultWorkers (peers: number, cores = availableParallelism(), openFiles = openFilesLimit()): number {
  return Math.max(1, Math.min(peers, Math.max(cores, Math.ceil(peers * FDS_PER_PEER / openFiles))))
}

/** Counts by kind as `kind rate, …`, largest first, zeros left out; `rate` turns a count into what is shown. */
export const byKindText = (counts: Record<string, number>, rate: (count: number) => string): string =>
  Object.entries(counts).filter(([, c]) => c > 0).sort((a, b) => b[1] - a[1]).map(([k, c]) => `${k} ${rate(c)}`).join(', ')

/** A live peer of the ring, and the worker hosting it. */
export interface RingPeer extends StartedPeer {
  readonly worker: number
}

/** Sums over the workers of what they used and sent over a window. */
export interface Usage {
  seconds: number
  /** CPU of every worker, % of one core. */
  cpuPct: number
  requests: number
  /** Requests by message kind. */
  byKind: Record<string, number>
  frameBytes: number
  wireBytes: number
  /** TCP sockets opened (dialled and accepted). */
  socketsOpened: number
  /** Stabilize rounds the peers ran. */
  stabilizeRounds: number
  /** Ring tags raised, by why. */
  tagRaises: Record<string, number>
  /** Lookups and routed operations started, by the module that started them. */
  lookupsBy: Record<string, number>
  /** Splits found and invitations taken (by peers live at both ends of the window). */
  splitsFound: number
  invitations: number
  /** Live peers at the end of the window. */
  peers: number
  /** The worst worker's event-loop delay over the window: 99th percentile and maximum (ms). */
  loopDelayP99Ms: number
  loopDelayMaxMs: number
}

export interface RingWorkersOptions {
  readonly workers: number
  /** r; the peers' default when absent. */
  readonly successors?: number
  /** How long a starting peer may take to join before `start` gives up waiting (ms). */
  readonly joinTimeoutMs?: number
  /**
   * Whether the workers sample their event loop's delay (every 10 ms: a
   * hundred wakeups a second per process, part of the idle CPU measured).
   * Default true; a comparison of idle CPU with another system turns it off.
   */
  readonly loopDelay?: boolean
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0)

export class RingWorkers {
  /** Live peers by peer ID. */
  readonly peers = new Map<string, RingPeer>()
  private readonly workers: Worker[]
  private readonly hosted: number[]

  private constructor (workers: Worker[]) {
    this.workers = workers
    this.hosted = workers.map(() => 0)
  }

  /** Starts the worker processes (no peers yet). */
  static async start (options: RingWorkersOptions): Promise<RingWorkers> {
    const args = [
      ...(options.successors === undefined ? [] : ['--successors', String(options.successors)]),
      ...(options.joinTimeoutMs === undefined ? [] : ['--join-timeout-ms', String(options.joinTimeoutMs)]),
      ...(options.loopDelay === false ? ['--no-loop-delay'] : [])
    ]
    const ring = new RingWorkers(Array.from({ length: options.workers }, () => new Worker(args)))
    try {
      await Promise.all(ring.workers.map(async w => w.ready))
    } catch (err) {
      await ring.close()
      throw err
    }
    return ring
  }

  get processes (): number {
    return this.workers.length
  }

  /**
   * Starts one peer per bootstrap list, each on the worker hosting fewest
   * peers; resolves once each joined (or its join timeout passed).
   */
  async startPeers (bootstraps: readonly string[][]): Promise<RingPeer[]> {
    const batches = this.workers.map((): string[][] => [])
    for (const bootstrap of bootstraps) {
      const w = this.hosted.indexOf(Math.min(...this.hosted))
      batches[w]?.push(bootstrap)
      this.hosted[w] = (this.hosted[w] as number) + 1
    }
    const started = await Promise.all(batches.map(async (bootstraps, worker) => bootstraps.length === 0
      ? []
      : (await (this.workers[worker] as Worker).ask({ op: 'start', bootstraps })).map(p => ({ ...p, worker }))))
    for (const peer of started.flat()) this.peers.set(peer.peer, peer)
    return started.flat()
  }

  /** Crashes a peer: its connections are cut, it says no goodbye. */
  async crash (peer: string): Promise<void> {
    const p = this.peer(peer)
    this.peers.delete(peer)
    this.hosted[p.worker] = (this.hosted[p.worker] as number) - 1
    await this.on(p).ask({ op: 'crash', peer: p.handle })
  }

  /** Runs a lookup, get or put through a peer. */
  async run (peer: string, kind: OpKind, key: Uint8Array, value?: Uint8Array): Promise<OpAnswer> {
    const p = this.peer(peer)
    return this.on(p).ask({ op: 'run', peer: p.handle, kind, key, value })
  }

  /** Every live peer's snapshot, and r. */
  async snapshot (): Promise<{ r: number, snapshot: Map<string, NodeSnapshot> }> {
    const answers = await Promise.all(this.workers.map(async w => w.ask({ op: 'snapshots' })))
    return { r: Math.max(...answers.map(a => a.successorListLength)), snapshot: new Map(answers.flatMap(a => a.snapshots)) }
  }

  /** What keeps the ring from being ideal with every live peer a member (empty: ideal). */
  async idealProblems (): Promise<string[]> {
    const { r, snapshot } = await this.snapshot()
    const members = [...snapshot.values()].filter(s => s.alive && s.member).length
    if (members < this.peers.size) return [`${this.peers.size - members} of ${this.peers.size} peers are not members`]
    return checkIdeal(snapshot, r)
  }

  /**
   * Polls until the ring is ideal; resolves with the time it became so
   * (performance.now()). Throws past the timeout, with what was still wrong.
   */
  async untilIdeal (timeoutMs: number, pollMs: number): Promise<number> {
    const deadline = performance.now() + timeoutMs
    while (true) {
      const problems = await this.idealProblems()
      if (problems.length === 0) return performance.now()
      if (performance.now() > deadline) throw new Error(`the ring was not ideal within ${timeoutMs / 1000} s: ${problems.length} problems, e.g. ${problems.slice(0, 3).join('; ')}`)
      await sleep(pollMs)
    }
  }

  /** Fingers that do not point at the true successor of their start, over every live peer. */
  async fingers (): Promise<{ wrong: number, checked: number }> {
    const ids: RingId[] = [...this.peers.values()].map(p => p.id).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    const answers = await Promise.all(this.workers.map(async w => w.ask({ op: 'fingers', ids })))
    return { wrong: sum(answers.map(a => a.wrong)), checked: sum(answers.map(a => a.checked)) }
  }

  async sample (): Promise<Sample[]> {
    return Promise.all(this.workers.map(async w => w.ask({ op: 'sample' })))
  }

  /** What the workers used and sent between two samples. */
  static usage (before: readonly Sample[], after: readonly Sample[]): Usage {
    const delta = (f: (s: Sample) => number): number => sum(after.map((a, i) => f(a) - f(before[i] as Sample)))
    /** The delta of every key of a counted record, over the keys any worker counted. */
    const deltaByKey = (f: (s: Sample) => Record<string, number>): Record<string, number> =>
      Object.fromEntries([...new Set(after.flatMap(a => Object.keys(f(a))))].map(k => [k, delta(s => f(s)[k] ?? 0)]))
    return {
      seconds: Math.max(...after.map((a, i) => a.at - (before[i] as Sample).at)) / 1000,
      cpuPct: sum(after.map((a, i) => 100 * (a.cpuMs - (before[i] as Sample).cpuMs) / (a.at - (before[i] as Sample).at))),
      requests: delta(s => s.requests),
      byKind: deltaByKey(s => s.byKind),
      frameBytes: delta(s => s.frameBytes),
      stabilizeRounds: delta(s => s.stabilizeRounds),
      tagRaises: deltaByKey(s => s.tagRaises),
      lookupsBy: deltaByKey(s => s.lookupsBy),
      splitsFound: delta(s => s.splitsFound),
      invitations: delta(s => s.invitations),
      wireBytes: delta(s => s.wireBytes),
      socketsOpened: delta(s => s.socketsOpened),
      peers: sum(after.map(a => a.peers)),
      loopDelayP99Ms: Math.max(...after.map(a => a.loopDelayP99Ms)),
      loopDelayMaxMs: Math.max(...after.map(a => a.loopDelayMaxMs))
    }
  }

  /** What the workers use and send over the next `ms`. */
  async measure (ms: number): Promise<Usage> {
    const before = await this.sample()
    await sleep(ms)
    return RingWorkers.usage(before, await this.sample())
  }

  /**
   * Logs every `everyMs` what the ring did since the line before: CPU,
   * stabilize rounds, requests by kind and lookups started by module per peer per second, splits found,
   * merge invitations taken and ring tags raised (where a slow ring spends
   * its CPU). Returns the stopper.
   */
  watch (log: (line: string) => void, everyMs = 30_000): () => void {
    let last: Promise<Sample[]> = this.sample()
    const timer = setInterval(() => {
      const before = last
      last = this.sample()
      Promise.all([before, last]).then(([b, now]) => {
        const u = RingWorkers.usage(b, now)
        const per = (x: number): string => (x / Math.max(1, u.peers) / u.seconds).toFixed(2)
        log(`  last ${u.seconds.toFixed(0)} s: ${u.cpuPct.toFixed(0)} % of a core; per peer per s: ${per(u.stabilizeRounds)} stabilize rounds, ${per(u.requests)} requests (${byKindText(u.byKind, per)}), lookups started (${byKindText(u.lookupsBy, per)}); ${u.splitsFound} splits found, ${u.invitations} invitations taken, tags raised: ${Object.entries(u.tagRaises).filter(([, c]) => c > 0).map(([k, c]) => `${c} × ${k}`).join('; ') || 'none'}`)
      }).catch(() => {})
    }, everyMs)
    timer.unref()
    return () => { clearInterval(timer) }
  }

  async resources (): Promise<Array<Answers['resources']>> {
    return Promise.all(this.workers.map(async w => w.ask({ op: 'resources' })))
  }

  /** Stops every peer and worker. */
  async close (): Promise<void> {
    await Promise.all(this.workers.map(async w => w.close()))
  }

  private peer (peer: string): RingPeer {
    const p = this.peers.get(peer)
    if (p === undefined) throw new Error(`no live peer ${peer}`)
    return p
  }

  private on (peer: RingPeer): Worker {
    return this.workers[peer.worker] as Worker
  }
}
