import { DATA } from '../defaults.js'
import { PeriodicTask } from '../maintenance/scheduler.js'
import type { Clock } from '../node/clock.js'
import type { DataNode } from '../storage/data-node.js'
import type { Logger } from '@libp2p/interface'

/** What repair moved in one pass that moved anything. */
export interface RepairMoved {
  readonly pushed: number
  readonly pulled: number
  readonly bytes: number
}

/**
 * The data node's background work while the peer is a member: anti-entropy
 * with the replicas, hand-off of records this peer no longer holds, and
 * delivery of writes kept for replicas that missed them, and turning
 * expired values into deletions. Ring changes bring
 * repair (and, for a new predecessor, hand-off) forward.
 */
export interface DataTasksComponents {
  readonly data: Pick<DataNode, 'repair' | 'repairTotals' | 'dropSurplus' | 'collectTombstones' | 'deliverHints' | 'hintStats' | 'hintKept' | 'expireDue' | 'expiring' | 'expiryQueued' | 'settle' | 'settleWanted'>
  readonly clock: Clock
  readonly log: Logger
  /** Told of each repair pass that moved records. */
  repairMoved (moved: RepairMoved): void
}

export interface DataTasksInit {
  /** Period of anti-entropy (ms). @default DATA.repairIntervalMs */
  readonly repairMs: number
  /** Longest period of hand-off (ms). @default DATA.handoffIntervalMs */
  readonly handoffMs: number
  /** Period of hint delivery while hints are held (ms). @default DATA.hintIntervalMs */
  readonly hintMs: number
  /** Repair stretches up to this many periods while it moves nothing. @default RING.stableBackoff */
  readonly stableBackoff: number
}

export class DataTasks {
  /** Records handed on to their holders (and deleted here) since start: they moved after a ring change. */
  handedOn = 0
  private readonly repair: PeriodicTask
  private readonly handoff: PeriodicTask
  private readonly hints: PeriodicTask
  private readonly expiry: PeriodicTask
  private readonly settle: PeriodicTask

  constructor (components: DataTasksComponents, periods: DataTasksInit) {
    const { data, clock, log } = components
    const onError = (what: string) => (err: unknown) => { log('%s failed: %s', what, (err as Error).message) }
    // Repair backs off while it finds nothing to move (neighbour changes reset it).
    this.repair = new PeriodicTask(clock, { intervalMs: periods.repairMs, maxIntervalMs: periods.repairMs * periods.stableBackoff, jitter: 0.2 }, async () => {
      const before = { ...data.repairTotals }
      await data.repair()
      const { pushed, pulled, bytes } = data.repairTotals
      if (pushed + pulled === before.pushed + before.pulled) return false
      components.repairMoved({ pushed: pushed - before.pushed, pulled: pulled - before.pulled, bytes: bytes - before.bytes })
      return true
    }, onError('repair'))
    // Hand-off runs again soon while it finds records to move (after joins and
    // merges the ring settles over several rounds; a pass on a half-settled
    // ring stops early), and backs off to its full period while it finds none.
    this.handoff = new PeriodicTask(clock, { intervalMs: Math.min(2000, periods.handoffMs), maxIntervalMs: periods.handoffMs, jitter: 0.2 }, async () => {
      const dropped = await data.dropSurplus()
      this.handedOn += dropped
      const collected = await data.collectTombstones()
      if (dropped + collected > 0) log('handed on %d surplus records, collected %d tombstones', dropped, collected)
      return dropped + collected > 0
    }, onError('hand-off'))
    // Sleeps while no write is kept for a replica; keeping one wakes it.
    this.hints = new PeriodicTask(clock, { intervalMs: periods.hintMs, jitter: 0.2 }, async () => {
      await data.deliverHints()
      return data.hintStats.records === 0 ? 'idle' : undefined
    }, onError('hinted hand-off'))
    data.hintKept = () => { this.hints.wake() }
    // Sleeps while no value held here expires; storing one wakes it.
    this.expiry = new PeriodicTask(clock, { intervalMs: DATA.expiryIntervalMs, jitter: 0 }, async () => {
      await data.expireDue()
      return data.expiring === 0 ? 'idle' : undefined
    }, onError('expiry'))
    data.expiryQueued = () => { this.expiry.wake() }
    // A joiner serves its keys once it settled (data-node.ts); ring changes try at once, this again until then.
    this.settle = new PeriodicTask(clock, { intervalMs: DATA.settleRetryMs, jitter: 0.2 }, async () => (await data.settle()) ? 'idle' : undefined, onError('settling'))
    data.settleWanted = () => { this.settle.wake() }
  }

  start (): void {
    this.handoff.start()
    this.hints.start()
    this.repair.start()
    this.expiry.start()
    this.settle.start()
  }

  stop (): void {
    this.handoff.stop()
    this.hints.stop()
    this.repair.stop()
    this.expiry.stop()
    this.settle.stop()
  }

  /** A new neighbour changes which peers hold which arcs: repair at once, and hand off to a new predecessor. */
  neighboursChanged (predecessor: boolean): void {
    this.repair.trigger()
    if (predecessor) this.handoff.trigger()
  }
}
