import assert from 'node:assert/strict'
import { test } from 'node:test'
import { UnreachableError } from '../../src/errors.js'
import { checkPredecessor } from '../../src/maintenance/check-predecessor.js'
import { PeriodicTask } from '../../src/maintenance/scheduler.js'
import { Liveness } from '../../src/node/liveness.js'
import { ref } from '../utils/ring-fixtures.js'
import { FakeClock } from '../utils/sim-network.js'
import type { MaintenanceContext } from '../../src/maintenance/context.js'
import type { NodeRef } from '../../src/ring/node-ref.js'

const BASE_MS = 5_000
/** As ChordNode's: the predecessor's slowest stabilize period with jitter, plus the check's period. */
const RECENT_MS = 2_000 * 16 * 1.2 + BASE_MS

/** check-predecessor on its periodic task, over a fake clock; the predecessor answers pings while `up`. */
function checked () {
  const clock = new FakeClock()
  const liveness = new Liveness(clock, 10_000)
  const pred = ref(10)
  const runs: number[] = []
  const pings: number[] = []
  const world = { up: true }
  const ctx = {
    state: { predecessor: pred },
    liveness,
    transport: {
      ping: async (to: NodeRef) => {
        pings.push(clock.now())
        if (!world.up || to.peer !== pred.peer) throw new UnreachableError(`${to.peer} is down`)
      }
    },
    log: () => {},
    peerFailed: (node: NodeRef) => { liveness.failed(node.peer) }
  } as unknown as MaintenanceContext
  const task = new PeriodicTask(clock, { intervalMs: BASE_MS, jitter: 0 }, async () => {
    runs.push(clock.now())
    return checkPredecessor(ctx, RECENT_MS)
  }, err => { throw err })
  return { clock, liveness, pred, runs, pings, world, task }
}

test('a predecessor heard from by its stabilize is never pinged, and the check wakes only when that word would go stale', async () => {
  const { clock, liveness, pred, runs, pings, task } = checked()
  liveness.alive(pred.peer)
  task.start()
  // Its stabilize reaches this peer every 32 s (its slowest period at rest) for 10 minutes.
  for (let t = 0; t < 600_000; t += 32_000) {
    await clock.advance(32_000)
    liveness.alive(pred.peer)
  }
  task.stop()
  assert.deepEqual(pings, [], 'no ping while the predecessor is heard from')
  // A check every 5 s would have run 120 times; each run now sleeps until the last word is RECENT_MS old.
  assert.ok(runs.length <= 600_000 / 32_000 + 2, `${runs.length} runs in 10 minutes`)
})

test('a predecessor gone silent is pinged as soon as its last word is RECENT_MS old, and marked suspect when it does not answer', async () => {
  const { clock, liveness, pred, pings, world, task } = checked()
  liveness.alive(pred.peer)
  task.start()
  await clock.advance(20_000)
  liveness.alive(pred.peer) // last heard at 20 s
  world.up = false
  await clock.advance(120_000)
  task.stop()
  assert.ok(pings.length > 0, 'the silent predecessor is pinged')
  // A periodic check pings on its first run after the word went stale: at most one period late.
  assert.ok((pings[0] as number) <= 20_000 + RECENT_MS, `first ping at ${pings[0]} ms, the word went stale at ${20_000 + RECENT_MS} ms`)
  assert.ok((pings[0] as number) >= 20_000 + RECENT_MS - 1, 'not before the word went stale')
  assert.equal(liveness.isSuspect(pred.peer), true)
})

test('a predecessor never heard from, or whose connections closed, is pinged on the next run', async () => {
  const { clock, liveness, pred, pings, task } = checked()
  task.start()
  await clock.advance(BASE_MS)
  assert.deepEqual(pings, [BASE_MS], 'never heard from: pinged at the first run')
  // It answered; its connections then close (ChordNode.disconnected forgets the word and triggers the check).
  liveness.disconnected(pred.peer)
  task.trigger()
  await clock.advance(0)
  task.stop()
  assert.deepEqual(pings, [BASE_MS, BASE_MS])
})

test('PeriodicTask: a run that names when it is next due runs then, and a trigger still runs it at once', async () => {
  const clock = new FakeClock()
  const runs: number[] = []
  const task = new PeriodicTask(clock, { intervalMs: 100, jitter: 0 }, async () => {
    runs.push(clock.now())
    return { inMs: 1_000 }
  }, err => { throw err })
  task.start()
  await clock.advance(2_200)
  task.trigger()
  await clock.advance(0)
  task.stop()
  assert.deepEqual(runs, [100, 1_100, 2_100, 2_200])
})
