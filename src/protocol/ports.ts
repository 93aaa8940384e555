import type { ArcSummary, DataOp, DigestPage, FetchResult, KvRecord, LeaveNotice, MergeInvitation, NeighbourState, RangePage, RecordDigest, RouteReply, RouteRequest, WatchQuery } from './messages.js'
import type { MemberInfo } from './member-info.js'
import type { RingTag } from '../ring/ring-tag.js'
import type { RingId } from '../ring/ids.js'
import type { NodeRef } from '../ring/node-ref.js'

/**
 * How the ring reaches other nodes: the only network surface the Chord logic
 * sees (the paper's remote procedure calls). These ports sit with the
 * protocol so the ring, maintenance and storage depend on them and not on
 * the network: network/client.ts implements them over libp2p, and tests
 * run the logic over simulated networks.
 *
 * Every call rejects with UnreachableError or RequestTimeoutError when the
 * peer should be treated as dead, and with RemoteError when it answered with
 * an error.
 */
export interface ChordTransport {
  ping (to: NodeRef): Promise<void>
  getState (to: NodeRef): Promise<NeighbourState>
  /** Tells `to` that this node may be its predecessor. */
  notify (to: NodeRef): Promise<void>
  /** Invites `to`, a member of another ring, to merge; resolves with the tag of its ring. */
  merge (to: NodeRef, invitation: MergeInvitation): Promise<RingTag>
  /**
   * Hints to `to` that this node's neighbours changed: a predecessor should
   * stabilize now, a successor learn its predecessors past the first again.
   */
  changed (to: NodeRef): Promise<void>
  /**
   * Forwards a routed request to the next hop. `onAccepted` runs when the hop
   * confirms it took the request and forwarded it on.
   */
  route (to: NodeRef, request: RouteRequest, onAccepted?: () => void): Promise<RouteReply>
  /** Tells a neighbour this node is leaving, and who its new neighbour is. */
  leave (to: NodeRef, notice: LeaveNotice): Promise<void>
  /**
   * Whether a data request to `to` would go out at once, on a stream
   * already open. Owner hints are followed only then: a hint must cost
   * neither a dial (a peer whose host vanished would hold it for a dial
   * timeout) nor a new stream (a round trip, more than the hop it saves).
   * Over an open connection without the stream, the stream is opened now,
   * for the next request; with `dial`, so is a connection to a peer this
   * one has none to (small rings). Absent: never.
   */
  reachable? (to: NodeRef, dial?: boolean): boolean
}

/** How records move between peers (hand-off on join and leave, misplaced keys). */
export interface DataTransport {
  /** Offers digests; resolves with the indexes of the records `to` wants. */
  offer (to: NodeRef, digests: readonly RecordDigest[]): Promise<number[]>
  /** Sends records; `to` keeps each one that is newer than its own. */
  store (to: NodeRef, records: readonly KvRecord[]): Promise<void>
  /** Reads a page of the records `to` holds in the ring arc (from, to]. */
  range (to: NodeRef, from: RingId, until: RingId, after: Uint8Array | undefined, limit: number): Promise<RangePage>
  /**
   * Digests of `parts` equal sub-arcs of (from, until] as `to` holds them.
   * `ownerArc`: (from, until] is this peer's whole arc and `to` holds all
   * of it (a replica, or the successor taking over as this peer leaves).
   */
  summary (to: NodeRef, from: RingId, until: RingId, parts: number, ownerArc?: boolean): Promise<ArcSummary[]>
  /** A page of the record digests `to` holds in (from, until]. */
  digests (to: NodeRef, from: RingId, until: RingId, after: Uint8Array | undefined, limit: number): Promise<DigestPage>
  /** The records `to` holds for these keys (absent ones are left out), for a prefix of them. */
  fetch (to: NodeRef, keys: readonly Uint8Array[]): Promise<FetchResult>
  /** Registers a watch at a replica of the key; resolves with its record when newer than `since`. */
  watch (to: NodeRef, query: WatchQuery): Promise<KvRecord | undefined>
  /** Tells a watcher of a newer version stored here. */
  watchEvent (to: NodeRef, record: KvRecord): Promise<void>
}

/** What a node serves to its peers: the handlers behind the protocol. */
export interface ChordHandlers {
  /** Any request from a peer shows that it is alive. */
  seen (from: NodeRef): void
  getState (from: NodeRef): NeighbourState
  notify (from: NodeRef): Promise<void>
  /** An invitation to merge into another ring; answers this node's ring tag. */
  merge (from: NodeRef, invitation: MergeInvitation): RingTag
  changed (from: NodeRef): void
  /** Serves one hop of a routed request; `accept` sends the interim reply before forwarding. */
  route (request: RouteRequest, from: NodeRef, accept: () => void): Promise<RouteReply>
  leave (from: NodeRef, notice: LeaveNotice): void
}

/** What a node serves to move records. */
export interface DataHandlers {
  /** A routed write from a peer this peer does not hold as a member: its version is fixed again here if it is ahead. */
  admitFromStranger (op: DataOp): DataOp
  offer (from: NodeRef, digests: readonly RecordDigest[]): Promise<number[]>
  store (from: NodeRef, records: readonly KvRecord[]): Promise<void>
  range (from: NodeRef, start: RingId, until: RingId, after: Uint8Array | undefined, limit: number): Promise<RangePage>
  summary (from: NodeRef, start: RingId, until: RingId, parts: number, ownerArc?: boolean): Promise<ArcSummary[]>
  digests (from: NodeRef, start: RingId, until: RingId, after: Uint8Array | undefined, limit: number): Promise<DigestPage>
  fetch (from: NodeRef, keys: readonly Uint8Array[]): Promise<FetchResult>
  /** A peer's clients watch a key this peer holds a replica of. */
  watch (from: NodeRef, query: WatchQuery): Promise<KvRecord | undefined>
}

/** What a node serves to its own watchers: versions of watched keys, from their replicas. */
export interface WatchHandlers {
  watchEvent (from: NodeRef, record: KvRecord): void
}

/** What a node tells about itself (read-only, for ring views). */
export interface InfoHandlers {
  memberInfo (from: NodeRef): Promise<MemberInfo>
}
