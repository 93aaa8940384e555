import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { pureJsCrypto } from '@chainsafe/libp2p-noise'
import { Uint8ArrayList } from 'uint8arraylist'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { BusyGauge, handshakeSigner, nativeNoiseCrypto as native, smallFrameCipher } from '../src/noise-crypto.js'
import { waitFor } from './utils/network.js'

/** Noise's own pure-JS primitives (@noble) are the reference: the two must agree on every output. */
const reference = pureJsCrypto
/** Noise's Uint8ArrayList may be another copy of the package than this file's. */
type Bytes = Uint8Array | { subarray: () => Uint8Array }
type Input = Parameters<typeof native.hashSHA256>[0]
const bytes = (data: Bytes): Uint8Array => Uint8Array.from(data instanceof Uint8Array ? data : data.subarray())
const list = (...parts: Uint8Array[]): Input => new Uint8ArrayList(...parts) as unknown as Input

test('SHA-256 and HKDF agree with Noise\'s reference primitives, for a buffer and for a list of buffers', () => {
  const data = randomBytes(1000)
  assert.deepEqual(bytes(native.hashSHA256(data)), bytes(reference.hashSHA256(data)))
  assert.deepEqual(bytes(native.hashSHA256(list(data.subarray(0, 10), data.subarray(10, 999), data.subarray(999)))), bytes(reference.hashSHA256(data)))
  const ck = randomBytes(32)
  const ikm = randomBytes(32)
  assert.deepEqual(native.getHKDF(ck, ikm).map(bytes), reference.getHKDF(ck, ikm).map(bytes))
})

test('X25519 keys and shared secrets agree with the reference, either side computing them', () => {
  const seed = randomBytes(32)
  assert.deepEqual(bytes(native.generateX25519KeyPairFromSeed(seed).publicKey), bytes(reference.generateX25519KeyPairFromSeed(seed).publicKey))
  const ours = native.generateX25519KeyPair()
  const theirs = reference.generateX25519KeyPair()
  assert.equal(ours.privateKey.byteLength, 32)
  assert.deepEqual(bytes(reference.generateX25519KeyPairFromSeed(ours.privateKey).publicKey), bytes(ours.publicKey))
  const shared = bytes(native.generateX25519SharedKey(ours.privateKey, theirs.publicKey))
  assert.deepEqual(shared, bytes(reference.generateX25519SharedKey(theirs.privateKey, ours.publicKey)))
  assert.deepEqual(bytes(native.generateX25519SharedKey(list(ours.privateKey), list(theirs.publicKey))), shared)
})

test('a key used again gives the same shared secret, and a key whose bytes changed gives the new one, not the one kept for it', () => {
  const ours = native.generateX25519KeyPair()
  const theirs = reference.generateX25519KeyPair()
  const other = reference.generateX25519KeyPair()
  const expected = bytes(reference.generateX25519SharedKey(theirs.privateKey, ours.publicKey))
  const remote = Uint8Array.from(theirs.publicKey)
  for (let i = 0; i < 3; i++) assert.deepEqual(bytes(native.generateX25519SharedKey(ours.privateKey, remote)), expected)
  // The same array now holds another key: its secret, not the cached one.
  remote.set(other.publicKey)
  assert.deepEqual(bytes(native.generateX25519SharedKey(ours.privateKey, remote)), bytes(reference.generateX25519SharedKey(other.privateKey, ours.publicKey)))
  const mine = Uint8Array.from(ours.privateKey)
  assert.deepEqual(bytes(native.generateX25519SharedKey(mine, remote)), bytes(reference.generateX25519SharedKey(other.privateKey, ours.publicKey)))
  mine.set(other.privateKey)
  assert.deepEqual(bytes(native.generateX25519SharedKey(mine, theirs.publicKey)), bytes(reference.generateX25519SharedKey(theirs.privateKey, other.publicKey)))
})

test('the handshake signer signs as the identity key does (Ed25519 is deterministic), for a buffer and a list, and is the key in all else', async () => {
  const identity = await generateKeyPair('Ed25519')
  const signer = handshakeSigner(identity)
  const message = randomBytes(200)
  const expected = bytes(await identity.sign(message))
  assert.deepEqual(bytes(await signer.sign(message)), expected)
  assert.deepEqual(bytes(await signer.sign(list(message.subarray(0, 50), message.subarray(50)) as unknown as Uint8Array)), expected)
  assert.equal(await identity.publicKey.verify(message, await signer.sign(message)), true)
  assert.equal(signer.publicKey, identity.publicKey)
  assert.deepEqual(signer.raw, identity.raw)
  assert.equal(signer.type, 'Ed25519')
  const aborted = AbortSignal.abort()
  assert.throws(() => signer.sign(message, { signal: aborted }))
  const other = await generateKeyPair('secp256k1')
  assert.equal(handshakeSigner(other), other, 'another key type is used as it is')
})

/** Seals and opens frames of every size class against the reference; `label` names the small-frame cipher. */
function chachaAgrees (label: string): void {
  const k = randomBytes(32)
  const nonce = randomBytes(12)
  const ad = randomBytes(32)
  for (const size of [0, 1, 100, 999, 1000, 1200, 65_519]) {
    const plaintext = randomBytes(size)
    const sealed = bytes(native.chaCha20Poly1305Encrypt(plaintext, nonce, ad, k))
    assert.deepEqual(sealed, bytes(reference.chaCha20Poly1305Encrypt(plaintext, nonce, ad, k)), `${label}: ${size} bytes`)
    assert.equal(sealed.byteLength, size + 16)
    const split = list(sealed.subarray(0, size >> 1), sealed.subarray(size >> 1))
    assert.deepEqual(bytes(native.chaCha20Poly1305Decrypt(split, nonce, ad, k)), Uint8Array.from(plaintext), `${label}: ${size} bytes opened`)
    const forged = Uint8Array.from(sealed)
    forged[forged.byteLength - 1] = (forged[forged.byteLength - 1] ?? 0) ^ 1
    assert.throws(() => native.chaCha20Poly1305Decrypt(forged, nonce, ad, k), `${label}: ${size} bytes with a changed tag`)
    assert.throws(() => native.chaCha20Poly1305Decrypt(sealed, nonce, randomBytes(32), k), `${label}: ${size} bytes with other associated data`)
  }
  assert.throws(() => native.chaCha20Poly1305Decrypt(randomBytes(15), nonce, ad, k), `${label}: shorter than a tag`)
  assert.throws(() => native.chaCha20Poly1305Decrypt(randomBytes(1010), nonce, ad, k))
}

test('ChaCha20-Poly1305 seals as the reference does, opens what the reference sealed, and refuses a changed frame, before and after a busy process compiles the WebAssembly cipher', async () => {
  assert.equal(smallFrameCipher(), 'js', 'a quiet process compiles no WebAssembly')
  chachaAgrees('pure JS')
  // A burst of small frames makes the process busy.
  const k = randomBytes(32)
  const nonce = randomBytes(12)
  const frame = randomBytes(100)
  for (let i = 0; i < 1000; i++) native.chaCha20Poly1305Encrypt(frame, nonce, new Uint8Array(0), k)
  await waitFor(() => smallFrameCipher() === 'wasm', 10_000, () => 'the WebAssembly cipher was not compiled after 1,000 small frames')
  chachaAgrees('WebAssembly')
})

test('a process is busy once a window of time holds the limit of small frames, and is told so once', () => {
  let now = 0
  const gauge = new BusyGauge(3, 1000, () => now)
  assert.deepEqual([gauge.busy(), gauge.busy()], [false, false])
  now = 1000 // a new window: the count starts again
  assert.deepEqual([gauge.busy(), gauge.busy()], [false, false])
  now = 1999
  assert.equal(gauge.busy(), true)
  assert.deepEqual([gauge.busy(), gauge.busy(), gauge.busy()], [false, false, false])
})
