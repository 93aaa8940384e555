import { createCipheriv, createDecipheriv, createHash, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, sign, type KeyObject } from 'node:crypto'
import { pureJsCrypto, type ICryptoInterface } from '@chainsafe/libp2p-noise'
import type { PrivateKey } from '@libp2p/interface'

/**
 * Noise's primitives, with WebAssembly only where a process is busy.
 * SHA-256, HKDF, X25519 and ChaCha20-Poly1305 for frames of 1,000 bytes
 * and more come from Node.js's own crypto (OpenSSL). Smaller frames,
 * nearly all of the peer protocol's, are sealed and opened by Noise's
 * pure-JS ChaCha20-Poly1305 (@noble) until the process handles more than
 * BUSY_FRAMES of them in BUSY_WINDOW_MS, and from then on by Noise's
 * AssemblyScript one, compiled then. Compiling any WebAssembly brings V8's
 * WebAssembly compilers into memory, 6 MiB of a resting peer (Noise's
 * default compiles it when Noise is imported; the bundle leaves that
 * module out, bundle.mjs), and AssemblyScript seals a 100-byte frame in
 * 2 µs, @noble in 11 and OpenSSL in 18 (its cipher object costs more than
 * the bytes). So a resting peer stays light and a busy one fast.
 */
export const nativeNoiseCrypto: ICryptoInterface = {
  hashSHA256 (data) {
    const hash = createHash('sha256')
    for (const chunk of chunksOf(data)) hash.update(chunk)
    return plain(hash.digest())
  },

  /** Noise's HKDF(ck, ikm) with three 32-byte outputs: RFC 5869 extract and expand, no info. */
  getHKDF (ck, ikm) {
    const okm = new Uint8Array(hkdfSync('sha256', ikm, ck, new Uint8Array(0), 96))
    return [okm.subarray(0, 32), okm.subarray(32, 64), okm.subarray(64, 96)]
  },

  generateX25519KeyPair () {
    const pair = generateKeyPairSync('x25519')
    const privateKey = plain(pair.privateKey.export({ type: 'pkcs8', format: 'der' }).subarray(PRIVATE_DER.length))
    privateKeys.set(privateKey, { bytes: Uint8Array.from(privateKey), key: pair.privateKey })
    return { privateKey, publicKey: plain(pair.publicKey.export({ type: 'spki', format: 'der' }).subarray(PUBLIC_DER.length)) }
  },

  generateX25519KeyPairFromSeed (seed) {
    const publicKey = createPublicKey(privateKeyOf(seed)).export({ type: 'spki', format: 'der' })
    return { privateKey: seed, publicKey: plain(publicKey.subarray(PUBLIC_DER.length)) }
  },

  generateX25519SharedKey (privateKey, publicKey) {
    return plain(diffieHellman({ privateKey: keyObject(privateKeys, privateKey, privateKeyOf), publicKey: keyObject(publicKeys, publicKey, publicKeyOf) }))
  },

  chaCha20Poly1305Encrypt (plaintext, nonce, ad, k) {
    if (plaintext.byteLength < NATIVE_FROM) return sealSmall(plaintext, nonce, ad, k)
    const cipher = createCipheriv('chacha20-poly1305', k, nonce, { authTagLength: TAG_BYTES })
    cipher.setAAD(ad, { plaintextLength: plaintext.byteLength })
    const parts = chunksOf(plaintext).map(chunk => cipher.update(chunk))
    parts.push(cipher.final(), cipher.getAuthTag())
    return plain(Buffer.concat(parts))
  },

  chaCha20Poly1305Decrypt (ciphertext, nonce, ad, k) {
    if (ciphertext.byteLength < NATIVE_FROM + TAG_BYTES) return openSmall(ciphertext, nonce, ad, k)
    const sealed = flat(ciphertext)
    const text = sealed.subarray(0, sealed.byteLength - TAG_BYTES)
    const decipher = createDecipheriv('chacha20-poly1305', k, nonce, { authTagLength: TAG_BYTES })
    decipher.setAAD(ad, { plaintextLength: text.byteLength })
    decipher.setAuthTag(sealed.subarray(text.byteLength))
    const opened = decipher.update(text)
    // final() throws when the tag does not match: the frame was forged or damaged.
    const rest = decipher.final()
    return plain(rest.byteLength === 0 ? opened : Buffer.concat([opened, rest]))
  }
}

const TAG_BYTES = 16
/** Frames at least this long (plaintext bytes) go to OpenSSL: from here on it is as fast as @noble. */
const NATIVE_FROM = 1000
/** Small frames sealed or opened within one window past which the WebAssembly cipher is compiled (100 a second). */
const BUSY_FRAMES = 1000
const BUSY_WINDOW_MS = 10_000

type WasmCipher = InstanceType<typeof import('@chainsafe/as-chacha20poly1305').ChaCha20Poly1305>
type Key = Uint8Array

/** Counts events in fixed windows, and says so once, at the event that brings a window to `limit`. */
export class BusyGauge {
  private readonly limit: number
  private readonly windowMs: number
  private readonly now: () => number
  private windowStart = -Infinity
  private count = 0
  private said = false

  constructor (limit: number, windowMs: number, now: () => number = Date.now) {
    this.limit = limit
    this.windowMs = windowMs
    this.now = now
  }

  /** Counts one event; true only the first time a window reaches the limit. */
  busy (): boolean {
    if (this.said) return false
    const now = this.now()
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now
      this.count = 0
    }
    this.said = ++this.count >= this.limit
    return this.said
  }
}

const smallFrames = new BusyGauge(BUSY_FRAMES, BUSY_WINDOW_MS)
let wasm: WasmCipher | undefined

/** Which cipher small frames get in this process now (for the tests). */
export function smallFrameCipher (): 'js' | 'wasm' {
  return wasm === undefined ? 'js' : 'wasm'
}

/** Counts a small frame; the first time the process is busy, the WebAssembly cipher is compiled. */
function countSmallFrame (): void {
  if (!smallFrames.busy()) return
  // Should it fail to load, @noble goes on sealing: slower, as correct.
  import('@chainsafe/as-chacha20poly1305')
    .then(m => {
      // A CommonJS module: bundled, its exports come as the default export.
      const lib = typeof m.newInstance === 'function' ? m : m.default
      wasm = new lib.ChaCha20Poly1305(lib.newInstance())
    })
    .catch(() => {})
}

function sealSmall (plaintext: Data, nonce: Uint8Array, ad: Uint8Array, k: Key): ReturnType<ICryptoInterface['chaCha20Poly1305Encrypt']> {
  countSmallFrame()
  if (wasm === undefined) return pureJsCrypto.chaCha20Poly1305Encrypt(plaintext, nonce, ad, k)
  return wasm.seal(k, nonce, flat(plaintext), ad)
}

function openSmall (ciphertext: Data, nonce: Uint8Array, ad: Uint8Array, k: Key): ReturnType<ICryptoInterface['chaCha20Poly1305Decrypt']> {
  countSmallFrame()
  if (wasm === undefined) return pureJsCrypto.chaCha20Poly1305Decrypt(ciphertext, nonce, ad, k)
  const opened = wasm.open(k, nonce, flat(ciphertext), ad)
  if (opened === null) throw new Error('Invalid chacha20poly1305 decryption')
  return opened
}

/** DER (PKCS #8) around a raw 32-byte X25519 private key: SEQUENCE, version 0, the X25519 OID, OCTET STRING of OCTET STRING. */
const PRIVATE_DER = Uint8Array.of(0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20)
/** DER (SubjectPublicKeyInfo) around a raw 32-byte X25519 public key: SEQUENCE, the X25519 OID, BIT STRING. */
const PUBLIC_DER = Uint8Array.of(0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00)

/**
 * OpenSSL key objects of the X25519 keys Noise holds, by the very object it
 * passes: making them from bytes costs more than the Diffie-Hellman itself
 * (here 58 µs for a private key and 34 for a public one, against 37 for the
 * Diffie-Hellman), and a handshake uses each of its four keys in one or two
 * of its three Diffie-Hellmans (the static key in every handshake). An entry
 * keeps the bytes it was made from, so a key object is never used for other
 * bytes; it goes when Noise drops the key.
 */
type KeyCache = WeakMap<object, { readonly bytes: Uint8Array, readonly key: KeyObject }>
const privateKeys: KeyCache = new WeakMap()
const publicKeys: KeyCache = new WeakMap()

function keyObject (cache: KeyCache, data: Data, make: (raw: Uint8Array) => KeyObject): KeyObject {
  const raw = flat(data)
  const cached = cache.get(data)
  if (cached !== undefined && Buffer.compare(cached.bytes, raw) === 0) return cached.key
  const key = make(raw)
  cache.set(data, { bytes: Uint8Array.from(raw), key })
  return key
}

/**
 * The peer's identity key as Noise's handshake signs with it: its OpenSSL
 * key object is made once, where libp2p's Ed25519 key makes one per
 * signature (here 84 µs a signature that way, 28 with the object kept). Every other property
 * is the key's own; a key of another type is returned as it is.
 */
export function handshakeSigner (identity: PrivateKey): PrivateKey {
  if (identity.type !== 'Ed25519') return identity
  const key = createPrivateKey({ key: Buffer.concat([ED25519_DER, identity.raw.subarray(0, 32)]), format: 'der', type: 'pkcs8' })
  const signer: PrivateKey = Object.create(identity)
  signer.sign = (message, options) => {
    options?.signal?.throwIfAborted()
    return plain(sign(null, message instanceof Uint8Array ? message : message.subarray(), key))
  }
  return signer
}

/** DER (PKCS #8) around a raw 32-byte Ed25519 seed, as PRIVATE_DER with the Ed25519 OID. */
const ED25519_DER = Uint8Array.of(0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20)

function privateKeyOf (raw: Uint8Array): ReturnType<typeof createPrivateKey> {
  return createPrivateKey({ key: Buffer.concat([PRIVATE_DER, raw]), format: 'der', type: 'pkcs8' })
}

function publicKeyOf (raw: Uint8Array): ReturnType<typeof createPublicKey> {
  return createPublicKey({ key: Buffer.concat([PUBLIC_DER, raw]), format: 'der', type: 'spki' })
}

/** A buffer or a list of them, as Noise passes it (its own copy of uint8arraylist). */
type Data = Parameters<ICryptoInterface['hashSHA256']>[0]

function chunksOf (data: Data): Uint8Array[] {
  return data instanceof Uint8Array ? [data] : [...data]
}

/** A Buffer's bytes as a plain Uint8Array, as Noise's other primitives give them (Buffer's slice() shares, Uint8Array's copies). */
function plain (buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}

function flat (data: Data): Uint8Array {
  return data instanceof Uint8Array ? data : data.subarray()
}

/** Noise's own module name for its default primitives: the bundle puts this file in its place. */
export { nativeNoiseCrypto as defaultCrypto }
