import { base32 } from 'multiformats/bases/base32'
import { BadRequestError } from '../errors.js'

/**
 * chordkv's key namespace in the DHT. kad-dht only accepts record keys
 * shaped `/<namespace>/<rest>` and hands each record to the validator and
 * selector registered for its namespace, so every user key is mapped into
 * `/chordkv/`:
 *
 *   DHT key = "/chordkv/" + base32(user key bytes)
 *
 * base32 is RFC 4648, lowercase, without padding (the multibase `b`
 * alphabet without its prefix), so any bytes — including `/`, NUL or
 * invalid UTF-8 — give a key that is plain ASCII with exactly one namespace.
 * The key `hello` becomes `/chordkv/nbswy3dp`.
 */
export const KAD_NAMESPACE = 'chordkv'

const PREFIX = `/${KAD_NAMESPACE}/`
const PREFIX_BYTES = new TextEncoder().encode(PREFIX)
const ascii = new TextDecoder('ascii')

/** The DHT key under which the user key `key` is stored. */
export function kadKeyOf (key: Uint8Array): Uint8Array {
  return new TextEncoder().encode(PREFIX + base32.baseEncode(key))
}

/** Length of the DHT key of a user key of `keyBytes` bytes. */
export function kadKeyLength (keyBytes: number): number {
  return PREFIX_BYTES.length + Math.ceil(keyBytes * 8 / 5)
}

/**
 * The user key inside a DHT key. Throws {@link BadRequestError} unless the
 * key is in the namespace and its rest is canonical base32 of a non-empty
 * key, so each user key has exactly one DHT key.
 */
export function userKeyOf (kadKey: Uint8Array): Uint8Array {
  if (kadKey.length <= PREFIX_BYTES.length || !PREFIX_BYTES.every((b, i) => kadKey[i] === b)) {
    throw new BadRequestError(`DHT key is not in the ${PREFIX} namespace`)
  }
  const encoded = ascii.decode(kadKey.subarray(PREFIX_BYTES.length))
  let key: Uint8Array
  try {
    key = base32.baseDecode(encoded)
  } catch (err) {
    throw new BadRequestError(`DHT key ${PREFIX}${encoded.slice(0, 40)} is not base32: ${(err as Error).message}`)
  }
  if (key.length === 0 || base32.baseEncode(key) !== encoded) throw new BadRequestError(`DHT key ${PREFIX}${encoded.slice(0, 40)} is not canonical base32 of a key`)
  return key
}
