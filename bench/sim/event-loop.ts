import { TimerHeap, type Timer } from './timer-heap.js'
import type { Clock } from '../../src/node/clock.js'

export interface EventLoopOptions {
  /**
   * Timers due within this many ms of the earliest one run as one batch
   * before the promise work they start: each runs at its own time, their
   * continuations up to this much later. 0 keeps time exact; a little
   * coarseness lets large rings run many timers per batch.
   * @default 0
   */
  readonly resolutionMs?: number
}

/** Wall-clock milliseconds of virtual time 0. */
const SIM_EPOCH_MS = 1_700_000_000_000

/** Batches run at one instant before the loop calls it a livelock (a task re-arming at 0 ms forever). */
const MAX_BATCHES_AT_ONE_INSTANT = 10_000

/**
 * A discrete-event clock for simulations: virtual time jumps from timer to
 * timer, kept in a binary heap, so a run costs per event rather than per
 * millisecond or per pending timer. After each batch of timers the loop
 * lets all the promise work they started run to completion (one macrotask
 * turn drains every microtask), so an `await` in the production code
 * resumes at the virtual time its timer fired.
 */
export class EventLoop implements Clock {
  /** Timers run so far. */
  fired = 0
  private time = 0
  private seq = 0
  private readonly heap = new TimerHeap()
  private readonly resolutionMs: number

  constructor (options: EventLoopOptions = {}) {
    this.resolutionMs = options.resolutionMs ?? 0
  }

  now (): number {
    return this.time
  }

  /** Wall-clock time: virtual time from a fixed epoch. */
  wallMs (): number {
    return SIM_EPOCH_MS + this.time
  }

  setTimeout (fn: () => void, ms: number): unknown {
    const timer: Timer = { at: this.time + Math.max(0, ms), seq: ++this.seq, fn }
    this.heap.push(timer)
    return timer
  }

  clearTimeout (handle: unknown): void {
    if (handle !== undefined) (handle as Timer).fn = undefined
  }

  /** Timers set and not yet run or cleared lie in here (cleared ones until they come up). */
  get pending (): number {
    return this.heap.size
  }

  /**
   * Runs every timer due up to `until`, or until `stop()` holds (checked
   * between batches). Time then stands at `until`, or where `stop` held.
   * Resolves with whether `stop` held.
   */
  async runUntil (until: number, stop?: () => boolean): Promise<boolean> {
    let instant = -1
    let batchesThere = 0
    for (;;) {
      if (stop?.() === true) return true
      const first = this.nextTimer()
      if (first === undefined || first.at > until) break
      if (first.at === instant) {
        if (++batchesThere > MAX_BATCHES_AT_ONE_INSTANT) throw new Error(`livelock: ${MAX_BATCHES_AT_ONE_INSTANT} batches of timers at ${instant} ms`)
      } else {
        instant = first.at
        batchesThere = 0
      }
      this.runBatch(Math.min(until, first.at + this.resolutionMs))
      await drain()
    }
    if (Number.isFinite(until)) this.time = Math.max(this.time, until)
    return stop?.() === true
  }

  /** Runs the clock for `ms` of virtual time. */
  async runFor (ms: number): Promise<void> {
    await this.runUntil(this.time + ms)
  }

  /**
   * Runs the clock until `pending` settles and returns its outcome. Throws
   * if it is still pending after `limitMs` of virtual time, or when no
   * timer is left that could settle it.
   */
  async settle<T> (pending: Promise<T>, limitMs = Number.POSITIVE_INFINITY): Promise<T> {
    let done = false
    const outcome = pending.then(value => { done = true; return { value } }, (error: unknown) => { done = true; return { error } })
    await drain()
    if (!await this.runUntil(this.time + limitMs, () => done)) {
      throw new Error(this.nextTimer() === undefined ? 'no timer left that could settle the operation' : `the operation did not settle within ${limitMs} virtual ms`)
    }
    const result = await outcome
    if ('error' in result) throw result.error
    return result.value
  }

  /**
   * Runs the timers due by `end`, each at its own time. Timers the batch
   * sets wait for the next one, after the promise work the batch started.
   */
  private runBatch (end: number): void {
    const last = this.seq
    for (let timer = this.nextTimer(); timer !== undefined && timer.at <= end && timer.seq <= last; timer = this.nextTimer()) {
      this.heap.pop()
      const fn = timer.fn as () => void
      timer.fn = undefined
      this.time = Math.max(this.time, timer.at)
      this.fired++
      fn()
    }
  }

  /** The earliest live timer, dropping cleared ones on the way. */
  private nextTimer (): Timer | undefined {
    let top = this.heap.peek()
    while (top !== undefined && top.fn === undefined) {
      this.heap.pop()
      top = this.heap.peek()
    }
    return top
  }
}

/** Lets every promise continuation already queued, and those they queue, run. */
async function drain (): Promise<void> {
  await new Promise(resolve => setImmediate(resolve))
}
