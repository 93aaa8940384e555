import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PeriodicTask } from '../../src/maintenance/scheduler.js'
import { FakeClock } from '../utils/sim-network.js'

/** A task on a fake clock that records when it ran and answers `changed` from a script. */
function scripted (clock: FakeClock, changed: () => boolean | undefined, maxIntervalMs?: number): { task: PeriodicTask, runs: number[] } {
  const runs: number[] = []
  const task = new PeriodicTask(clock, { intervalMs: 100, maxIntervalMs, jitter: 0 }, async () => {
    runs.push(clock.now())
    return changed()
  }, err => { throw err })
  return { task, runs }
}

/**
 * A task (base period 100 ms, backing off to `maxMs`, never finding a
 * change) whose fourth run, at 1500, blocks: `poke` is called while it
 * blocks, then the run is released and the clock advanced `thenMs`.
 */
async function pokedWhileBlocked (maxMs: number, poke: (task: PeriodicTask) => void, thenMs: number): Promise<{ runs: number[], overlapped: boolean }> {
  const clock = new FakeClock()
  const runs: number[] = []
  let active = 0
  let overlapped = false
  let release: (() => void) | undefined
  const task = new PeriodicTask(clock, { intervalMs: 100, maxIntervalMs: maxMs, jitter: 0 }, async () => {
    runs.push(clock.now())
    if (++active > 1) overlapped = true
    if (runs.length === 4) await new Promise<void>(resolve => { release = resolve })
    active--
    return false
  }, err => { throw err })
  task.start()
  await clock.advance(1500) // runs at 100, 300, 700, 1500; the fourth blocks
  assert.equal(runs.length, 4)
  poke(task)
  release?.()
  await new Promise(resolve => setImmediate(resolve)) // let the released run finish
  await clock.advance(0)
  await clock.advance(thenMs)
  task.stop()
  return { runs, overlapped }
}

describe('PeriodicTask', () => {
  it('doubles its period while nothing changes, up to the maximum', async () => {
    const clock = new FakeClock()
    const { task, runs } = scripted(clock, () => false, 400)
    task.start()
    await clock.advance(1500)
    task.stop()
    assert.deepEqual(runs, [100, 300, 700, 1100, 1500])
  })

  it('returns to the base period after a change', async () => {
    const clock = new FakeClock()
    const answers = [false, false, true, false]
    const { task, runs } = scripted(clock, () => answers.shift() ?? false, 800)
    task.start()
    await clock.advance(1000)
    task.stop()
    // 100 (no change) → +200 (no change) → +400 (change) → +100 (no change) → +200
    assert.deepEqual(runs, [100, 300, 700, 800, 1000])
  })

  it('keeps the base period without a maximum, or when the task reports nothing', async () => {
    const clock = new FakeClock()
    const noMax = scripted(clock, () => false)
    const silent = scripted(clock, () => undefined, 800)
    noMax.task.start()
    silent.task.start()
    await clock.advance(450)
    noMax.task.stop()
    silent.task.stop()
    assert.deepEqual(noMax.runs, [100, 200, 300, 400])
    assert.deepEqual(silent.runs, [100, 200, 300, 400])
  })

  /** Runs at 100, 300 and 700 (next due at 1500), then `poke` at 750; the runs until `until`. */
  async function pokedAt750 (poke: (task: PeriodicTask) => void, answers: boolean[], until: number): Promise<number[]> {
    const clock = new FakeClock()
    const { task, runs } = scripted(clock, () => answers.shift() ?? false, 800)
    task.start()
    await clock.advance(750)
    poke(task)
    await clock.advance(0)
    await clock.advance(until - 750)
    task.stop()
    return runs
  }

  it('runs at once on a trigger and resets a backed-off period', async () => {
    // the trigger ran at 750; its "no change" doubles the base period once: next at 950
    assert.deepEqual(await pokedAt750(task => { task.trigger() }, [], 1000), [100, 300, 700, 750, 950])
  })

  it('runs at once on a nudge and keeps a backed-off period', async () => {
    // the nudge ran at 750 and found nothing: the period stays at its maximum, next at 1550 (a trigger: 950)
    assert.deepEqual(await pokedAt750(task => { task.nudge() }, [], 1600), [100, 300, 700, 750, 1550])
  })

  it('a nudged run that finds a change returns to the base period', async () => {
    assert.deepEqual(await pokedAt750(task => { task.nudge() }, [false, false, false, true], 900), [100, 300, 700, 750, 850])
  })

  it('a nudge during a run queues one more run at once, at the period it has', async () => {
    const { runs } = await pokedWhileBlocked(800, task => { task.nudge() }, 900)
    // the queued run at 1500, then the period at its maximum: 2300
    assert.deepEqual(runs, [100, 300, 700, 1500, 1500, 2300])
  })

  it('never overlaps runs; a trigger during a run queues one more run at the base period', async () => {
    const { runs, overlapped } = await pokedWhileBlocked(1600, task => { task.trigger(); task.trigger() }, 300)
    assert.equal(overlapped, false)
    // one queued run at once, then the base period doubled once (not the backed-off 1600)
    assert.deepEqual(runs, [100, 300, 700, 1500, 1500, 1700])
  })

  it('a task with nothing left to do sleeps without a timer until woken; woken, it runs after its base period', async () => {
    const clock = new FakeClock()
    let work = 2
    const runs: number[] = []
    const task = new PeriodicTask(clock, { intervalMs: 100, jitter: 0 }, async () => {
      runs.push(clock.now())
      if (work > 0) work--
      return work === 0 ? 'idle' : undefined
    }, err => { throw err })
    task.start()
    await clock.advance(1000)
    assert.deepEqual(runs, [100, 200])
    work = 1
    task.wake()
    task.wake()
    await clock.advance(1000)
    assert.deepEqual(runs, [100, 200, 1100])
    // A trigger runs it at once, idle or not.
    task.trigger()
    await clock.advance(0)
    task.stop()
    task.wake()
    await clock.advance(1000)
    assert.deepEqual(runs, [100, 200, 1100, 2000])
  })
})
