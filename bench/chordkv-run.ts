/**
 * chordkv's side of the OpenDHT comparison: one ring of N peers spread over
 * W worker processes (bench/ring-workers.ts), so that chordkv, like
 * OpenDHT's threads, can use every core. The first peer founds the ring and
 * the others join through it, spread evenly over the workers; the
 * worker hosting the peer that runs an operation times it.
 */
import { latencies, sleep } from './stats.js'
import { RingWorkers, type RingPeer } from './ring-workers.js'
import { workload } from './workload.js'
import type { SystemReport } from './system-report.js'

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

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0)

/** Forms the ring, runs the workload, measures; the workers are gone when it returns or throws. */
export async function runChordkv (options: ChordkvRunOptions): Promise<SystemReport> {
  const { n, keys, idleMs, settleMs } = options
  const work = workload(options.seed, keys)
  // No event-loop delay sampling: its wakeups would count in chordkv's idle CPU and not in OpenDHT's.
  const ring = await RingWorkers.start({ workers: Math.min(options.workers, n), joinTimeoutMs: options.formTimeoutMs, loopDelay: false })
  /** CPU of all the workers over the idle window, and the requests each peer sent per second. */
  const idle = async (): Promise<{ cpuPct: number, requestsPerPeerPerS: number }> => {
    const usage = await ring.measure(idleMs)
    return { cpuPct: usage.cpuPct, requestsPerPeerPerS: usage.requests / n / usage.seconds }
  }
  try {
    const t0 = performance.now()
    const [founder] = await ring.startPeers([[]]) as [RingPeer]
    const peers = [founder, ...await ring.startPeers(Array.from({ length: n - 1 }, () => [founder.addr]))]
    const servingMs = performance.now() - t0
    if (peers.some(p => !p.joined)) throw new Error(`${peers.filter(p => !p.joined).length} of ${n} peers did not join within ${options.formTimeoutMs} ms`)
    const formMs = await ring.untilIdeal(options.formTimeoutMs - servingMs, 50) - t0
    console.error(`chordkv N=${n}: every peer joined after ${(servingMs / 1000).toFixed(1)} s, formed in ${(formMs / 1000).toFixed(1)} s over ${ring.processes} processes`)
    await sleep(settleMs)
    const { cpuPct: idleCpuFormedPct } = await idle()

    const peerAt = (i: number): string => (peers[i % n] as RingPeer).peer
    const putMs: number[] = []
    for (const [i, { key, value }] of work.entries()) {
      const { ms, error } = await ring.run(peerAt(i), 'put', key, value)
      if (error === undefined) putMs.push(ms)
    }
    const getMs: number[] = []
    let getCorrect = 0
    for (const [i, { key, value }] of work.entries()) {
      // read through a different peer than the one that wrote
      const { ms, error, value: got } = await ring.run(peerAt(i + Math.ceil(n / 2)), 'get', key)
      if (error === undefined) getMs.push(ms)
      if (got !== undefined && Buffer.from(got).equals(Buffer.from(value))) getCorrect++
    }
    console.error(`chordkv N=${n}: operations done`)

    await sleep(settleMs)
    const resources = await ring.resources()
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
      rssPerPeerMiB: sum(resources.map(r => r.growthMiB)) / n,
      rssTotalMiB: sum(resources.map(r => r.totalMiB)),
      idleCpuFormedPct,
      idleCpuPct,
      idleRequestsPerPeerPerS,
      processes: ring.processes,
      threads: sum(resources.map(r => r.threads))
    }
  } finally {
    await ring.close()
  }
}
