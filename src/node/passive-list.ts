import type { Clock } from './clock.js'
import type { NodeRef } from '../ring/node-ref.js'

/**
 * Why a peer is on the passive list: it dropped out of this node's view by
 * failure or disconnection, or it is a bootstrap entry or a remembered
 * member that may not be on this node's ring.
 */
export type PassiveReason = 'failed' | 'known'

export interface PassiveEntry {
  readonly node: NodeRef
  readonly reason: PassiveReason
  /** When the entry was added or last re-added (clock ms). */
  readonly addedAt: number
  /** Probes in a row that got no answer. */
  readonly failures: number
  /** When the next probe is due (clock ms). */
  readonly nextProbeAt: number
  /** The wait before that probe, before jitter (ms). */
  readonly waitMs: number
  /** When the peer last answered a probe (clock ms). */
  readonly lastAnswerAt?: number | undefined
}

export interface PassiveListOptions {
  /** Entries kept at most; the one heard from least recently goes first. */
  readonly capacity: number
  /** First wait before probing a new entry, and after an answer (ms). */
  readonly initialMs: number
  /** Longest wait between probes of an entry that does not answer (ms). */
  readonly maxMs: number
  /**
   * A `failed` entry silent for this long has its wait doubled past
   * `maxMs` with each probe it leaves unanswered, up to `slowMaxMs`: a cut
   * that lasted that long is found again a little later, and the dead of a
   * churning ring are not probed every `maxMs` for a day.
   */
  readonly patienceMs: number
  readonly slowMaxMs: number
  /** An entry that has not answered for this long is forgotten (ms). */
  readonly forgetMs: number
  /** Each wait varies by ±jitter (a fraction). */
  readonly jitter: number
  readonly random?: () => number
}

/**
 * The passive list of Shafaat, Ghodsi and Haridi ("Handling network
 * partitions and mergers in structured overlay networks"): peers outside
 * this node's current view that may still be alive, possibly in another
 * ring. Each is probed with exponential back-off; an answer from a member
 * of another ring starts a merge. Bounded in size and in probes per round,
 * and empty on a ring where nothing failed, so it costs nothing at rest.
 */
export class PassiveList {
  private readonly clock: Clock
  private readonly options: PassiveListOptions
  private readonly random: () => number
  private readonly entries = new Map<string, PassiveEntry>()

  constructor (clock: Clock, options: PassiveListOptions) {
    this.clock = clock
    this.options = options
    this.random = options.random ?? Math.random
  }

  get size (): number {
    return this.entries.size
  }

  has (peer: string): boolean {
    return this.entries.has(peer)
  }

  /** Every entry, in no particular order. */
  list (): PassiveEntry[] {
    return [...this.entries.values()]
  }

  /**
   * Adds a peer, or makes an existing entry due soon again (it is known
   * anew, or failed after answering). A failure of an entry whose probes go
   * unanswered is no news: it keeps its back-off and its silence.
   */
  add (node: NodeRef, reason: PassiveReason): void {
    const now = this.clock.now()
    const existing = this.entries.get(node.peer)
    if (existing !== undefined && existing.failures > 0 && reason === 'failed') return
    if (existing === undefined && this.entries.size >= this.options.capacity) this.evict()
    this.entries.set(node.peer, {
      node,
      reason: existing?.reason === 'known' ? 'known' : reason,
      addedAt: now,
      failures: 0,
      waitMs: this.options.initialMs,
      nextProbeAt: now + this.spread(this.options.initialMs),
      lastAnswerAt: existing?.lastAnswerAt
    })
  }

  remove (peer: string): void {
    this.entries.delete(peer)
  }

  /**
   * Up to `max` entries whose probe is due, longest overdue first; forgets
   * entries silent for longer than `forgetMs`. Each returned entry is
   * pushed back by the longest wait, so a probe still in flight is not
   * started twice; {@link answered} or {@link unanswered} reschedules it.
   */
  due (max: number): PassiveEntry[] {
    const now = this.clock.now()
    const due: PassiveEntry[] = []
    for (const [peer, entry] of this.entries) {
      if (now - (entry.lastAnswerAt ?? entry.addedAt) > this.options.forgetMs) {
        this.entries.delete(peer)
        continue
      }
      if (entry.nextProbeAt <= now) due.push(entry)
    }
    due.sort((a, b) => a.nextProbeAt - b.nextProbeAt)
    const taken = due.slice(0, max)
    for (const entry of taken) this.entries.set(entry.node.peer, { ...entry, nextProbeAt: now + this.options.maxMs })
    return taken
  }

  /** The peer answered but stays on the list (not a member yet, or in another ring): probe again after `afterMs`. */
  answered (peer: string, afterMs = this.options.initialMs): void {
    const entry = this.entries.get(peer)
    if (entry === undefined) return
    const now = this.clock.now()
    this.entries.set(peer, { ...entry, failures: 0, lastAnswerAt: now, waitMs: afterMs, nextProbeAt: now + this.spread(afterMs) })
  }

  /**
   * The probe got no answer: wait twice as long as last time, up to
   * `maxMs`, or for a failed peer silent past `patienceMs`, up to `slowMaxMs`.
   * Returns how many probes in a row it has now left unanswered.
   */
  unanswered (peer: string): number {
    const entry = this.entries.get(peer)
    if (entry === undefined) return 0
    const now = this.clock.now()
    const { initialMs, maxMs, patienceMs, slowMaxMs } = this.options
    const patient = entry.reason === 'failed' && now - (entry.lastAnswerAt ?? entry.addedAt) >= patienceMs
    const wait = Math.min(patient ? slowMaxMs : maxMs, Math.max(initialMs, 2 * entry.waitMs))
    this.entries.set(peer, { ...entry, failures: entry.failures + 1, waitMs: wait, nextProbeAt: now + this.spread(wait) })
    return entry.failures + 1
  }

  /** Whether some entry answered within the last `ms` (this node knows live peers outside its view). */
  answeredWithin (ms: number): boolean {
    const now = this.clock.now()
    for (const entry of this.entries.values()) if (entry.lastAnswerAt !== undefined && now - entry.lastAnswerAt <= ms) return true
    return false
  }

  private spread (ms: number): number {
    const { jitter } = this.options
    return ms * (1 - jitter + 2 * jitter * this.random())
  }

  private evict (): void {
    let oldest: PassiveEntry | undefined
    for (const entry of this.entries.values()) {
      if (oldest === undefined || (entry.lastAnswerAt ?? entry.addedAt) < (oldest.lastAnswerAt ?? oldest.addedAt)) oldest = entry
    }
    if (oldest !== undefined) this.entries.delete(oldest.node.peer)
  }
}
