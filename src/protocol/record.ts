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

/** A stored key/value pair; `value` undefined marks a tombstone (a delete). */
export interface KvRecord {
  readonly key: Uint8Array
  readonly value: Uint8Array | undefined
  readonly version: Version
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
