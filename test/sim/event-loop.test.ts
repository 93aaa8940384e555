import assert from 'node:assert/strict'
import { test } from 'node:test'
import { EventLoop } from '../../bench/sim/event-loop.js'
import { Random } from '../../bench/sim/random.js'
import { TimerHeap } from '../../bench/sim/timer-heap.js'

test('the timer heap yields timers by time, then in the order they were set', () => {
  const heap = new TimerHeap()
  const random = new Random(7)
  const timers = Array.from({ length: 500 }, (_, seq) => ({ at: random.int(50), seq, fn: undefined }))
  for (const t of timers) heap.push(t)
  const out = Array.from({ length: timers.length }, () => heap.pop())
  const expected = [...timers].sort((a, b) => a.at - b.at || a.seq - b.seq)
  assert.deepEqual(out, expected)
  assert.equal(heap.pop(), undefined)
})

test('timers run at their virtual time, and an await resumes at the time its timer fired', async () => {
  const loop = new EventLoop()
  const seen: Array<[string, number]> = []
  const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => loop.setTimeout(() => { resolve(undefined) }, ms)) }
  const task = (async () => {
    await sleep(30)
    seen.push(['a', loop.now()])
    await sleep(5)
    seen.push(['b', loop.now()])
  })()
  loop.setTimeout(() => { seen.push(['c', loop.now()]) }, 32)
  const cleared = loop.setTimeout(() => { seen.push(['never', loop.now()]) }, 10)
  loop.clearTimeout(cleared)
  await loop.settle(task)
  assert.deepEqual(seen, [['a', 30], ['c', 32], ['b', 35]])
  await loop.runUntil(100)
  assert.equal(loop.now(), 100)
})

test('settle fails when nothing is left that could settle the operation, or after its time limit', async () => {
  const loop = new EventLoop()
  await assert.rejects(loop.settle(new Promise(() => {})), /no timer left/)
  const ticking = (): void => { loop.setTimeout(ticking, 10) }
  ticking()
  await assert.rejects(loop.settle(new Promise(() => {}), 1000), /did not settle within 1000/)
})

test('a task re-arming itself at 0 ms forever is reported as a livelock', async () => {
  const loop = new EventLoop()
  const again = (): void => { loop.setTimeout(again, 0) }
  again()
  await assert.rejects(loop.runUntil(10), /livelock/)
})

test('the same seed draws the same numbers; the sample has no repeats', () => {
  const a = new Random(3)
  const b = new Random(3)
  assert.deepEqual(Array.from({ length: 10 }, () => a.uint32()), Array.from({ length: 10 }, () => b.uint32()))
  const picked = new Random(5).sample(1000, 300)
  assert.equal(new Set(picked).size, 300)
  assert.ok(picked.every(i => i >= 0 && i < 1000))
})
