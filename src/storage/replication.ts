import { BusyError, isPeerFailure, QuorumError, RemoteError } from '../errors.js'
import { compareVersions, type KvRecord } from '../protocol/record.js'
import type { HybridClock } from './hlc.js'
import type { DataTransport } from '../protocol/ports.js'
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

/** The peers that should hold this owner's keys besides itself: its first k−1 successors, suspected or not. */
export function intendedReplicas (set: ReplicaSet, factor: number): NodeRef[] {
  return set.successors.filter(s => s.peer !== set.self.peer).slice(0, Math.max(0, factor - 1))
}

/** Where a write's copies went, for hinted hand-off. */
export interface WriteFollowUp {
  /** `replica` should hold `record` but has not stored it (down, slow or suspected). */
  missed (replica: NodeRef, record: KvRecord): void
  /** `replica` stored `record`: an older write kept for it there is moot. */
  stored (replica: NodeRef, record: KvRecord): void
}

/**
 * The owner's write, once it stored the record itself: sends it to k−1
 * successors at once, live-looking ones first (one that fails is replaced
 * by the next), and resolves with how many replicas stored it (the owner
 * included) once each has answered or failed. Waiting for every live
 * replica, not only W, is what puts an acknowledged write on all k; a
 * replica that is down or slow fails fast instead of holding the write up:
 * the transport times it out after its own round-trip estimate (RFC 6298)
 * and it stays suspected for a while. Fewer than W throws a QUORUM error:
 * the write is not acknowledged (replicas that did store it keep it; repair
 * spreads or supersedes it later). An intended replica (one of the first
 * k−1 successors) that did not store the write is reported to `followUp`,
 * which hands it the write when it answers again.
 */
export async function replicateWrite (transport: DataTransport, set: ReplicaSet, options: ReplicationOptions, record: KvRecord, followUp: WriteFollowUp): Promise<number> {
  const candidates = replicaCandidates(set)
  const intended = intendedReplicas(set, options.factor)
  const wanted = Math.min(options.factor - 1, candidates.length)
  const storedBy = new Set<string>()
  let pending = 0
  let next = 0
  /** Replicas that answered BUSY: a shortfall they caused is back-pressure, not lost replicas. */
  let busy = 0
  const done = Promise.withResolvers<void>()

  const launch = (): void => {
    while (storedBy.size + pending < wanted && next < candidates.length) {
      const target = candidates[next++] as NodeRef
      pending++
      transport.store(target, [record]).then(() => {
        storedBy.add(target.peer)
      }, (err: unknown) => {
        if (isPeerFailure(err)) set.peerFailed(target)
        else if (err instanceof RemoteError && err.code === 'BUSY') busy++
      }).finally(() => {
        pending--
        launch()
        // launch() keeps `wanted` copies in flight while candidates remain,
        // so nothing pending means nothing more can happen.
        if (pending === 0) done.resolve()
      })
    }
  }

  launch()
  if (pending === 0) done.resolve()
  await done.promise
  for (const replica of intended) {
    if (storedBy.has(replica.peer)) followUp.stored(replica, record)
    else followUp.missed(replica, record)
  }
  const replicas = storedBy.size + 1
  if (replicas < options.writeQuorum) {
    if (busy > 0) throw new BusyError(`only ${replicas} of ${options.factor} replicas stored the write and ${busy} were too busy to take it; the write is not acknowledged, retry later`)
    const small = candidates.length + 1 < options.writeQuorum ? ` (the ring has only ${candidates.length + 1} peer${candidates.length === 0 ? '' : 's'}; start more or lower the write quorum)` : ''
    throw new QuorumError(`only ${replicas} of ${options.factor} replicas stored the write; the write quorum is ${options.writeQuorum}${small}`)
  }
  return replicas
}

/** What a key's other replicas said about it. */
export interface ReplicaAnswers {
  /** The newest version among the local copy and theirs. */
  readonly newest: KvRecord | undefined
  /** The replicas that answered (the owner not counted). */
  readonly answeredBy: ReadonlySet<string>
  /** Replicas there were to ask. */
  readonly candidates: number
}

/**
 * Asks `count` other replicas of `key` at once (one that fails or refuses
 * is replaced by the next successor), takes the newest version among their copies and
 * `local`, and repairs stale copies: the local one before returning, the
 * replicas' in the background.
 */
export async function readReplicas (store: RecordStore, transport: DataTransport, set: ReplicaSet, key: Uint8Array, local: KvRecord | undefined, count: number, clock: HybridClock, maxAheadMs: number): Promise<ReplicaAnswers> {
  const answers: Array<{ from: NodeRef, record: KvRecord | undefined }> = []
  const candidates = replicaCandidates(set)
  let next = 0
  // A replica that fails is replaced by the next successor, a few times at most.
  const tries = Math.min(candidates.length, 2 * count)
  const ask = async (): Promise<void> => {
    while (next < tries) {
      const target = candidates[next++] as NodeRef
      try {
        const { records: [record] } = await transport.fetch(target, [key])
        answers.push({ from: target, record })
        return
      } catch (err) {
        // A live peer that refused (busy, leaving) did not answer either.
        if (isPeerFailure(err)) set.peerFailed(target)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(count, tries) }, ask))
  let newest = local
  for (const { record } of answers) {
    if (record === undefined || (newest !== undefined && compareVersions(record.version, newest.version) <= 0)) continue
    // A replica's version too far ahead of this clock is not taken (hlc.ts).
    if (clock.aheadMs(record.version) > maxAheadMs) continue
    newest = record
  }
  if (newest !== undefined) {
    const best = newest
    if (local === undefined || compareVersions(best.version, local.version) > 0) await store.put(best)
    for (const { from, record } of answers) {
      if (record === undefined || compareVersions(best.version, record.version) > 0) transport.store(from, [best]).catch(() => {})
    }
  }
  return { newest, answeredBy: new Set(answers.map(a => a.from.peer)), candidates: candidates.length }
}
