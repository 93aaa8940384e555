import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { kadKeyLength, kadKeyOf, userKeyOf } from '../../src/kad/keys.js'

const text = (s: string): Uint8Array => new TextEncoder().encode(s)
const str = (b: Uint8Array): string => new TextDecoder().decode(b)

test('a user key maps to /chordkv/ and lowercase unpadded base32 of its bytes', () => {
  assert.equal(str(kadKeyOf(text('hello'))), '/chordkv/nbswy3dp')
  // bytes that are not text, and slashes, stay inside the one namespace
  assert.equal(str(kadKeyOf(new Uint8Array([0x2f, 0x00, 0xff]))), '/chordkv/f4ap6')
})

test('every key maps back to itself, and the length is as predicted', () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), key => {
    const kadKey = kadKeyOf(key)
    assert.deepEqual(userKeyOf(kadKey), key)
    assert.equal(kadKey.length, kadKeyLength(key.length))
  }))
})

test('keys outside the namespace, empty, not base32 or not canonical are refused', () => {
  const cases: Array<[string, RegExp]> = [
    ['/pk/nbswy3dp', /not in the \/chordkv\/ namespace/],
    ['/chordkv/', /not in the \/chordkv\/ namespace/],
    ['/chordkvx/nbswy3dp', /not in the \/chordkv\/ namespace/],
    ['/chordkv/NBSWY3DP', /not canonical base32/],
    ['/chordkv/nbswy3dp=', /not canonical base32/],
    ['/chordkv/nbswy3d', /not base32/],
    ['/chordkv/a/b', /not base32/]
  ]
  for (const [key, message] of cases) {
    assert.throws(() => userKeyOf(text(key)), (err: Error) => err.name === 'BadRequestError' && message.test(err.message), key)
  }
})
