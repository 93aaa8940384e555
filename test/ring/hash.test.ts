import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'
import fc from 'fast-check'
import { ringIdOfKey, ringIdOfPeer, sha256Id } from '../../src/ring/hash.js'

test('identifiers are SHA-256 read big-endian: the empty string and "abc" as FIPS 180-2 gives them', () => {
  assert.equal(sha256Id(new Uint8Array(0)), 0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855n)
  assert.equal(ringIdOfKey(new TextEncoder().encode('abc')), 0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015adn)
})

test('keys and peers are placed by the SHA-256 of their bytes, as Node computes it', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), bytes => {
    const expected = BigInt('0x' + createHash('sha256').update(bytes).digest('hex'))
    assert.equal(ringIdOfKey(bytes), expected)
    assert.equal(ringIdOfPeer(bytes), expected)
  }), { numRuns: 50 })
})
