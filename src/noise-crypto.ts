import { createCipheriv, createDecipheriv, createHash, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync } from 'node:crypto'
import { pureJsCrypto, type ICryptoInterface } from '@chainsafe/libp2p-noise'

/**
 * Noise's primitives without WebAssembly: SHA-256, HKDF, X25519 and
 * ChaCha20-Poly1305 for large frames from Node.js's own crypto (OpenSSL),
 * ChaCha20-Poly1305 for small frames from Noise's pure-JS primitives.
 * Noise's default takes ChaCha20-Poly1305 for small frames and SHA-256 from
 * AssemblyScript, whose WebAssembly modules are compiled when Noise is
 * imported; compiling any WebAssembly brings V8's WebAssembly compilers into
 * memory: 6 MiB of a resting peer (measured with `npm run bench:opendht`'s
 * single peer). The bundle leaves that module out (bundle.mjs); this is
 * what Noise uses instead, in the bundle and out of it.
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
    const { privateKey, publicKey } = generateKeyPairSync('x25519', {
      privateKeyEncoding: { type: 'pkcs8', format: 'der' },
      publicKeyEncoding: { type: 'spki', format: 'der' }
    })
    return { privateKey: plain(privateKey.subarray(PRIVATE_DER.length)), publicKey: plain(publicKey.subarray(PUBLIC_DER.length)) }
  },

  generateX25519KeyPairFromSeed (seed) {
    const publicKey = createPublicKey(privateKeyOf(seed)).export({ type: 'spki', format: 'der' })
    return { privateKey: seed, publicKey: plain(publicKey.subarray(PUBLIC_DER.length)) }
  },

  generateX25519SharedKey (privateKey, publicKey) {
    return plain(diffieHellman({ privateKey: privateKeyOf(flat(privateKey)), publicKey: publicKeyOf(flat(publicKey)) }))
  },

  chaCha20Poly1305Encrypt (plaintext, nonce, ad, k) {
    if (plaintext.byteLength < NATIVE_FROM) return pureJsCrypto.chaCha20Poly1305Encrypt(plaintext, nonce, ad, k)
    const cipher = createCipheriv('chacha20-poly1305', k, nonce, { authTagLength: TAG_BYTES })
    cipher.setAAD(ad, { plaintextLength: plaintext.byteLength })
    const parts = chunksOf(plaintext).map(chunk => cipher.update(chunk))
    parts.push(cipher.final(), cipher.getAuthTag())
    return plain(Buffer.concat(parts))
  },

  chaCha20Poly1305Decrypt (ciphertext, nonce, ad, k) {
    if (ciphertext.byteLength < NATIVE_FROM + TAG_BYTES) return pureJsCrypto.chaCha20Poly1305Decrypt(ciphertext, nonce, ad, k)
    const sealed = flat(ciphertext)
    if (sealed.byteLength < TAG_BYTES) throw new Error('Invalid chacha20poly1305 decryption: shorter than its tag')
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
/**
 * Frames at least this long are sealed and opened by OpenSSL; shorter ones
 * (nearly all of the peer protocol's) by Noise's pure-JS ChaCha20-Poly1305
 * (@noble), which makes no cipher object: 11 µs for 100 bytes against
 * OpenSSL's 18, even at 1,000 (AssemblyScript's: 2 µs and 9).
 */
const NATIVE_FROM = 1000
/** DER (PKCS #8) around a raw 32-byte X25519 private key: SEQUENCE, version 0, the X25519 OID, OCTET STRING of OCTET STRING. */
const PRIVATE_DER = Uint8Array.of(0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20)
/** DER (SubjectPublicKeyInfo) around a raw 32-byte X25519 public key: SEQUENCE, the X25519 OID, BIT STRING. */
const PUBLIC_DER = Uint8Array.of(0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00)

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
