import assert from 'node:assert/strict'
import { test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { kadKeyOf } from '../../src/kad/keys.js'
import { chordkvSelector, chordkvValidator, decodeKadValue, encodeKadValue } from '../../src/kad/record.js'

const text = (s: string): Uint8Array => new TextEncoder().encode(s)
const LIMITS = { maxKeyBytes: 8, maxValueBytes: 16 }

async function writers (): Promise<[string, string]> {
  const ids = await Promise.all([1, 2].map(async () => peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()))
  return ids.sort() as [string, string]
}

test('a value with its version survives the round trip', async () => {
  const [writer] = await writers()
  const bytes = encodeKadValue(text('k'), text('v'), { timestamp: 7n, writer })
  assert.deepEqual(decodeKadValue(text('k'), bytes), { key: text('k'), value: text('v'), version: { timestamp: 7n, writer } })
})

test('the validator accepts chordkv records within the limits', async () => {
  const [writer] = await writers()
  const validate = chordkvValidator(LIMITS)
  await validate(kadKeyOf(text('12345678')), encodeKadValue(text('12345678'), new Uint8Array(16), { timestamp: 1n, writer }))
  await validate(kadKeyOf(text('k')), encodeKadValue(text('k'), new Uint8Array(0), { timestamp: 1n, writer }))
})

test('the validator refuses foreign keys, oversized keys and values, and bytes that are not records', async () => {
  const [writer] = await writers()
  const validate = chordkvValidator(LIMITS)
  const value = (v: Uint8Array): Uint8Array => encodeKadValue(text('k'), v, { timestamp: 1n, writer })
  const cases: Array<[Uint8Array, Uint8Array, RegExp]> = [
    [text('/pk/abc'), value(text('v')), /namespace/],
    [kadKeyOf(text('123456789')), value(text('v')), /key is 9 bytes; the limit is 8/],
    [kadKeyOf(text('k')), value(new Uint8Array(17)), /value is 17 bytes; the limit is 16/],
    [kadKeyOf(text('k')), text('not a record at all'), /not a chordkv record/],
    // a record without a value (chord's tombstone form) is not a value
    [kadKeyOf(text('k')), encodeKadValue(text('k'), undefined as unknown as Uint8Array, { timestamp: 1n, writer }), /must hold a value/]
  ]
  for (const [key, bytes, message] of cases) {
    await assert.rejects(async () => { await validate(key, bytes) }, message)
  }
})

test('the selector picks the latest version; the writer breaks ties; garbage never wins', async () => {
  const [low, high] = await writers()
  const key = kadKeyOf(text('k'))
  const at = (timestamp: bigint, writer: string): Uint8Array => encodeKadValue(text('k'), text(`${timestamp}`), { timestamp, writer })
  assert.equal(await chordkvSelector(key, [at(1n, high), at(3n, low), at(2n, high)]), 1)
  assert.equal(await chordkvSelector(key, [at(5n, high), at(5n, low)]), 0)
  assert.equal(await chordkvSelector(key, [at(5n, low), at(5n, high)]), 1)
  assert.equal(await chordkvSelector(key, [text('garbage'), at(1n, low)]), 1)
})
