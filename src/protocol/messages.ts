import type { KvRecord, RecordDigest, Version } from './record.js'
import type { RingId } from '../ring/ids.js'
import type { NodeRef } from '../ring/node-ref.js'
import type { RingTag } from '../ring/ring-tag.js'
import type { Claim } from '../ring/routing.js'

/**
 * The peer protocol's messages as the rest of chordkv sees them: ring
 * identifiers as bigints and peers as {@link NodeRef}s. `codec.ts` converts
 * to and from the protobuf wire form.
 */

/** A neighbour's view, read by stabilize: its predecessor and successor list. */
export interface NeighbourState {
  readonly predecessor?: NodeRef | undefined
  readonly successors: readonly NodeRef[]
  /** False while the peer is joining (or leaving): its lists are not a member's. */
  readonly member: boolean
  /** Its ring's tag (members only). */
  readonly tag?: RingTag | undefined
}

/** A client's request as it reaches the peer where it enters the ring. */
export type ClientOp =
  | { readonly kind: 'put', readonly key: Uint8Array, readonly value: Uint8Array, readonly ttlMs?: number }
  | { readonly kind: 'get', readonly key: Uint8Array }
  | { readonly kind: 'del', readonly key: Uint8Array }

/**
 * A data operation as it travels to the key's owner: writes carry the
 * version the entry peer fixed for them (see `PutOp` in chord.proto).
 */
export type DataOp =
  | { readonly kind: 'put', readonly key: Uint8Array, readonly value: Uint8Array, readonly version: Version, readonly ttlMs?: number }
  | { readonly kind: 'get', readonly key: Uint8Array }
  | { readonly kind: 'del', readonly key: Uint8Array, readonly version: Version }

/** What a routed request asks the key's owner to do. */
export type RouteOp = { readonly kind: 'lookup' } | DataOp

/** A request routed hop by hop to the peer responsible for `key`. */
export interface RouteRequest {
  readonly key: RingId
  /** Peer keys visited so far, the origin first. */
  readonly path: readonly string[]
  readonly claim?: Claim | undefined
  /** Milliseconds left for the rest of the route. */
  readonly budgetMs: number
  readonly op: RouteOp
}

/**
 * What the owner did: for get the record found, for put and del the version
 * it holds after the write (the one written, or a newer one it lost to).
 */
export interface OpResult {
  readonly record?: KvRecord | undefined
  /** del: whether the key held a value before. */
  readonly existed?: boolean | undefined
  /** put and del: replicas (the owner included) that stored the write. */
  readonly replicas?: number | undefined
}

/** Digest of the records in an arc: XOR of their fingerprints, and their count. */
export interface ArcSummary {
  readonly hash: Uint8Array
  readonly count: number
}

/**
 * What a watcher hears: a put, a delete or an expiry, each a version newer
 * than the last it heard; or `resync`, the key's current state (value or
 * absent) when versions may have been missed in between (a watch that
 * starts from an older version, a replica set that changed while no
 * replica could tell).
 */
export type WatchEventKind = 'put' | 'del' | 'expired' | 'resync'

export interface WatchEvent {
  readonly kind: WatchEventKind
  /** The version heard; absent in a resync of a key that never held one here. */
  readonly record: KvRecord | undefined
}

/** Hears a watch's events. */
export type WatchSink = (event: WatchEvent) => void

/** A watch registration: send the watcher every newer version of `key` stored here, for `ttlMs`. */
export interface WatchQuery {
  readonly key: Uint8Array
  /** The newest version the watcher has seen, if any. */
  readonly since: Version | undefined
  readonly ttlMs: number
}

/** Records found for a prefix of the keys asked for. */
export interface FetchResult {
  readonly records: readonly KvRecord[]
  /** How many of the keys asked for were looked at (at least one). */
  readonly served: number
}

/** A page of record digests read from a ring arc. */
export interface DigestPage {
  readonly digests: readonly RecordDigest[]
  readonly more: boolean
}

/** The owner's answer, carried back along the path. */
export interface RouteReply extends OpResult {
  readonly owner: NodeRef
  /** The owner's predecessor when it answered: it held (ownerPredecessor, owner]. */
  readonly ownerPredecessor?: NodeRef | undefined
  readonly hops: number
  /** Every peer visited, the origin first and the owner last. */
  readonly path: readonly string[]
}

/** A page of records read from a ring arc. */
export interface RangePage {
  readonly records: readonly KvRecord[]
  /** More follow after the last record. */
  readonly more: boolean
}

/**
 * An invitation to merge rings: the receiver's ring lost to the ring tagged
 * `tag`, which `contact` is a member of; the receiver joins that ring
 * through `contact` and passes the invitation on around its own ring.
 */
export interface MergeInvitation {
  readonly tag: RingTag
  readonly contact: NodeRef
}

/** Neighbours a leaving peer tells about each other. */
export interface LeaveNotice {
  readonly predecessor?: NodeRef | undefined
  readonly successor?: NodeRef | undefined
}

export type { KvRecord, RecordDigest, Version }
