import assert from 'node:assert/strict'
import { test } from 'node:test'
import { WriteBudget } from '../../src/control/write-budget.js'

test('puts fit while the budget has room; one put alone always fits', () => {
  const budget = new WriteBudget(10)
  assert.equal(budget.take(20), true)
  assert.equal(budget.take(1), false)
  budget.give(20)
  assert.equal(budget.take(6), true)
  assert.equal(budget.take(4), true)
  assert.equal(budget.take(1), false)
  assert.equal(budget.bytes, 10)
})

test('each put finished wakes the connection waiting longest; the last one wakes them all', () => {
  const budget = new WriteBudget(10)
  budget.take(5)
  budget.take(5)
  const woken: string[] = []
  for (const name of ['a', 'b', 'c']) budget.whenFreed(() => { woken.push(name) })
  budget.give(5)
  assert.deepEqual(woken, ['a'])
  budget.give(5)
  assert.deepEqual(woken, ['a', 'b', 'c'])
})

test('a connection that closed is not woken', () => {
  const budget = new WriteBudget(10)
  budget.take(10)
  const woken: string[] = []
  const gone = (): void => { woken.push('gone') }
  budget.whenFreed(gone)
  budget.whenFreed(() => { woken.push('here') })
  budget.forget(gone)
  budget.give(10)
  assert.deepEqual(woken, ['here'])
})
