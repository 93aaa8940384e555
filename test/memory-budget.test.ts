import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { CONTROL, DATA, MiB } from '../src/defaults.js'
import { budgetFrom, memoryPlan } from '../src/memory-budget.js'
import { PEER_BUDGET_FRAMES } from '../src/protocol/constants.js'

const LINE = 1_403_563
const FRAME = 2 * MiB

describe('the memory budget', () => {
  test('without a budget every bound keeps its default and the heap Node.js\'s own', () => {
    assert.deepEqual(memoryPlan(undefined, LINE, FRAME), {
      budgetMiB: undefined,
      heapMiB: undefined,
      writeLines: CONTROL.writeLines,
      hintBytes: DATA.hints.maxBytes,
      peerFrames: PEER_BUDGET_FRAMES,
      levelCacheBytes: 2 * MiB,
      levelWriteBufferBytes: 2 * MiB
    })
  })

  test('a container of 160 MiB: a 64 MiB heap, two lines of values under way, smaller hints and LevelDB buffers', () => {
    const plan = memoryPlan(160, LINE, FRAME)
    assert.equal(plan.heapMiB, 64)
    assert.equal(plan.writeLines, 2)
    assert.ok(plan.hintBytes < DATA.hints.maxBytes && plan.hintBytes >= MiB, String(plan.hintBytes))
    assert.ok(plan.levelCacheBytes < 2 * MiB && plan.levelWriteBufferBytes < 2 * MiB, `${plan.levelCacheBytes} ${plan.levelWriteBufferBytes}`)
  })

  test('every bound grows with the budget, never past its default, and never below one of its unit', () => {
    let previous = memoryPlan(128, LINE, FRAME)
    for (const budget of [160, 256, 512, 1024, 4096]) {
      const plan = memoryPlan(budget, LINE, FRAME)
      for (const field of ['heapMiB', 'writeLines', 'hintBytes', 'peerFrames', 'levelCacheBytes', 'levelWriteBufferBytes'] as const) {
        assert.ok((plan[field] as number) >= (previous[field] as number), `${field} at ${budget} MiB`)
      }
      previous = plan
    }
    const smallest = memoryPlan(128, LINE, FRAME)
    assert.ok(smallest.writeLines >= 1 && smallest.peerFrames >= 1)
    assert.deepEqual([previous.writeLines, previous.peerFrames, previous.hintBytes], [CONTROL.writeLines, PEER_BUDGET_FRAMES, DATA.hints.maxBytes])
  })

  test('the budget is the configured one, else the container\'s limit, else none', () => {
    assert.equal(budgetFrom(300, 160 * MiB), 300)
    assert.equal(budgetFrom(0, 160 * MiB), 160)
    // cgroup v1 without a limit, and no cgroup at all.
    assert.equal(budgetFrom(0, 18446744073709552000), undefined)
    assert.equal(budgetFrom(0, 0), undefined)
  })
})
