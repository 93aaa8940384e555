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
 * Runs a maintenance task periodically with jitter, never two runs at once.
 * `trigger` asks for a run now (after the current one, if any), so events
 * such as a dead successor are handled without waiting for the period. A
 * task that returns false (nothing changed) backs off while the ring is
 * stable; one that returns true or nothing keeps the base period.
 */
export class PeriodicTask {
  private readonly clock: Clock
  private readonly options: PeriodicOptions
  private readonly task: () => Promise<boolean | undefined | void>
  private readonly onError: (err: unknown) => void
  private readonly random: () => number
  private period: number
  private timer: unknown
  private running = false
  private again = false
  private stopped = true

  constructor (clock: Clock, options: PeriodicOptions, task: () => Promise<boolean | undefined | void>, onError: (err: unknown) => void) {
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

  private schedule (ms: number): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer)
    this.timer = this.clock.setTimeout(() => { void this.run() }, ms)
  }

  private async run (): Promise<void> {
    this.timer = undefined
    this.running = true
    try {
      const changed = await this.task()
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
    const now = this.again
    this.again = false
    this.schedule(now ? 0 : this.nextDelay())
  }

  /** The period, spread by ±jitter so peers do not fall into step. */
  private nextDelay (): number {
    const { jitter } = this.options
    return this.period * (1 - jitter + 2 * jitter * this.random())
  }
}
