import { BadRequestError } from '../errors.js'
import { compareVersions, type KvRecord, type Version } from '../protocol/record.js'
import { recordFromBytes, recordToBytes } from '../protocol/record-codec.js'
import { userKeyOf } from './keys.js'
import type { Limits } from '../limits.js'
import type { SelectFn, ValidateFn } from '@libp2p/kad-dht'

/**
 * What a chordkv value looks like inside a kad-dht record: the value with
 * its version, in the same protobuf form chord keeps on disk (`Record`
 * without the key, which is the DHT key). The version — a hybrid-logical-
 * clock timestamp and the writer's peer ID — lets the selector pick the
 * latest write when peers hold different values for one key, and kad-dht
 * then sends that record to the peers holding older ones.
 */

/** The DHT record value for a write of `value` under `key` with `version`. */
export function encodeKadValue (key: Uint8Array, value: Uint8Array, version: Version): Uint8Array {
  return recordToBytes({ key, value, version })
}

/** Reads a DHT record value back; throws {@link BadRequestError} if it is not a chordkv value. */
export function decodeKadValue (key: Uint8Array, bytes: Uint8Array): KvRecord & { value: Uint8Array } {
  let record: KvRecord
  try {
    record = recordFromBytes(key, bytes)
  } catch (err) {
    throw new BadRequestError(`not a chordkv record: ${(err as Error).message}`)
  }
  if (record.value === undefined) throw new BadRequestError('a chordkv record in the DHT must hold a value')
  return record as KvRecord & { value: Uint8Array }
}

/**
 * kad-dht validator for `/chordkv/` records: the key must map back to a user
 * key within the limit, and the value must be a versioned record within
 * the value limit. It runs on every record this peer stores for others and
 * on every record a lookup returns, so malformed or oversized records are
 * refused on the way in and ignored on the way out.
 */
export function chordkvValidator (limits: Limits): ValidateFn {
  return (kadKey, bytes) => {
    const key = userKeyOf(kadKey)
    if (key.length > limits.maxKeyBytes) throw new BadRequestError(`key is ${key.length} bytes; the limit is ${limits.maxKeyBytes}`)
    const record = decodeKadValue(key, bytes)
    if (record.value.length > limits.maxValueBytes) throw new BadRequestError(`value is ${record.value.length} bytes; the limit is ${limits.maxValueBytes}`)
  }
}

/**
 * kad-dht selector for `/chordkv/` records: the index of the latest write
 * (highest version; the writer's peer ID breaks timestamp ties, as in chord).
 * Records that do not decode never win.
 */
export const chordkvSelector: SelectFn = (kadKey, records) => {
  let best = 0
  let bestVersion: Version | undefined
  for (const [i, bytes] of records.entries()) {
    let version: Version
    try {
      version = decodeKadValue(kadKey, bytes).version
    } catch {
      continue
    }
    if (bestVersion === undefined || compareVersions(version, bestVersion) > 0) {
      best = i
      bestVersion = version
    }
  }
  return best
}
