/**
 * What one system reports for one network size in the OpenDHT comparison
 * (bench/opendht.ts): chordkv's worker processes together
 * (bench/chordkv-run.ts), or the OpenDHT process (bench/opendht-worker.py
 * prints the same fields as JSON).
 */
export interface SystemReport {
  system: 'chordkv' | 'opendht'
  n: number
  keys: number
  /**
   * Start of the first peer until every peer serves (ms). chordkv: every peer
   * joined the ring; OpenDHT: a probe value put through the first node is
   * got through every node.
   */
  servingMs: number
  /** Start of the first peer until the network has formed (chordkv: ideal ring; OpenDHT: routing tables filled) (ms). */
  formMs: number
  /** Latencies of the puts that succeeded, measured where each ran (ms). */
  put: Latencies
  /** Latencies of the gets that finished (ms). */
  get: Latencies
  /** Gets that returned the value put, out of `keys`. */
  getCorrect: number
  /** (RSS after the operations − RSS before the first peer) / N, summed over the processes (MiB). */
  rssPerPeerMiB: number
  /** RSS of the processes after the operations, runtime included (MiB). */
  rssTotalMiB: number
  /** CPU of the processes over the idle window right after forming, as % of one core. */
  idleCpuFormedPct: number
  /** The same after the operations. */
  idleCpuPct: number
  /** Requests each peer sent per second over the idle window after the operations. */
  idleRequestsPerPeerPerS: number
  processes: number
  /** OS threads of the processes after the operations. */
  threads: number
}

export interface Latencies {
  p50: number
  p95: number
  p99: number
  /** Operations behind the percentiles. */
  ok: number
}
