import type { Clock } from '../node/clock.js'

export interface PeriodicOptions {
  readonly intervalMs: number
  /** Each period varies by ±jitter (a fraction) so peers do not act in step. */
  readonly jitter: number
  /**
   * While the task reports that nothing changed, its period doubles up to
   * this (ms); a change or a trigger brings it back to `intervalMs`.
   */
  readonly maxIntervalMs?: number
  readonly random?: () => number
}

/**
 * What a run of a task says: true or nothing, something changed (keep the
 * base period); false, nothing changed (back off); `'idle'`, nothing is
 * left to do (no run until a trigger: a task with nothing to watch costs no
 * timer); `{ inMs }`, nothing to do until then (a deadline the task knows,
 * such as when a peer last heard from goes quiet too long): the next run is
 * that far off, at the base period after it.
 */
export type TaskOutcome = boolean | undefined | void | 'idle' | { readonly inMs: number }

/**
 * Runs a maintenance task periodically with jitter, never two runs at once.
 * `trigger` asks for a run now (after the current one, if any), so events
 * such as a dead successor are handled without waiting for the period. A
 * task that returns false (nothing changed) backs off while the ring is
 * stable; one that returns true or nothing keeps the base period; one that
 * returns `'idle'` sleeps until triggered.
 */
export class PeriodicTask {
  private readonly clock: Clock
  private readonly options: PeriodicOptions
  private readonly task: () => Promise<TaskOutcome>
  private readonly onError: (err: unknown) => void
  private readonly random: () => number
  private period: number
  private timer: unknown
  private running = false
  private again = false
  /** Woken while running: it does not go idle after this run. */
  private woken = false
  /** Nudged while running: one more run at once, at the period it has. */
  private nudged = false
  private stopped = true

  constructor (clock: Clock, options: PeriodicOptions, task: () => Promise<TaskOutcome>, onError: (err: unknown) => void) {
    this.clock = clock
    this.options = options
    this.task = task
    this.onError = onError
    this.random = options.random ?? Math.random
    this.period = options.intervalMs
  }

  start (): void {
    if (!this.stopped) return
    this.stopped = false
    this.schedule(this.nextDelay())
  }

  stop (): void {
    this.stopped = true
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer)
    this.timer = undefined
  }

  /** Runs the task as soon as possible, and returns to the base period. */
  trigger (): void {
    if (this.stopped) return
    this.period = this.options.intervalMs
    if (this.running) {
      this.again = true
      return
    }
    this.schedule(0)
  }

  /**
   * Runs the task as soon as possible and keeps its period: for news that
   * may change nothing, such as a neighbour's new ring tag. A run that finds
   * a change returns to the base period by itself; one that finds none
   * backs off as any other, so a tag spreading round a ring costs each
   * member one round, not a return to its fastest period.
   */
  nudge (): void {
    if (this.stopped) return
    if (this.running) {
      this.nudged = true
      return
    }
    this.schedule(0)
  }

  /**
   * There is work again for a task that went idle: it runs after its base
   * period (not at once: what woke it, a write a replica missed, say, needs
   * time to pass). A task that is scheduled or running keeps its course.
   */
  wake (): void {
    if (this.stopped || this.timer !== undefined) return
    this.period = this.options.intervalMs
    if (this.running) {
      this.woken = true
      return
    }
    this.schedule(this.nextDelay())
  }

  private schedule (ms: number): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer)
    this.timer = this.clock.setTimeout(() => { void this.run() }, ms)
  }

  private async run (): Promise<void> {
    this.timer = undefined
    this.running = true
    let idle = false
    let due: number | undefined
    try {
      const changed = await this.task()
      idle = changed === 'idle' && !this.woken
      if (typeof changed === 'object' && !this.woken) due = Math.max(0, changed.inMs)
      const max = this.options.maxIntervalMs ?? this.options.intervalMs
      // A trigger while running already reset the period: the queued run starts from the base.
      this.period = changed === false && !this.again ? Math.min(max, this.period * 2) : this.options.intervalMs
    } catch (err) {
      this.period = this.options.intervalMs
      this.onError(err)
    } finally {
      this.running = false
    }
    if (this.stopped) return
    const now = this.again || this.nudged
    this.again = false
    this.nudged = false
    this.woken = false
    if (now || !idle) this.schedule(now ? 0 : due ?? this.nextDelay())
  }

  /** The period, spread by ±jitter so peers do not fall into step. */
  private nextDelay (): number {
    const { jitter } = this.options
    return this.period * (1 - jitter + 2 * jitter * this.random())
  }
}
