import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import { VERSION } from '../version.js'
import type { RingView } from './ring-walk.js'
import type { OperationKind, OperationObserver } from '../operation-observer.js'
import type { ChordService } from './service.js'

/** Seconds; operations take a millisecond on a quiet LAN and up to the 10 s lookup timeout. */
const DURATION_BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
/** Hops: about ½·log2 N, bounded by ring.maxHops. */
const HOP_BUCKETS = [0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 24, 32, 64]

/** Events of the ring's health that are counted; the ring's membership logic reports them as it detects them. */
export type RingEvent = 'split-suspected' | 'merge-done'

/**
 * chordkv's Prometheus metrics. Operations are counted as they happen (this
 * is the service's {@link OperationObserver}); everything else is read from
 * the service when Prometheus scrapes, so the ring code carries no
 * instrumentation.
 */
export class ChordMetrics implements OperationObserver {
  readonly registry: Registry
  private readonly operations: Counter<'kind' | 'outcome'>
  private readonly duration: Histogram<'kind'>
  private readonly hops: Histogram<'kind'>
  private readonly walks: Counter
  private readonly violations: Counter
  private readonly ringEvents: Counter<'event'>

  constructor (registry = new Registry()) {
    this.registry = registry
    const registers = [registry]
    this.operations = new Counter({ name: 'chordkv_operations_total', help: 'Operations run for local clients, by kind (put, get, del, lookup) and outcome (ok, not_found or the error code)', labelNames: ['kind', 'outcome'], registers })
    this.duration = new Histogram({ name: 'chordkv_operation_duration_seconds', help: 'Time from the request to the owner\'s answer, by kind', labelNames: ['kind'], buckets: DURATION_BUCKETS, registers })
    this.hops = new Histogram({ name: 'chordkv_operation_hops', help: 'Hops a successful operation took to reach the key\'s owner, by kind', labelNames: ['kind'], buckets: HOP_BUCKETS, registers })
    this.walks = new Counter({ name: 'chordkv_ring_walks_total', help: 'Walks of the whole ring (chordkv ring, the ring page)', registers })
    this.violations = new Counter({ name: 'chordkv_invariant_violations_total', help: 'Violations of Zave\'s ring invariants found over the members\' reports of a closed ring walk', registers })
    this.ringEvents = new Counter({ name: 'chordkv_ring_events_total', help: 'Ring health events: split-suspected (this peer saw signs of a second ring), merge-done (two rings became one)', labelNames: ['event'], registers })
    for (const event of ['split-suspected', 'merge-done'] satisfies RingEvent[]) this.ringEvents.inc({ event }, 0)
    new Gauge({ name: 'chordkv_info', help: 'chordkv\'s version, as a label', labelNames: ['version'], registers }).set({ version: VERSION }, 1)
  }

  operation (kind: OperationKind, outcome: string, ms: number, hops?: number): void {
    this.operations.inc({ kind, outcome: outcome.toLowerCase() })
    this.duration.observe({ kind }, ms / 1000)
    if (hops !== undefined) this.hops.observe({ kind }, hops)
  }

  /** Counts a walk of the ring and the invariant violations it found. */
  ringWalked (view: RingView): void {
    this.walks.inc()
    this.violations.inc(view.warnings.filter(w => w.startsWith('invariant ')).length)
  }

  /** Counts a split suspected or a merge done (fed by the ring's membership events). */
  ringEvent (event: RingEvent): void {
    this.ringEvents.inc({ event })
  }

  /** Reads the ring and data gauges from `chord`'s status at each scrape. */
  watch (chord: ChordService): void {
    const registers = [this.registry]
    new Gauge({
      name: 'chordkv_joined',
      help: '1 while this peer is a ring member, 0 while it joins or after it left',
      registers,
      collect () { this.set(chord.status().state === 'joined' ? 1 : 0) }
    })
    new Gauge({
      name: 'chordkv_keys',
      help: 'Live keys this peer holds, as the owner of their arc or as a replica',
      labelNames: ['role'],
      registers,
      async collect () {
        const { keys } = chord.status().records
        const owned = await chord.ownedKeys()
        this.set({ role: 'owned' }, owned)
        this.set({ role: 'replicated' }, keys - owned)
      }
    })
    new Gauge({ name: 'chordkv_tombstones', help: 'Deleted keys remembered until their grace period ends', registers, collect () { this.set(chord.status().records.tombstones) } })
    new Gauge({ name: 'chordkv_expiring_values', help: 'Values held here that expire (put --ttl)', registers, collect () { this.set(chord.status().records.expiring) } })
    new Counter({ name: 'chordkv_values_expired_total', help: 'Values that expired here and were turned into deletions', registers, collect () { this.reset(); this.inc(chord.status().records.expired) } })
    new Gauge({ name: 'chordkv_successor_list_length', help: 'Entries in this peer\'s successor list', registers, collect () { this.set(chord.status().successors.length) } })
    new Gauge({ name: 'chordkv_successor_list_target', help: 'r: the successor-list length this peer keeps when the ring is large enough', registers, collect () { this.set(chord.status().successorListLength) } })
    new Gauge({
      name: 'chordkv_ring_size_estimate',
      help: 'Ring members, exact for rings of r or fewer, else estimated from the arc the successor list spans',
      registers,
      collect () { this.set(chord.status().ringSizeEstimate) }
    })
    // The service keeps running totals: each scrape reports them as they are.
    new Counter({ name: 'chordkv_repair_passes_total', help: 'Anti-entropy passes run with the replicas', registers, collect () { this.reset(); this.inc(chord.status().lastRepair.rounds) } })
    new Counter({ name: 'chordkv_repair_bytes_total', help: 'Record bytes anti-entropy moved, both ways', registers, collect () { this.reset(); this.inc(chord.status().moved.bytes) } })
    new Counter({
      name: 'chordkv_repair_records_total',
      help: 'Records anti-entropy moved: pushed to replicas that lacked them, or pulled from them',
      labelNames: ['direction'],
      registers,
      collect () {
        const { moved } = chord.status()
        this.reset()
        this.inc({ direction: 'pushed' }, moved.pushed)
        this.inc({ direction: 'pulled' }, moved.pulled)
      }
    })
  }
}
