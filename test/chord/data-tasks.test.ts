import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DataTasks, type DataTasksComponents, type RepairMoved } from '../../src/chord/data-tasks.js'
import { emptyStats } from '../../src/storage/repair.js'
import { FakeClock } from '../utils/sim-network.js'
import type { Logger } from '@libp2p/interface'

const silent = Object.assign(() => {}, { error: () => {}, trace: () => {}, enabled: false }) as unknown as Logger

/**
 * A data node whose passes are scripted: each repair moves what `moves`
 * says, each hand-off drops what `drops` says; `hints` writes are kept for
 * replicas, and each delivery delivers one.
 */
function scripted (moves: number[], drops: number[], hints = { held: 0 }, expiring = { held: 0 }, unsettled = { tries: 0 }): { data: DataTasksComponents['data'], calls: string[] } {
  const calls: string[] = []
  const repairTotals = emptyStats()
  return {
    calls,
    data: {
      hintKept: () => {},
      get hintStats () { return { records: hints.held, bytes: 0, replicas: 0, delivered: 0, dropped: 0, overflowed: 0 } },
      repairTotals,
      repair: async () => {
        calls.push('repair')
        const n = moves.shift() ?? 0
        repairTotals.pushed += n
        repairTotals.bytes += 10 * n
        return { ...repairTotals, rounds: 0, durationMs: 0, peers: 0 }
      },
      dropSurplus: async () => { calls.push('hand-off'); return drops.shift() ?? 0 },
      collectTombstones: async () => 0,
      deliverHints: async () => {
        calls.push('hints')
        hints.held = Math.max(0, hints.held - 1)
        return 1
      },
      expiryQueued: () => {},
      settleWanted: () => {},
      settle: async () => {
        calls.push('settle')
        unsettled.tries = Math.max(0, unsettled.tries - 1)
        return unsettled.tries === 0
      },
      get expiring () { return expiring.held },
      expireDue: async () => {
        calls.push('expiry')
        expiring.held = Math.max(0, expiring.held - 1)
        return 1
      }
    }
  }
}

test('repair reports only the passes that moved records; hand-off counts what it handed on', async () => {
  const clock = new FakeClock()
  const { data } = scripted([0, 3, 0], [2, 0])
  const moved: RepairMoved[] = []
  const tasks = new DataTasks({ data, clock, log: silent, repairMoved: m => { moved.push(m) } }, { repairMs: 1000, handoffMs: 1000, hintMs: 1000, stableBackoff: 1 })
  tasks.start()
  await clock.advance(3600)
  tasks.stop()
  assert.deepEqual(moved, [{ pushed: 3, pulled: 0, bytes: 30 }])
  assert.equal(tasks.handedOn, 2)
})

test('a neighbour change brings repair forward, and a new predecessor hand-off too; nothing runs once stopped', async () => {
  const clock = new FakeClock()
  const { data, calls } = scripted([], [])
  const tasks = new DataTasks({ data, clock, log: silent, repairMoved: () => {} }, { repairMs: 60_000, handoffMs: 60_000, hintMs: 60_000, stableBackoff: 1 })
  tasks.start()
  tasks.neighboursChanged(false)
  await clock.advance(0)
  assert.deepEqual(calls, ['repair'])
  tasks.neighboursChanged(true)
  await clock.advance(0)
  assert.deepEqual(calls.sort(), ['hand-off', 'repair', 'repair'])
  tasks.stop()
  calls.length = 0
  tasks.neighboursChanged(true)
  await clock.advance(120_000)
  assert.deepEqual(calls, [])
})

test('hint delivery sleeps while no write is kept for a replica, and a kept write wakes it after one period', async () => {
  const clock = new FakeClock()
  const hints = { held: 2 }
  const { data, calls } = scripted([], [], hints)
  const tasks = new DataTasks({ data, clock, log: silent, repairMoved: () => {} }, { repairMs: 600_000, handoffMs: 600_000, hintMs: 1000, stableBackoff: 1 })
  tasks.start()
  await clock.advance(10_000)
  // Two kept writes: two deliveries, then nothing while none is left.
  assert.deepEqual(calls.filter(c => c === 'hints').length, 2)
  hints.held = 1
  data.hintKept()
  await clock.advance(500)
  assert.equal(calls.filter(c => c === 'hints').length, 2, 'not at once: the replica just missed the write')
  await clock.advance(10_000)
  assert.equal(calls.filter(c => c === 'hints').length, 3)
  tasks.stop()
})

test('a joiner that could not settle yet tries again every second until it can, then the task sleeps until told otherwise', async () => {
  const clock = new FakeClock()
  const unsettled = { tries: 3 }
  const { data, calls } = scripted([], [], { held: 0 }, { held: 0 }, unsettled)
  const tasks = new DataTasks({ data, clock, log: silent, repairMoved: () => {} }, { repairMs: 600_000, handoffMs: 600_000, hintMs: 600_000, stableBackoff: 1 })
  tasks.start()
  await clock.advance(10_000)
  assert.equal(calls.filter(c => c === 'settle').length, 3, 'two failed tries, then settled')
  await clock.advance(10_000)
  assert.equal(calls.filter(c => c === 'settle').length, 3, 'asleep once settled')
  unsettled.tries = 1
  data.settleWanted()
  await clock.advance(2000)
  assert.equal(calls.filter(c => c === 'settle').length, 4, 'woken when the peer joins again')
  tasks.stop()
})

test('expiry sleeps while no value held here expires, and storing one wakes it within a second', async () => {
  const clock = new FakeClock()
  const expiring = { held: 0 }
  const { data, calls } = scripted([], [], { held: 0 }, expiring)
  const tasks = new DataTasks({ data, clock, log: silent, repairMoved: () => {} }, { repairMs: 600_000, handoffMs: 600_000, hintMs: 600_000, stableBackoff: 1 })
  tasks.start()
  await clock.advance(1000)
  // One pass at start finds nothing to expire, then sleeps.
  assert.equal(calls.filter(c => c === 'expiry').length, 1)
  await clock.advance(60_000)
  assert.equal(calls.filter(c => c === 'expiry').length, 1)
  expiring.held = 2
  data.expiryQueued()
  await clock.advance(1000)
  assert.equal(calls.filter(c => c === 'expiry').length, 2)
  await clock.advance(60_000)
  assert.equal(calls.filter(c => c === 'expiry').length, 3, 'passes every second while values are held, then sleeps')
  tasks.stop()
})
