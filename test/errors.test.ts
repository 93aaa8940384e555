import assert from 'node:assert/strict'
import { test } from 'node:test'
import { BusyError, HopLimitError, isErrorCode, isPeerFailure, QuorumError, RemoteError, RequestTimeoutError, UnreachableError } from '../src/errors.js'
import { codeOfStatus, statusOf } from '../src/protocol/codec.js'
import { Status } from '../src/protocol/chord.js'

test('a timeout or an unreachable peer is a peer failure; the route running out of time or of live hops is not', () => {
  assert.equal(isPeerFailure(new RequestTimeoutError('n2 did not answer')), true)
  assert.equal(isPeerFailure(new UnreachableError('cannot reach n2')), true)
  assert.equal(isPeerFailure(new RequestTimeoutError('route ran out of time', { route: true })), false)
  assert.equal(isPeerFailure(new UnreachableError('no live next hop', { route: true })), false)
  assert.equal(isPeerFailure(new RemoteError('TIMEOUT', 'n3: route timed out beyond n4')), false, 'a peer that answered with TIMEOUT is alive')
  assert.equal(isPeerFailure(new BusyError('busy')), false)
})

test('each code has one class that raises it, and the class says the code', () => {
  assert.equal(new RequestTimeoutError('x', { route: true }).code, 'TIMEOUT')
  assert.equal(new UnreachableError('x', { route: true }).code, 'UNREACHABLE')
  assert.equal(new HopLimitError('x').code, 'HOP_LIMIT')
  assert.equal(new BusyError('x').code, 'BUSY')
  assert.equal(new QuorumError('x').code, 'QUORUM')
})

test('every status a peer answers with is a code, and codes cross the wire unchanged', () => {
  for (const status of Object.values(Status).filter((s): s is Status => typeof s === 'string')) {
    if (status === Status.OK || status === Status.ACCEPTED) {
      assert.equal(codeOfStatus(status), 'INTERNAL', `${status} is no error`)
      continue
    }
    assert.ok(isErrorCode(status), `${status} has a meaning in ERROR_CODES`)
    assert.equal(codeOfStatus(status), status)
  }
  assert.equal(statusOf(new BusyError('x')), Status.BUSY)
  assert.equal(statusOf(new RequestTimeoutError('x', { route: true })), Status.TIMEOUT)
  assert.equal(statusOf(new Error('a bug')), Status.INTERNAL)
  assert.equal(isErrorCode('NO_SUCH_CODE'), false)
  assert.equal(isErrorCode(42), false)
})
