import assert from 'node:assert/strict'
import { test } from 'node:test'
import { defaultWorkers } from '../../bench/ring-workers.js'

test('a benchmark ring takes one worker per core, more only when its peers would pass a process\'s limit on open files', () => {
  assert.equal(defaultWorkers(200, 2, 20_000), 2)
  assert.equal(defaultWorkers(300, 2, 20_000), 2)
  // 1000 peers at up to 60 descriptors each need 3 processes under a limit of 20,000.
  assert.equal(defaultWorkers(1000, 2, 20_000), 3)
  assert.equal(defaultWorkers(1000, 2, 1_048_576), 2)
  assert.equal(defaultWorkers(1000, 8, 20_000), 8)
  // Never more processes than peers.
  assert.equal(defaultWorkers(1, 2, 20_000), 1)
})
