import { isPeerFailure, QuorumError, ReplicasUnavailableError } from '../errors.js'
import { checkTtl, type Limits } from '../limits.js'
import { compareVersions, isExpired, type KvRecord } from '../protocol/record.js'
import { ringIdOfKey } from '../ring/hash.js'
import { betweenRightIncl, type RingId } from '../ring/ids.js'
import { millisOf, type HybridClock } from './hlc.js'
import { intendedReplicas, readReplicas, replicateWrite, type ReplicaSet, type ReplicationOptions, type WriteFollowUp } from './replication.js'
import type { Coverage } from './coverage.js'
import type { Entry } from './entry.js'
import type { IndexedStore } from './indexed-store.js'
import type { JoinerArcs } from './joiner-arcs.js'
import type { OwnedArc } from './owned-arc.js'
import type { Clock } from '../node/clock.js'
import type { DataTransport } from '../protocol/ports.js'
import type { DataOp, OpResult } from '../protocol/messages.js'
import type { Logger } from '@libp2p/interface'

export interface KeyOwnerComponents {
  readonly records: IndexedStore
  /** The replicas a write goes to and a read consults. */
  readonly ring: ReplicaSet
  readonly transport: DataTransport
  /** This peer's hybrid logical clock: versions too far ahead are refused, others observed. */
  readonly hlc: HybridClock
  readonly clock: Clock
  /** Where the arc this peer owns starts. */
  readonly arc: OwnedArc
  /** Whether a key this peer lacks may be answered NOT_FOUND. */
  readonly coverage: Coverage
  /** The limits every key and value is checked against. */
  readonly entry: Entry
  /** Told of the replicas a write missed, for hinted hand-off. */
  readonly followUp: WriteFollowUp
  /** Joiners that copied an arc this peer still owns: its writes go to them too. */
  readonly joiners: Pick<JoinerArcs, 'holding' | 'size'>
  readonly log: Logger
}

export interface KeyOwnerInit {
  readonly limits: Limits
  readonly replication: ReplicationOptions
}

/**
 * A peer as the owner of a key, where a routed operation runs: a write is
 * stored here and sent to the other k−1 replicas (acknowledged once W hold
 * it; replicas that miss it are told to hinted hand-off), and a read is
 * answered from here, consulting the other replicas when this copy is
 * missing or may be stale.
 */
export class KeyOwner {
  private readonly components: KeyOwnerComponents
  private readonly init: KeyOwnerInit

  constructor (components: KeyOwnerComponents, init: KeyOwnerInit) {
    this.components = components
    this.init = init
  }

  /** Runs a data operation on this peer, the key's owner. */
  async execute (op: DataOp): Promise<OpResult> {
    const { records, hlc, clock, entry, transport, ring, followUp } = this.components
    entry.checkLimits(op.key, op.kind === 'put' ? op.value : undefined)
    if (op.kind === 'get') {
      const record = await this.read(op.key)
      return { record: record?.value === undefined || isExpired(record, clock.wallMs()) ? undefined : record }
    }
    // The clocks of the peer it entered at and of the key's owner disagree.
    hlc.refuseAhead(op.version, this.init.replication.maxClockOffsetMs, `a ${op.kind} version`)
    hlc.observe(op.version)
    const record = op.kind === 'put' ? this.putRecord(op) : { key: op.key, value: undefined, version: op.version }
    const outcome = await records.put(record)
    const written = { ...outcome.stored, value: undefined }
    // Lost on arrival to a newer version: nothing to replicate; the entry peer may stamp it again.
    if (compareVersions(outcome.stored.version, op.version) > 0) return { record: written, replicas: 0 }
    const [replicas] = await Promise.all([replicateWrite(transport, ring, this.init.replication, record, followUp), this.toJoiners(record)])
    return { record: written, existed: outcome.applied && outcome.previous?.value !== undefined, replicas }
  }

  /**
   * The owner's read. Its own copy answers alone (the common case) unless
   * the read quorum asks for more, or the key lies in an arc it is taking
   * over: outside (predecessor, self], routed here because the owner before
   * it died, or taken over since its last repair pass. There another
   * replica may hold a newer version than its own. A miss is confirmed with
   * the other replicas: the newest copy found is returned and stored here.
   * "No such key" is answered only when this peer can vouch for it (see
   * {@link Coverage}) and another replica agreed (in an arc it is taking
   * over, each of its k−1 replicas); otherwise the read fails with
   * REPLICAS_UNAVAILABLE, which is retryable.
   */
  private async read (key: Uint8Array): Promise<KvRecord | undefined> {
    const { records, transport, ring, hlc, coverage } = this.components
    const { factor, readQuorum, maxClockOffsetMs } = this.init.replication
    const local = await records.get(key)
    const id = ringIdOfKey(key)
    const taken = this.beyondOwnArc(id) || coverage.recentlyTaken(id)
    if (local !== undefined && readQuorum <= 1 && !taken) return local
    const count = local === undefined || taken ? Math.max(factor - 1, readQuorum - 1) : readQuorum - 1
    const { newest, answeredBy, candidates } = await readReplicas(records, transport, ring, key, local, count, hlc, maxClockOffsetMs)
    if (answeredBy.size + 1 < readQuorum) {
      throw new QuorumError(`only ${answeredBy.size + 1} replicas answered the read; the read quorum is ${readQuorum}`)
    }
    if (newest !== undefined) return newest
    if (count > 0 && candidates > 0 && answeredBy.size === 0) {
      throw new ReplicasUnavailableError(`no value here and none of the key's other replicas answered (${candidates} tried); its absence is unconfirmed, retry`)
    }
    // A peer standing in for a replica that did not answer never held the arc: its "none" confirms nothing.
    const unheard = taken ? intendedReplicas(ring, factor).filter(r => !answeredBy.has(r.peer)) : []
    if (unheard.length > 0) {
      throw new ReplicasUnavailableError(`no value here, in an arc this peer took over lately, and not every replica of it answered (silent: ${unheard.map(r => r.peer).join(', ')}); its absence is unconfirmed, retry`)
    }
    const uncovered = coverage.uncovered(id)
    if (uncovered !== undefined) throw new ReplicasUnavailableError(`no value here, but ${uncovered}; its absence is unconfirmed, retry`)
    return undefined
  }

  /**
   * A peer that copied its arc from this one vouches for the arc from then
   * on, while this peer takes the writes for it until the joiner serves its
   * keys (storage/joiner-arcs.ts): a write taken meanwhile goes to the
   * joiner as well, before it is acknowledged. One it cannot take while this
   * peer still owns the arc (the joiner not a member yet, or out of reach)
   * reaches it by its catch-up. Once the arc is the joiner's, this peer
   * takes a write for it only in the joiner's stead (it refused it, not
   * settled yet), and the write is acknowledged only once the joiner has it
   * too, or is suspected of having crashed.
   */
  private async toJoiners (record: KvRecord): Promise<void> {
    const { joiners, transport, clock, ring, log } = this.components
    // Almost always none: no key hash on a write's path for them.
    if (joiners.size === 0) return
    const id = ringIdOfKey(record.key)
    const to = joiners.holding(id, clock.now()).filter(j => !ring.isSuspect(j.peer))
    await Promise.all(to.map(async joiner => {
      try {
        await transport.store(joiner, [record])
      } catch (err) {
        if (isPeerFailure(err)) ring.peerFailed(joiner)
        if (this.beyondOwnArc(id)) throw err
        log('a write for the arc %s copied went to it in vain: %s', joiner.peer, (err as Error).message)
      }
    }))
  }

  /** Whether `id` lies outside (predecessor, self]: routed here in the stead of the peers before this one. */
  private beyondOwnArc (id: RingId): boolean {
    const from = this.components.arc.follow()
    return from !== undefined && !betweenRightIncl(from, id, this.components.ring.self.id)
  }

  /**
   * The record a put writes. An expiring value expires `ttlMs` after its
   * version's millisecond: every copy of the write, on every replica,
   * expires at the same instant of the writer's clock.
   */
  private putRecord (op: Extract<DataOp, { kind: 'put' }>): KvRecord {
    const record = { key: op.key, value: op.value, version: op.version }
    if (op.ttlMs === undefined) return record
    checkTtl(this.init.limits, op.ttlMs)
    return { ...record, expiresAtMs: millisOf(op.version.timestamp) + op.ttlMs }
  }
}
