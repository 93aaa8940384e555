/**
 * chordkv's side of the OpenDHT comparison: one ring of N peers spread over
 * W worker processes (bench/chordkv-worker.ts), so that chordkv, like
 * OpenDHT's threads, can use every core. Peer p lives in worker p mod W;
 * the first worker's first peer founds the ring and the others join
 * through it. The coordinator checks the ring with every worker's
 * snapshots and sends each operation to the worker hosting the peer that
 * runs it, which times it.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { checkIdeal, type NodeSnapshot } from '../src/ring/invariants.js'
import { ownChild } from './cleanup.js'
import { percentile, sleep } from './stats.js'
import type { Answers, Command, WorkerMessage } from './chordkv-worker.js'
import type { Latencies, SystemReport } from './system-report.js'

export interface ChordkvRunOptions {
  readonly n: number
  readonly keys: number
  readonly seed: string
  /** Worker processes (at most N). */
  readonly workers: number
  readonly idleMs: number
  readonly settleMs: number
  readonly formTimeoutMs: number
}

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

function latencies (values: readonly number[]): Latencies {
  return { p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99), ok: values.length }
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0)

/**
 * Polls every worker's snapshots until all N peers are ring members and the
 * ring is ideal; returns when each happened (ms after `t0`).
 */
async function untilIdeal (workers: readonly Worker[], n: number, t0: number, timeoutMs: number): Promise<{ servingMs: number, formMs: number }> {
  const deadline = Date.now() + timeoutMs
  let servingMs: number | undefined
  while (true) {
    const answers = await Promise.all(workers.map(async w => w.ask({ op: 'snapshots' })))
    const snapshot = new Map<string, NodeSnapshot>(answers.flatMap(a => a.snapshots))
    const members = [...snapshot.values()].filter(s => s.alive && s.member).length
    if (members === n) {
      servingMs ??= performance.now() - t0
      if (checkIdeal(snapshot, answers[0]?.successorListLength ?? 0).length === 0) return { servingMs, formMs: performance.now() - t0 }
    }
    if (Date.now() > deadline) throw new Error(`the ring was not ideal within ${timeoutMs} ms (${members} of ${n} peers members)`)
    await sleep(50)
  }
}

/** Forms the ring, runs the workload, measures; the workers are gone when it returns or throws. */
export async function runChordkv (options: ChordkvRunOptions): Promise<SystemReport> {
  const { n, keys, idleMs, settleMs } = options
  const count = Math.min(options.workers, n)
  const workers = Array.from({ length: count }, () => new Worker(['--seed', options.seed, '--keys', String(keys)]))
  // Peer p is the peer p div W of worker p mod W.
  const on = (p: number): { worker: Worker, peer: number } => ({ worker: workers[p % count] as Worker, peer: Math.floor(p / count) })
  /** CPU of all the workers over the idle window, and the requests each peer sent per second. */
  const idle = async (): Promise<{ cpuPct: number, requestsPerPeerPerS: number }> => {
    const answers = await Promise.all(workers.map(async w => w.ask({ op: 'idle', ms: idleMs })))
    return { cpuPct: sum(answers.map(a => a.cpuPct)), requestsPerPeerPerS: sum(answers.map(a => a.requests)) / n / (idleMs / 1000) }
  }
  try {
    await Promise.all(workers.map(async w => w.ready))
    const t0 = performance.now()
    const [founder] = await on(0).worker.ask({ op: 'start', count: 1, bootstrap: [] })
    await Promise.all(workers.map(async (w, i) => w.ask({ op: 'start', count: Math.ceil((n - i) / count) - (i === 0 ? 1 : 0), bootstrap: [founder as string] })))
    const { servingMs, formMs } = await untilIdeal(workers, n, t0, options.formTimeoutMs)
    console.error(`chordkv N=${n}: every peer joined after ${(servingMs / 1000).toFixed(1)} s, formed in ${(formMs / 1000).toFixed(1)} s over ${count} processes`)
    await sleep(settleMs)
    const { cpuPct: idleCpuFormedPct } = await idle()

    const putMs: number[] = []
    for (let i = 0; i < keys; i++) {
      const { worker, peer } = on(i % n)
      const { ms, ok } = await worker.ask({ op: 'put', peer, key: i })
      if (ok) putMs.push(ms)
    }
    const getMs: number[] = []
    let getCorrect = 0
    for (let i = 0; i < keys; i++) {
      // read through a different peer than the one that wrote
      const { worker, peer } = on((i + Math.ceil(n / 2)) % n)
      const { ms, ok, correct } = await worker.ask({ op: 'get', peer, key: i })
      if (ok) getMs.push(ms)
      if (correct) getCorrect++
    }
    console.error(`chordkv N=${n}: operations done`)

    await sleep(settleMs)
    const rss = await Promise.all(workers.map(async w => w.ask({ op: 'rss' })))
    const { cpuPct: idleCpuPct, requestsPerPeerPerS: idleRequestsPerPeerPerS } = await idle()
    return {
      system: 'chordkv',
      n,
      keys,
      servingMs,
      formMs,
      put: latencies(putMs),
      get: latencies(getMs),
      getCorrect,
      rssPerPeerMiB: sum(rss.map(r => r.growthMiB)) / n,
      rssTotalMiB: sum(rss.map(r => r.totalMiB)),
      idleCpuFormedPct,
      idleCpuPct,
      idleRequestsPerPeerPerS,
      processes: count,
      threads: sum(rss.map(r => r.threads))
    }
  } finally {
    await Promise.all(workers.map(async w => w.close()))
  }
}
