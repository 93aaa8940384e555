import { MEMORY_TRIM } from './defaults.js'

/**
 * Gives the memory of a burst back once the peer is quiet again. A burst
 * of puts or a flood grows V8's heap, and V8 keeps the pages it grew (its
 * page pool, old space sized for the peak) until a memory-reducing
 * collection; its own memory reducer runs only soon after start-up, so a
 * peer kept 20 to 60 MiB more after 10,000 puts than at rest (bench:memory).
 * Every `checkMs` the peer looks at its resident memory and how busy it
 * was (its CPU time over the period); grown by `growthBytes` since the last trim and quiet, it
 * runs V8's last-resort collection (memory-reducing, about 70 ms at rest)
 * once, and has the store give back what it holds only while in use
 * (LevelDB's mapped table files, hundreds of MiB after a flood of large
 * values). Busy peers are left alone: the pause would land on requests.
 *
 * It needs `--expose-gc` (src/cli/runtime.ts); without it there is nothing
 * to trim with and it does nothing.
 */

export interface TrimSettings {
  readonly checkMs: number
  readonly quietUtilisation: number
  readonly growthBytes: number
}

/** What one check sees. */
export interface TrimSample {
  /** Resident memory now (bytes). */
  readonly rss: number
  /** The process's CPU time over the last period, as a share of one core (above 1 when threads ran too). */
  readonly utilisation: number
}

/**
 * Whether to trim now, and the level later growth counts from. The level
 * follows the memory down (pages the kernel took back) but not up.
 */
export function trimDecision (sample: TrimSample, level: number, settings: TrimSettings): { trim: boolean, level: number } {
  const trim = sample.utilisation < settings.quietUtilisation && sample.rss - level >= settings.growthBytes
  return { trim, level: Math.min(level, sample.rss) }
}

export interface MemoryTrimInit {
  readonly settings?: Partial<TrimSettings>
  /** The collection to run; default V8's last-resort one when `--expose-gc` gave it. */
  readonly collect?: () => void
  readonly rss?: () => number
  /** The process's CPU time since the last call, as a share of one core; default from `process.cpuUsage()`. */
  readonly utilisation?: () => number
  /** Gives back memory held outside the JavaScript heap (the store's), after the collection. */
  readonly release?: () => Promise<unknown>
  /** Called after each trim with the resident memory before and after (bytes). */
  readonly trimmed?: (before: number, after: number) => void
}

/** The periodic check; `stop()` ends it. */
export class MemoryTrim {
  private readonly settings: TrimSettings
  private readonly collect: (() => void) | undefined
  private readonly rss: () => number
  private readonly trimmed: (before: number, after: number) => void
  private readonly utilisation: () => number
  private readonly release: () => Promise<unknown>
  private checking = false
  private timer: ReturnType<typeof setInterval> | undefined
  private level = 0
  /** Trims run so far. */
  count = 0

  constructor (init: MemoryTrimInit = {}) {
    this.settings = { ...MEMORY_TRIM, ...init.settings }
    const gc = globalThis.gc
    this.collect = init.collect ?? (gc === undefined ? undefined : () => { gc({ type: 'major', execution: 'sync', flavor: 'last-resort' }) })
    this.rss = init.rss ?? (() => process.memoryUsage.rss())
    this.trimmed = init.trimmed ?? (() => {})
    this.utilisation = init.utilisation ?? cpuShare()
    this.release = init.release ?? (async () => {})
  }

  /** Whether there is a collection to trim with (`--expose-gc`). */
  get enabled (): boolean {
    return this.collect !== undefined
  }

  start (): void {
    if (this.collect === undefined || this.timer !== undefined) return
    this.level = this.rss()
    this.utilisation()
    this.timer = setInterval(() => { void this.check() }, this.settings.checkMs)
    this.timer.unref()
  }

  stop (): void {
    clearInterval(this.timer)
    this.timer = undefined
  }

  private async check (): Promise<void> {
    if (this.checking) return
    const rss = this.rss()
    const decision = trimDecision({ rss, utilisation: this.utilisation() }, this.level, this.settings)
    this.level = decision.level
    if (!decision.trim) return
    this.checking = true
    try {
      this.collect?.()
      // A store that cannot give back now (in use, or failing) keeps its memory until the next trim.
      await this.release().catch(() => {})
    } finally {
      this.checking = false
    }
    this.count++
    const after = this.rss()
    this.level = after
    this.trimmed(rss, after)
    // The trim's own busy time is not the peer's.
    this.utilisation()
  }
}

/**
 * The process's CPU time since the previous call over the wall time. Not
 * Node.js's event-loop utilisation: that lives in node:perf_hooks, whose
 * modules cost a resting peer 2 MiB (measured); busy is busy either way.
 */
function cpuShare (): () => number {
  let lastCpu = process.cpuUsage()
  let lastWall = process.hrtime.bigint()
  return () => {
    const cpu = process.cpuUsage()
    const wall = process.hrtime.bigint()
    const usedMicros = cpu.user - lastCpu.user + cpu.system - lastCpu.system
    const wallMicros = Number(wall - lastWall) / 1000
    lastCpu = cpu
    lastWall = wall
    return wallMicros > 0 ? usedMicros / wallMicros : 0
  }
}
