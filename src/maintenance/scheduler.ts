import type { Clock } from '../node/clock.js'

/**
 * Runs a maintenance task periodically with jitter, never two runs at once.
 * `trigger` asks for a run now (after the current one, if any), so events
 * such as a dead successor are handled without waiting for the period.
 */
export class PeriodicTask {
  private readonly clock: Clock
  private readonly intervalMs: number
  private readonly jitter: number
  private readonly task: () => Promise<void>
  private readonly onError: (err: unknown) => void
  private readonly random: () => number
  private timer: unknown
  private running = false
  private again = false
  private stopped = true

  constructor (clock: Clock, intervalMs: number, jitter: number, task: () => Promise<void>, onError: (err: unknown) => void, random: () => number = Math.random) {
    this.clock = clock
    this.intervalMs = intervalMs
    this.jitter = jitter
    this.task = task
    this.onError = onError
    this.random = random
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

  /** Runs the task as soon as possible. */
  trigger (): void {
    if (this.stopped) return
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
      await this.task()
    } catch (err) {
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
    return this.intervalMs * (1 - this.jitter + 2 * this.jitter * this.random())
  }
}
