import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { parseRequest } from '../../src/control/protocol.js'

test('a multi-MiB base64 value is parsed in linear time, not with a backtracking regular expression', () => {
  // 4 MiB of binary is 5.6 million base64 characters: a backtracking pattern overflowed the stack at about 3.2 MiB.
  const value = randomBytes(4 * 1024 * 1024)
  const parsed = parseRequest(JSON.stringify({ id: 1, op: 'put', key: 'aw==', value: value.toString('base64'), encoding: 'base64' }))
  assert.ok('request' in parsed && parsed.request.op === 'put')
  assert.ok(Buffer.from(parsed.request.value).equals(value))
})

test('base64 must be canonical: bad characters, bad padding and stray bits are refused', () => {
  for (const key of ['%%%', 'aGk', 'aGk==', 'aGl=', 'a GK=']) {
    const parsed = parseRequest(JSON.stringify({ id: 1, op: 'get', key, encoding: 'base64' }))
    assert.ok('error' in parsed, key)
    assert.match(parsed.error.message, /"key" is not valid base64/, key)
  }
  const empty = parseRequest(JSON.stringify({ op: 'put', key: 'aGk=', value: '', encoding: 'base64' }))
  assert.ok('request' in empty && empty.request.op === 'put' && empty.request.value.byteLength === 0)
})
