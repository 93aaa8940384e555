import { ChordError, isPeerFailure, RemoteError } from '../errors.js'
import { compareVersions, type KvRecord } from '../protocol/record.js'
import { checkVersionAhead } from './hlc.js'
import type { DataTransport } from '../network/transport.js'
import type { NodeRef } from '../ring/node-ref.js'
import type { RecordStore } from './store.js'

/** Replication factor and quorums. */
export interface ReplicationOptions {
  /** k: a key lives on its owner and the owner's next k−1 successors. */
  readonly factor: number
  /** W: replicas (the owner included) that must store a write before it is acknowledged. */
  readonly writeQuorum: number
  /** R: replicas (the owner included) a read consults; W + R > k gives read-your-writes. */
  readonly readQuorum: number
  /**
   * Once W replicas stored a write, how long to keep waiting for the rest
   * before acknowledging (ms). With healthy replicas every write is
   * acknowledged on all k, so it survives k−1 of them failing.
   */
  readonly settleMs: number
  /** Versions from other peers more than this far ahead of this peer's clock are refused (ms). */
  readonly maxClockOffsetMs: number
}

/** Who replicates for this owner: its successors, suspected ones last. */
export interface ReplicaSet {
  readonly self: NodeRef
  /** Successors in ring order (the replica candidates). */
  readonly successors: readonly NodeRef[]
  isSuspect (peer: string): boolean
  /** A replica failed as a dead peer would. */
  peerFailed (node: NodeRef): void
}

/** Successors to try as replicas, in order: live-looking ones first. */
export function replicaCandidates (set: ReplicaSet): NodeRef[] {
  const others = set.successors.filter(s => s.peer !== set.self.peer)
  return [...others.filter(s => !set.isSuspect(s.peer)), ...others.filter(s => set.isSuspect(s.peer))]
}

/**
 * The owner's write: stores the record here and on k−1 successors at once
 * (a successor that fails is replaced by the next one), and resolves with
 * how many replicas stored it as soon as all answered, or W did and
 * `settleMs` passed. Fewer than W throws a QUORUM error: the write is not
 * acknowledged (some replicas may still hold it; repair spreads or
 * supersedes it later).
 */
export async function replicateWrite (store: RecordStore, transport: DataTransport, set: ReplicaSet, options: ReplicationOptions, record: KvRecord): Promise<number> {
  const candidates = replicaCandidates(set)
  const wanted = Math.min(options.factor - 1, candidates.length)
  let stored = 0
  let pending = 0
  let next = 0
  /** Replicas that answered BUSY: a shortfall they caused is back-pressure, not lost replicas. */
  let busy = 0
  const done = Promise.withResolvers<void>()
  let settleTimer: ReturnType<typeof setTimeout> | undefined

  const check = (): void => {
    // launch() keeps `wanted` copies in flight while candidates remain, so
    // nothing pending means nothing more can happen.
    if (stored >= wanted || pending === 0) done.resolve()
    else if (stored + 1 >= options.writeQuorum && settleTimer === undefined) settleTimer = setTimeout(() => { done.resolve() }, options.settleMs)
  }
  const launch = (): void => {
    while (stored + pending < wanted && next < candidates.length) {
      const target = candidates[next++] as NodeRef
      pending++
      transport.store(target, [record]).then(() => { stored++ }, (err: unknown) => {
        if (isPeerFailure(err)) set.peerFailed(target)
        else if (err instanceof RemoteError && err.code === 'BUSY') busy++
      }).finally(() => {
        pending--
        launch()
        check()
      })
    }
  }

  await store.put(record)
  launch()
  check()
  await done.promise
  clearTimeout(settleTimer)
  const replicas = stored + 1
  if (replicas < options.writeQuorum) {
    if (busy > 0) throw new ChordError('BUSY', `only ${replicas} of ${options.factor} replicas stored the write and ${busy} were too busy to take it; the write is not acknowledged, retry later`)
    const small = candidates.length + 1 < options.writeQuorum ? ` (the ring has only ${candidates.length + 1} peers; start more or lower the write quorum)` : ''
    throw new ChordError('QUORUM', `only ${replicas} of ${options.factor} replicas stored the write; the write quorum is ${options.writeQuorum}${small}`)
  }
  return replicas
}

/**
 * The owner's read with a read quorum R: the local record plus R−1
 * successors' copies; the newest version wins and stale replicas are
 * repaired in the background. With R = 1 only the local copy is read.
 */
export async function quorumRead (store: RecordStore, transport: DataTransport, set: ReplicaSet, options: ReplicationOptions, key: Uint8Array): Promise<KvRecord | undefined> {
  const local = await store.get(key)
  if (options.readQuorum <= 1) return local
  const answers: Array<{ from: NodeRef, record: KvRecord | undefined }> = []
  const candidates = replicaCandidates(set)
  let next = 0
  // Ask R−1 replicas at once; each one that fails is replaced by the next.
  const ask = async (): Promise<void> => {
    while (answers.length < options.readQuorum - 1 && next < candidates.length) {
      const target = candidates[next++] as NodeRef
      try {
        const { records: [record] } = await transport.fetch(target, [key])
        answers.push({ from: target, record })
        return
      } catch (err) {
        if (!isPeerFailure(err)) throw err
        set.peerFailed(target)
      }
    }
  }
  await Promise.all(Array.from({ length: options.readQuorum - 1 }, ask))
  if (answers.length + 1 < options.readQuorum) {
    throw new ChordError('QUORUM', `only ${answers.length + 1} replicas answered the read; the read quorum is ${options.readQuorum}`)
  }
  let newest = local
  const now = Date.now()
  for (const { record } of answers) {
    if (record === undefined || (newest !== undefined && compareVersions(record.version, newest.version) <= 0)) continue
    // A replica's version too far ahead of this clock is not taken (hlc.ts).
    try {
      checkVersionAhead(record.version, now, options.maxClockOffsetMs)
    } catch {
      continue
    }
    newest = record
  }
  if (newest !== undefined) {
    const best = newest
    if (local === undefined || compareVersions(best.version, local.version) > 0) await store.put(best)
    for (const { from, record } of answers) {
      if (record === undefined || compareVersions(best.version, record.version) > 0) transport.store(from, [best]).catch(() => {})
    }
  }
  return newest
}
