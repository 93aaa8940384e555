import { peerIdFromMultihash, peerIdFromString } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import { BadRequestError } from '../errors.js'
import { Record as PbRecord, type Digest as PbDigest } from './chord.js'
import type { KvRecord, RecordDigest, Version } from './record.js'

/** Writer peer IDs seen so far, both ways (there are few writers: the peers). */
const writerStrings = new Map<string, string>()
const writerBytes = new Map<string, Uint8Array<ArrayBuffer>>()

function writerToBytes (writer: string): Uint8Array<ArrayBuffer> {
  let bytes = writerBytes.get(writer)
  if (bytes === undefined) {
    bytes = new Uint8Array(peerIdFromString(writer).toMultihash().bytes)
    if (writerBytes.size > 10_000) writerBytes.clear()
    writerBytes.set(writer, bytes)
  }
  return bytes
}

function writerFromBytes (bytes: Uint8Array, field: string): string {
  const cacheKey = Buffer.from(bytes).toString('latin1')
  let writer = writerStrings.get(cacheKey)
  if (writer === undefined) {
    try {
      writer = peerIdFromMultihash(Digest.decode(bytes)).toString()
    } catch {
      throw new BadRequestError(`${field}.writer is not a valid peer ID`)
    }
    if (writerStrings.size > 10_000) writerStrings.clear()
    writerStrings.set(cacheKey, writer)
  }
  return writer
}

export function encodeRecord (record: KvRecord, withKey = true): PbRecord {
  return {
    key: withKey ? copy(record.key) : new Uint8Array(0),
    value: record.value === undefined ? undefined : copy(record.value),
    timestamp: record.version.timestamp,
    writer: writerToBytes(record.version.writer),
    expiresAtMs: record.expiresAtMs === undefined ? undefined : BigInt(record.expiresAtMs)
  }
}

export function decodeRecord (pb: PbRecord, field: string, key: Uint8Array = pb.key): KvRecord {
  const record = { key, value: pb.value, version: decodeVersion(pb.timestamp, pb.writer, field) }
  return pb.expiresAtMs === undefined ? record : { ...record, expiresAtMs: decodeMillis(pb.expiresAtMs, `${field}.expiresAtMs`) }
}

/** A wall-clock millisecond from the wire; beyond 2^53 it is refused by name. */
export function decodeMillis (ms: bigint, field: string): number {
  if (ms > BigInt(Number.MAX_SAFE_INTEGER)) throw new BadRequestError(`${field} ${ms} is out of range`)
  return Number(ms)
}

export function encodeDigest (digest: RecordDigest): PbDigest {
  return { key: copy(digest.key), timestamp: digest.version.timestamp, writer: writerToBytes(digest.version.writer) }
}

export function decodeDigest (pb: PbDigest, field: string): RecordDigest {
  return { key: pb.key, version: decodeVersion(pb.timestamp, pb.writer, field) }
}

/** A record as stored on disk: the protobuf form without the key (it is in the storage key). */
export function recordToBytes (record: KvRecord): Uint8Array {
  return PbRecord.encode(encodeRecord(record, false))
}

export function recordFromBytes (key: Uint8Array, bytes: Uint8Array): KvRecord {
  return decodeRecord(PbRecord.decode(bytes), 'stored record', key)
}

/** A version on the wire: its timestamp and the writer's peer ID (multihash bytes). */
export function encodeVersion (version: Version): { timestamp: bigint, writer: Uint8Array<ArrayBuffer> } {
  return { timestamp: version.timestamp, writer: writerToBytes(version.writer) }
}

/** A version from the wire; a writer that is not a peer ID is a BadRequestError naming `field`. */
export function decodeVersion (timestamp: bigint, writer: Uint8Array, field: string): Version {
  return { timestamp, writer: writerFromBytes(writer, field) }
}

function copy (bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? bytes as Uint8Array<ArrayBuffer>
    : new Uint8Array(bytes)
}
