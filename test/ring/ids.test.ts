import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { between, betweenRightIncl, clockwise, fingerStart, idFromBytes, idFromHex, idSpace, idToBytes, idToHex, SHA256_SPACE, splitArc } from '../../src/ring/ids.js'
import { ringIdOfKey, ringIdOfPeer } from '../../src/ring/hash.js'

const m8 = idSpace(8)

describe('interval arithmetic on a small circle', () => {
  test('between is the open clockwise interval', () => {
    assert.equal(between(10n, 20n, 30n), true)
    assert.equal(between(10n, 10n, 30n), false)
    assert.equal(between(10n, 30n, 30n), false)
    assert.equal(between(10n, 40n, 30n), false)
    // wrapping past zero
    assert.equal(between(250n, 3n, 5n), true)
    assert.equal(between(250n, 255n, 5n), true)
    assert.equal(between(250n, 100n, 5n), false)
    // a == b is the whole circle but a
    assert.equal(between(7n, 8n, 7n), true)
    assert.equal(between(7n, 7n, 7n), false)
  })

  test('betweenRightIncl includes the right end and is the whole circle when a == b', () => {
    assert.equal(betweenRightIncl(10n, 30n, 30n), true)
    assert.equal(betweenRightIncl(10n, 10n, 30n), false)
    assert.equal(betweenRightIncl(250n, 5n, 5n), true)
    assert.equal(betweenRightIncl(7n, 7n, 7n), true)
    assert.equal(betweenRightIncl(7n, 200n, 7n), true)
  })

  test('clockwise distance and finger starts wrap modulo 2^m', () => {
    assert.equal(clockwise(m8, 10n, 20n), 10n)
    assert.equal(clockwise(m8, 250n, 4n), 10n)
    assert.equal(clockwise(m8, 4n, 4n), 0n)
    assert.deepEqual([0, 1, 2, 7].map(i => fingerStart(m8, 200n, i)), [201n, 202n, 204n, 72n])
    assert.throws(() => fingerStart(m8, 0n, 8), RangeError)
  })

  test('hex and byte encodings round-trip at full width', () => {
    assert.equal(idToHex(m8, 5n), '05')
    assert.equal(idToHex(SHA256_SPACE, 1n).length, 64)
    assert.equal(idFromHex(m8, 'ff'), 255n)
    assert.throws(() => idFromHex(m8, '100'), RangeError)
    assert.throws(() => idFromHex(m8, 'zz'), RangeError)
    assert.deepEqual([...idToBytes(m8, 0xabn)], [0xab])
    assert.equal(idFromBytes(new Uint8Array([1, 0])), 256n)
  })

  test('identifiers are SHA-256 of peer ID bytes and key bytes', () => {
    // SHA-256("abc") from FIPS 180-2.
    assert.equal(idToHex(SHA256_SPACE, ringIdOfKey(new TextEncoder().encode('abc'))), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    assert.equal(ringIdOfPeer(new Uint8Array([1, 2])), ringIdOfKey(new Uint8Array([1, 2])))
  })
})

describe('interval properties', () => {
  const id = fc.bigInt({ min: 0n, max: 255n })

  test('for distinct a, b every other x is in exactly one of (a, b) and (b, a)', () => {
    fc.assert(fc.property(id, id, id, (a, b, x) => {
      fc.pre(a !== b && x !== a && x !== b)
      return between(a, x, b) !== between(b, x, a)
    }))
  })

  test('between agrees with clockwise distances', () => {
    fc.assert(fc.property(id, id, id, (a, b, x) => {
      fc.pre(a !== b)
      const inside = clockwise(m8, a, x) > 0n && clockwise(m8, a, x) < clockwise(m8, a, b)
      return between(a, x, b) === inside
    }))
  })

  test('(a, b] splits at any c in (a, b) into (a, c] and (c, b]', () => {
    fc.assert(fc.property(id, id, id, id, (a, b, c, x) => {
      fc.pre(between(a, c, b))
      return betweenRightIncl(a, x, b) === (betweenRightIncl(a, x, c) || betweenRightIncl(c, x, b))
    }))
  })

  test('bytes round-trip for any 256-bit identifier', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: SHA256_SPACE.size - 1n }), x => idFromBytes(idToBytes(SHA256_SPACE, x)) === x))
  })
})

describe('identifier spaces and their edges', () => {
  test('a space is 1 to 1024 whole bits; anything else is refused by name', () => {
    assert.equal(idSpace(1).size, 2n)
    assert.equal(idSpace(1024).size, 1n << 1024n)
    for (const bits of [0, 1025, 1.5]) assert.throws(() => idSpace(bits), { name: 'RangeError', message: `identifier width must be an integer in [1, 1024], got ${bits}` })
  })

  test('finger starts exist for 0 ≤ i < m only', () => {
    const m8 = idSpace(8)
    assert.equal(fingerStart(m8, 250n, 7), 122n)
    for (const i of [-1, 8, 0.5]) assert.throws(() => fingerStart(m8, 1n, i), { name: 'RangeError', message: `finger index must be in [0, 8), got ${i}` })
  })

  test('no bytes read as identifier 0; hex must be all hex digits and fit the space', () => {
    assert.equal(idFromBytes(new Uint8Array(0)), 0n)
    const m8 = idSpace(8)
    assert.equal(idFromHex(m8, 'fF'), 255n)
    for (const bad of ['zz', '12zz', 'zz12', '']) assert.throws(() => idFromHex(m8, bad), { name: 'RangeError', message: `not a hex identifier: ${JSON.stringify(bad)}` })
    assert.throws(() => idFromHex(m8, '100'), { name: 'RangeError', message: 'identifier 100 does not fit in 8 bits' })
  })

  test('an arc from a point to itself is the whole circle, split into equal parts', () => {
    assert.deepEqual(splitArc(idSpace(8), 10n, 10n, 4), [10n, 74n, 138n, 202n, 10n])
    assert.deepEqual(splitArc(idSpace(8), 250n, 10n, 2), [250n, 2n, 10n])
  })
})
