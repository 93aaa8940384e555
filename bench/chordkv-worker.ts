/**
 * One of the worker processes over which bench/chordkv-run.ts spreads a
 * chordkv ring. It hosts some of the ring's peers and does what the
 * coordinator asks over the IPC channel: start peers, report their
 * snapshots, run operation i of the workload through one of its peers and
 * time it here (so the IPC round trip is not counted), measure its RSS and
 * idle CPU. It exits when the coordinator goes away.
 */
import { parseArgs } from 'node:util'
import { startPeer, stopAll } from '../src/chord/testnet.js'
import { RpcChannel } from '../src/network/rpc-channel.js'
import { idleCpu } from './idle-cpu.js'
import { procStatus, rssMiB } from './stats.js'
import { workload } from './workload.js'
import type { ChordPeer } from '../src/chord/peer.js'
import type { NodeSnapshot } from '../src/ring/invariants.js'

/** What the coordinator asks; `peer` is an index among this worker's peers, `key` one into the workload. */
export type Command =
  | { op: 'start', count: number, bootstrap: string[] }
  | { op: 'snapshots' }
  | { op: 'idle', ms: number }
  | { op: 'rss' }
  | { op: 'put', peer: number, key: number }
  | { op: 'get', peer: number, key: number }
  | { op: 'stop' }

/** The answer to each command. */
export interface Answers {
  /** The new peers' addresses. */
  start: string[]
  snapshots: { successorListLength: number, snapshots: Array<[string, NodeSnapshot]> }
  /** CPU over the window, % of one core, and the requests this worker's peers sent meanwhile. */
  idle: { cpuPct: number, requests: number }
  /** Growth since the worker started (before its first peer), the process's whole RSS (MiB), and its threads. */
  rss: { growthMiB: number, totalMiB: number, threads: number }
  put: { ms: number, ok: boolean }
  /** `correct`: the value put came back. */
  get: { ms: number, ok: boolean, correct: boolean }
  stop: null
}

/** What the worker sends: ready once its baseline RSS is taken, then one reply per command. */
export type WorkerMessage =
  | { ready: true }
  | { id: number, answer: Answers[Command['op']] }
  | { id: number, error: string }

const { values } = parseArgs({ options: { seed: { type: 'string' }, keys: { type: 'string' } } })
const work = workload(values.seed as string, Number(values.keys))
const peers: ChordPeer[] = []
const rssBefore = rssMiB()

// Counts the requests this process's peers send: every /chordkv/1.0.0
// request goes out through RpcChannel.call, whatever the stream mode.
let requestsSent = 0
const call = RpcChannel.prototype.call
RpcChannel.prototype.call = async function (this: RpcChannel, ...args: Parameters<RpcChannel['call']>) {
  requestsSent++
  return call.apply(this, args)
}

function entry (command: { peer: number, key: number }): { peer: ChordPeer, key: Uint8Array, value: Uint8Array } {
  const peer = peers[command.peer]
  const item = work[command.key]
  if (peer === undefined || item === undefined) throw new RangeError(`no peer ${command.peer} or key ${command.key} here`)
  return { peer, ...item }
}

async function timed<T> (what: string, operation: () => Promise<T>): Promise<{ ms: number, result?: T }> {
  const started = performance.now()
  try {
    const result = await operation()
    return { ms: performance.now() - started, result }
  } catch (err) {
    console.error(`${what} failed: ${(err as Error).message}`)
    return { ms: performance.now() - started }
  }
}

async function run (command: Command): Promise<Answers[Command['op']]> {
  switch (command.op) {
    case 'start': {
      const started = await Promise.all(Array.from({ length: command.count }, async () => startPeer(command.bootstrap)))
      peers.push(...started)
      return started.map(p => (p.getMultiaddrs()[0] as { toString: () => string }).toString())
    }
    case 'snapshots':
      return {
        successorListLength: peers[0]?.services.chord.status().successorListLength ?? 0,
        snapshots: peers.map(p => [p.services.chord.self.peer, p.services.chord.snapshot()])
      }
    case 'idle': {
      const before = requestsSent
      const cpuPct = await idleCpu(command.ms)
      return { cpuPct, requests: requestsSent - before }
    }
    case 'rss': {
      const totalMiB = rssMiB()
      return { growthMiB: totalMiB - rssBefore, totalMiB, threads: procStatus('Threads') }
    }
    case 'put': {
      const { peer, key, value } = entry(command)
      const { ms, result } = await timed(`put ${command.key}`, async () => peer.services.chord.put(key, value))
      return { ms, ok: result !== undefined }
    }
    case 'get': {
      const { peer, key, value } = entry(command)
      const { ms, result } = await timed(`get ${command.key}`, async () => peer.services.chord.get(key))
      const got = result?.record?.value
      return { ms, ok: result !== undefined, correct: got !== undefined && Buffer.from(got).equals(Buffer.from(value)) }
    }
    case 'stop':
      await stopAll(peers)
      return null
  }
}

const send = (message: WorkerMessage): void => { process.send?.(message) }
process.on('message', (message: { id: number, command: Command }) => {
  run(message.command).then(
    answer => { send({ id: message.id, answer }) },
    (err: Error) => { send({ id: message.id, error: err.message }) }
  )
})
process.on('disconnect', () => process.exit(0))
send({ ready: true })
