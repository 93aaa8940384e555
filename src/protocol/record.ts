/**
 * The data model: a key/value record and its version. Versions order the
 * writes to one key the same way on every peer, so replicas and hand-offs
 * converge on one winner, and an older version never replaces a newer one.
 */

/** A version: hybrid-logical-clock timestamp, then the writer's peer ID to break ties. */
export interface Version {
  readonly timestamp: bigint
  readonly writer: string
}

/**
 * A stored key/value pair; `value` undefined marks a tombstone (a delete).
 * An expiring value carries `expiresAtMs`, the writer's wall-clock
 * millisecond from which it reads as a deletion at its own version; once
 * expired the record drops its value and keeps the field.
 */
export interface KvRecord {
  readonly key: Uint8Array
  readonly value: Uint8Array | undefined
  readonly version: Version
  readonly expiresAtMs?: number
}

/** A record's key and version, without its value. */
export interface RecordDigest {
  readonly key: Uint8Array
  readonly version: Version
}

/** Orders versions: timestamp first, then writer peer ID. */
export function compareVersions (a: Version, b: Version): number {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1
  return a.writer < b.writer ? -1 : a.writer > b.writer ? 1 : 0
}

/** Whether `candidate` should replace `current` (absent counts as oldest). */
export function isNewer (candidate: Version, current: Version | undefined): boolean {
  return current === undefined || compareVersions(candidate, current) > 0
}

/** Whether an expiring record's instant has passed at wall-clock `nowMs`. */
export function isExpired (record: KvRecord, nowMs: number): boolean {
  return record.expiresAtMs !== undefined && record.expiresAtMs <= nowMs
}

/**
 * Whether a store should take `candidate` over `current`: a newer version,
 * or the same version expired (its value dropped), so expiry is applied in
 * place and never orders before or after any other write.
 */
export function supersedes (candidate: KvRecord, current: KvRecord | undefined): boolean {
  if (current === undefined) return true
  const order = compareVersions(candidate.version, current.version)
  if (order !== 0) return order > 0
  return current.value !== undefined && candidate.value === undefined && candidate.expiresAtMs !== undefined
}

/** A key as a map key: its bytes one character each. */
export function keyId (key: Uint8Array): string {
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1')
}
