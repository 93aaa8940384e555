import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RttEstimator } from '../../src/network/rtt.js'

test('timeouts follow the measured round trips within their bounds, in whole milliseconds that AbortSignal.timeout takes', () => {
  const rtt = new RttEstimator({ initialMs: 2000, minMs: 500, maxMs: 5000 })
  assert.equal(rtt.timeout('unknown'), 2000)
  // A busy peer: round trips of 90 to 410 ms put SRTT + 4·RTTVAR above the floor, at a fraction.
  for (const ms of [150.3, 320.7, 90.1, 410.9, 240.2]) rtt.observe('busy', ms)
  const timeout = rtt.timeout('busy')
  assert.ok(timeout > 500 && timeout < 5000, `${timeout}`)
  assert.ok(Number.isInteger(timeout), `${timeout} is not whole`)
  // A fraction once made every new stream to such a peer fail at once ("The value of "delay" is out of range").
  assert.doesNotThrow(() => AbortSignal.timeout(timeout))
  rtt.observe('fast', 0.4)
  assert.equal(rtt.timeout('fast'), 500)
  rtt.observe('slow', 9000)
  assert.equal(rtt.timeout('slow'), 5000)
})
