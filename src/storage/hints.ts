import { compareVersions, type KvRecord } from '../protocol/record.js'
import { sizeOf } from './repair.js'
import type { NodeRef } from '../ring/node-ref.js'

/** How much the hints may hold. */
export interface HintLimits {
  /** Records kept for replicas that missed them, at most. */
  readonly maxRecords: number
  /** Their bytes (keys, values and a per-record overhead), at most. */
  readonly maxBytes: number
}

/** What the hints hold and what became of them since start, for status. */
export interface HintStats {
  readonly records: number
  readonly bytes: number
  /** Replicas with hints waiting for them. */
  readonly replicas: number
  readonly delivered: number
  /** Dropped because repair made them unnecessary or the peer stopped being a replica. */
  readonly dropped: number
  /** Dropped, oldest first, to stay within the limits (repair restores those copies). */
  readonly overflowed: number
}

interface Hint {
  readonly replica: NodeRef
  readonly record: KvRecord
  readonly bytes: number
  /** When it was added, in the order of {@link HintedHandoff.mark}. */
  readonly seq: number
}

/**
 * Hinted hand-off (Dynamo, §4.6): writes a replica missed because it was
 * down, slow or suspected when its owner wrote are kept here, in memory,
 * and delivered when the replica answers again, so its copy comes back
 * without waiting for a repair pass. One hint per replica and key (the
 * newest version); bounded in records and bytes, the oldest going first.
 */
export class HintedHandoff {
  /** By replica and key, oldest first. */
  private readonly hints = new Map<string, Hint>()
  private readonly limits: HintLimits
  private bytes = 0
  private seq = 0
  private delivered = 0
  private dropped = 0
  private overflowed = 0

  constructor (limits: HintLimits) {
    this.limits = limits
  }

  /** Keeps `record` for `replica` (unless a newer version is already kept for it). */
  add (replica: NodeRef, record: KvRecord): void {
    const id = hintId(replica.peer, record.key)
    const old = this.hints.get(id)
    if (old !== undefined) {
      if (compareVersions(old.record.version, record.version) >= 0) return
      this.delete(id, old)
    }
    const bytes = sizeOf(record)
    this.hints.set(id, { replica, record, bytes, seq: ++this.seq })
    this.bytes += bytes
    for (const [oldest, hint] of this.hints) {
      if (this.hints.size <= this.limits.maxRecords && this.bytes <= this.limits.maxBytes) break
      this.delete(oldest, hint)
      this.overflowed++
    }
  }

  /** `replica` stored `record` after all: a hint for it (or an older version) is done. */
  stored (replica: NodeRef, record: KvRecord): void {
    const id = hintId(replica.peer, record.key)
    const hint = this.hints.get(id)
    if (hint !== undefined && compareVersions(hint.record.version, record.version) <= 0) this.delete(id, hint)
  }

  /** Records delivered to `replica`: their hints are done (unless a newer version came meanwhile). */
  deliveredTo (replica: NodeRef, records: readonly KvRecord[]): void {
    for (const record of records) {
      const id = hintId(replica.peer, record.key)
      const hint = this.hints.get(id)
      if (hint?.record !== record) continue
      this.delete(id, hint)
      this.delivered++
    }
  }

  /** The replicas with hints waiting. */
  replicas (): NodeRef[] {
    const out = new Map<string, NodeRef>()
    for (const hint of this.hints.values()) out.set(hint.replica.peer, hint.replica)
    return [...out.values()]
  }

  /** The oldest hints for `replica`, at most `maxRecords` records and (beyond the first) `maxBytes` bytes. */
  batch (replica: string, maxRecords: number, maxBytes: number): KvRecord[] {
    const out: KvRecord[] = []
    let bytes = 0
    for (const hint of this.hints.values()) {
      if (hint.replica.peer !== replica) continue
      if (out.length >= maxRecords || (out.length > 0 && bytes + hint.bytes > maxBytes)) break
      out.push(hint.record)
      bytes += hint.bytes
    }
    return out
  }

  /** A point in the order hints were added in: hints added up to it have seq ≤ the mark. */
  mark (): number {
    return this.seq
  }

  /**
   * Drops the hints for `replica` that are no longer needed: those added by
   * `upTo` (a {@link mark}) for which `unneeded` says so. Returns how many.
   */
  drop (replica: string, unneeded: (record: KvRecord) => boolean, upTo = Number.POSITIVE_INFINITY): number {
    let n = 0
    for (const [id, hint] of this.hints) {
      if (hint.replica.peer !== replica || hint.seq > upTo || !unneeded(hint.record)) continue
      this.delete(id, hint)
      n++
    }
    this.dropped += n
    return n
  }

  stats (): HintStats {
    return {
      records: this.hints.size,
      bytes: this.bytes,
      replicas: new Set([...this.hints.values()].map(h => h.replica.peer)).size,
      delivered: this.delivered,
      dropped: this.dropped,
      overflowed: this.overflowed
    }
  }

  private delete (id: string, hint: Hint): void {
    this.hints.delete(id)
    this.bytes -= hint.bytes
  }
}

function hintId (peer: string, key: Uint8Array): string {
  return `${peer}\u0000${Buffer.from(key).toString('latin1')}`
}
