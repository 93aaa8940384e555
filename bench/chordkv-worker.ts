/**
 * One of the worker processes over which a benchmark spreads one chordkv
 * ring (bench/ring-workers.ts). It hosts some of the ring's peers and does
 * what the coordinator asks over the IPC channel: start peers and wait for
 * them to join, crash one, report their snapshots, fingers, connections and
 * memory, sample its CPU and traffic, and run one lookup, get or put through
 * one of its peers, timed here (so the IPC round trip is not counted). It
 * exits when the coordinator goes away.
 */
import { readdirSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { ChordNode } from '../src/chord/node.js'
import { RingMerger } from '../src/chord/ring-merger.js'
import { startPeer, stopAll } from '../src/chord/testnet.js'
import { crash } from '../test/utils/network.js'
import { wrongFingers } from './fingers.js'
import { procStatus, rssMiB } from './stats.js'
import { countTraffic, type Traffic } from './traffic.js'
import type { ChordPeer } from '../src/chord/peer.js'
import type { RingInit } from '../src/chord/testnet.js'
import type { RouteReply, Version } from '../src/protocol/messages.js'
import type { RingId } from '../src/ring/ids.js'
import type { NodeSnapshot } from '../src/ring/invariants.js'

/** A peer this worker started: `handle` names it in later commands. */
export interface StartedPeer {
  handle: number
  peer: string
  id: RingId
  addr: string
  /** It became a member within the join timeout. */
  joined: boolean
  /** It founded a ring of its own instead of joining (its bootstrap peers did not let it in in time). */
  founded: boolean
  /** Why it founded, as it logged. */
  foundedWhy?: string
  /** What its last failed round of asking its known peers met, when it founded after one. */
  lastProblem?: string
  /** Start to member (ms). */
  joinMs: number
}

export type OpKind = 'lookup' | 'get' | 'put'

/** How one operation went, timed in the worker. */
export interface OpAnswer {
  ms: number
  /** Set when it failed: the error's code (TIMEOUT, UNREACHABLE, QUORUM, …) and message. */
  error?: { code: string, message: string }
  hops?: number
  owner?: string
  /** get: the record's version and value (none: NOT_FOUND); put: the version the owner holds. */
  version?: Version
  value?: Uint8Array
  /** put: replicas (the owner included) that stored it. */
  replicas?: number
}

/** The process's CPU (ms) and traffic so far, at `at` (ms on this process's clock). */
export interface Sample extends Traffic {
  at: number
  cpuMs: number
  peers: number
  /** The event loop's delay since the previous sample: 99th percentile and maximum (ms); a saturated process shows it first. */
  loopDelayP99Ms: number
  loopDelayMaxMs: number
  /** Stabilize rounds run so far by this worker's peers. */
  stabilizeRounds: number
  /** Ring tags raised so far by this worker's peers, by why (the reason's first words). */
  tagRaises: Record<string, number>
  /** Lookups and routed operations started so far by this worker's peers, by the module that started them (fix-fingers, data-node…). */
  lookupsBy: Record<string, number>
  /** Splits found and invitations taken so far by this worker's peers, crashed ones included (merge stats). */
  splitsFound: number
  invitations: number
}

/** What the coordinator asks; `peer` is a handle from `start`. */
export type Command =
  | { op: 'start', bootstraps: string[][] }
  | { op: 'snapshots' }
  | { op: 'sample' }
  | { op: 'resources' }
  | { op: 'fingers', ids: RingId[] }
  | { op: 'run', peer: number, kind: OpKind, key: Uint8Array, value?: Uint8Array }
  | { op: 'crash', peer: number }
  | { op: 'stop' }

/** The answer to each command. */
export interface Answers {
  start: StartedPeer[]
  snapshots: { successorListLength: number, snapshots: Array<[string, NodeSnapshot]> }
  sample: Sample
  /**
   * RSS growth since the worker started (before its first peer) and its
   * whole RSS (MiB), threads, open file descriptors, and each live peer's
   * connections.
   */
  resources: { growthMiB: number, totalMiB: number, threads: number, fds: number, connections: number[] }
  fingers: { wrong: number, checked: number }
  run: OpAnswer
  crash: null
  stop: null
}

/** What the worker sends: ready once its baseline RSS is taken, then one reply per command. */
export type WorkerMessage =
  | { ready: true }
  | { id: number, answer: Answers[Command['op']] }
  | { id: number, error: string }

const { values } = parseArgs({ options: { successors: { type: 'string' }, 'join-timeout-ms': { type: 'string', default: '120000' }, 'no-loop-delay': { type: 'boolean', default: false } } })
const ring: RingInit = values.successors === undefined ? {} : { successors: Number(values.successors) }
const joinTimeoutMs = Number(values['join-timeout-ms'])
/** Live peers by handle; a crashed peer's slot is emptied. */
const peers: Array<ChordPeer | undefined> = []
const rssBefore = rssMiB()
const traffic = countTraffic()
const loopDelay = monitorEventLoopDelay({ resolution: 10 })
if (values['no-loop-delay'] !== true) loopDelay.enable()
// Every stabilize round reads its neighbourhood twice (before and after): counted there. Bench code only.
let neighbourhoodReads = 0
const node = ChordNode.prototype as unknown as { neighbourhood: () => string }
const { neighbourhood } = node
if (typeof neighbourhood !== 'function') throw new Error('ChordNode no longer has neighbourhood() to count stabilize rounds on')
node.neighbourhood = function (this: ChordNode) {
  neighbourhoodReads++
  return neighbourhood.call(this)
}
const tagRaises: Record<string, number> = {}
const merger = RingMerger.prototype as unknown as { raiseTag: (why: string) => void }
const { raiseTag } = merger
merger.raiseTag = function (this: RingMerger, why: string) {
  const key = why.replace(/\S{20,}/g, '…').split(' ').slice(0, 4).join(' ')
  tagRaises[key] = (tagRaises[key] ?? 0) + 1
  raiseTag.call(this, why)
}

// Every lookup or routed operation a peer starts goes through send(): counted
// there by the first module on the stack outside ChordNode. Bench code only.
const lookupsBy: Record<string, number> = {}
const sender = ChordNode.prototype as unknown as { send: (...args: unknown[]) => Promise<unknown> }
const startLookup = sender.send
if (typeof startLookup !== 'function') throw new Error('ChordNode no longer has send() to count lookups on')
sender.send = async function (this: ChordNode, ...args: unknown[]) {
  const origin = /\/(?:src|bench)\/(?!chord\/node\.js)([\w/-]+)\.js:/.exec(new Error().stack?.split('\n').slice(2).join('\n') ?? '')?.[1] ?? 'other'
  lookupsBy[origin] = (lookupsBy[origin] ?? 0) + 1
  return startLookup.apply(this, args)
}

function peerAt (handle: number): ChordPeer {
  const peer = peers[handle]
  if (peer === undefined) throw new RangeError(`no live peer ${handle} here`)
  return peer
}

/** Splits found and invitations taken by the peers that crashed here: counts only grow, crashes or not. */
const crashedMergeStats = { splitsFound: 0, invitations: 0 }

/** Splits found and invitations taken by this worker's peers, the crashed ones included. */
function mergeStats (peersNow: readonly ChordPeer[] = live()): { splitsFound: number, invitations: number } {
  const sum = { ...crashedMergeStats }
  for (const p of peersNow) {
    const { stats } = p.services.chord.testing.node.merger
    sum.splitsFound += stats.splitsFound
    sum.invitations += stats.invitations
  }
  return sum
}

const live = (): ChordPeer[] => peers.filter((p): p is ChordPeer => p !== undefined)

/** Starts a peer and resolves once it is a member (or the join timeout passed). */
async function start (bootstrap: readonly string[]): Promise<StartedPeer> {
  const t0 = performance.now()
  const peer = await startPeer(bootstrap, ring)
  const chord = peer.services.chord
  let founded = false
  let foundedWhy: string | undefined
  let lastProblem: string | undefined
  chord.addEventListener('join-failed', evt => { lastProblem = evt.detail.error.message })
  await new Promise<void>(resolve => {
    const timer = setTimeout(resolve, joinTimeoutMs)
    const done = (): void => { clearTimeout(timer); resolve() }
    chord.addEventListener('joined', evt => { founded = evt.detail.why !== undefined; foundedWhy = evt.detail.why; done() }, { once: true })
    if (chord.joined) done()
  })
  const handle = peers.push(peer) - 1
  return { handle, peer: chord.self.peer, id: chord.self.id, addr: String(peer.getMultiaddrs()[0]), joined: chord.joined, founded, foundedWhy, lastProblem: founded ? lastProblem : undefined, joinMs: performance.now() - t0 }
}

/** Runs one operation through a peer; failures are answered, not thrown. */
async function run (peer: ChordPeer, kind: OpKind, key: Uint8Array, value: Uint8Array | undefined): Promise<OpAnswer> {
  const chord = peer.services.chord
  const started = performance.now()
  let reply: RouteReply
  try {
    reply = kind === 'lookup' ? await chord.lookup(key) : kind === 'get' ? await chord.get(key) : await chord.put(key, value ?? new Uint8Array())
  } catch (err) {
    const e = err as Error & { code?: string }
    return { ms: performance.now() - started, error: { code: e.code ?? e.name, message: e.message } }
  }
  return { ms: performance.now() - started, hops: reply.hops, owner: reply.owner.peer, version: reply.record?.version, value: reply.record?.value, replicas: reply.replicas }
}

async function answer (command: Command): Promise<Answers[Command['op']]> {
  switch (command.op) {
    case 'start':
      return Promise.all(command.bootstraps.map(start))
    case 'snapshots':
      return {
        successorListLength: live()[0]?.services.chord.status().successorListLength ?? 0,
        snapshots: live().map(p => [p.services.chord.self.peer, p.services.chord.snapshot()])
      }
    case 'sample': {
      const cpu = process.cpuUsage()
      const delay = { loopDelayP99Ms: loopDelay.percentile(99) / 1e6, loopDelayMaxMs: loopDelay.max / 1e6 }
      loopDelay.reset()
      return { at: performance.now(), cpuMs: (cpu.user + cpu.system) / 1000, peers: live().length, ...delay, stabilizeRounds: neighbourhoodReads / 2, tagRaises: { ...tagRaises }, lookupsBy: { ...lookupsBy }, ...mergeStats(), ...traffic() }
    }
    case 'resources': {
      const totalMiB = rssMiB()
      return { growthMiB: totalMiB - rssBefore, totalMiB, threads: procStatus('Threads'), fds: readdirSync('/proc/self/fd').length, connections: live().map(p => p.getConnections().length) }
    }
    case 'fingers': {
      const sum = { wrong: 0, checked: 0 }
      for (const peer of live()) {
        const { wrong, checked } = wrongFingers(peer, command.ids)
        sum.wrong += wrong
        sum.checked += checked
      }
      return sum
    }
    case 'run':
      return run(peerAt(command.peer), command.kind, command.key, command.value)
    case 'crash': {
      const peer = peerAt(command.peer)
      peers[command.peer] = undefined
      const gone = mergeStats([peer])
      crashedMergeStats.splitsFound = gone.splitsFound
      crashedMergeStats.invitations = gone.invitations
      await crash(peer)
      return null
    }
    case 'stop':
      await stopAll(live())
      return null
  }
}

const send = (message: WorkerMessage): void => { process.send?.(message) }
process.on('message', (message: { id: number, command: Command }) => {
  answer(message.command).then(
    answer => { send({ id: message.id, answer }) },
    (err: Error) => { send({ id: message.id, error: err.message }) }
  )
})
process.on('disconnect', () => process.exit(0))
send({ ready: true })
