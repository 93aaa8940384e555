/**
 * The answers of the control socket, op by op, as the server sends them
 * (after `"ok":true`) and the CLI formats them. An overlay's control API
 * returns these; where the overlays differ (lookup, status) the answer is a
 * union tagged by its fields. Changing a field here makes the compiler
 * point at the API that fills it and at the CLI that prints it.
 */

/** A ring member as status, lookup and ring views name it. */
export interface NodeView {
  readonly peerId: string
  readonly ringId: string
}

/** `put`: the replicas that stored the value (chord: the owner included; kad: this peer and the peers that acknowledged). */
export interface PutReply {
  readonly replicas: number
}

/** `lookup` on a chord peer: the key's owner, its replicas and the route. */
export interface ChordLookupReply extends NodeView {
  /** The key's ring identifier (hex). */
  readonly keyId: string
  /** Owner first; undefined when the owner did not answer. */
  readonly replicas: readonly NodeView[] | undefined
  readonly hops: number
  readonly path: readonly string[]
}

/** `lookup` on a kad peer: the peers closest to the key and what the walk cost. */
export interface KadLookupReply {
  readonly kadKey: string
  readonly kadId: string
  readonly closest: readonly string[]
  readonly queried: number
  readonly messages: number
}

export type LookupReply = ChordLookupReply | KadLookupReply

/** What both overlays report in `status`. */
interface StatusBase {
  readonly version: string
  readonly peerId: string
  readonly addrs: readonly string[]
  readonly state: 'joining' | 'joined' | 'leaving'
  readonly keys: number
}

/** `status` of a chord peer. */
export interface ChordStatusReport extends StatusBase {
  readonly overlay: 'chord'
  readonly ringId: string
  readonly predecessor: NodeView | null
  readonly successors: readonly NodeView[]
  readonly fingers: readonly NodeView[]
  readonly keysOwned: number
  readonly keysReplicated: number
  readonly tombstones: number
  /** Values held here that expire (put --ttl), and values that expired here since start. */
  readonly expiring: number
  readonly expired: number
  readonly replication: {
    readonly factor: number
    readonly writeQuorum: number
    readonly readQuorum: number
    readonly lastRepair: { readonly rounds: number, readonly durationMs: number, readonly pushed: number, readonly pulled: number, readonly bytes: number }
    /** Since start: records repair sent and took, and records handed on to their holders. */
    readonly moved: { readonly pushed: number, readonly pulled: number, readonly bytes: number, readonly handedOn: number }
    /** Writes kept for replicas that missed them. */
    readonly hints: { readonly records: number, readonly bytes: number, readonly replicas: number, readonly delivered: number, readonly dropped: number, readonly overflowed: number }
  }
  readonly ring: {
    readonly successorListLength: number
    /** The ring has r or fewer members: outside the size Zave's correctness proof covers (r+1). */
    readonly degraded: boolean
    readonly members: number | undefined
    readonly tag: string | null
    readonly merging: boolean
    readonly splitSuspected: ReadonlyArray<{ readonly peerId: string, readonly ring: string, readonly forMs: number }>
    readonly merges: {
      readonly splitsFound: number
      readonly invitations: number
      readonly moves: number
      readonly mergesDone: number
      readonly lastMerge: { readonly peerId: string, readonly durationMs: number, readonly agoMs: number } | null
    }
  }
  readonly membership: { readonly remembered: number, readonly passive: number, readonly vanished: number }
}

/** `status` of a kad peer. */
export interface KadStatusReport extends StatusBase {
  readonly overlay: 'kad'
  readonly kadId: string
  readonly mode: string
  readonly routingTable: number
  readonly connections: number
}

export type StatusReport = ChordStatusReport | KadStatusReport

/** A ring member as the ring view shows it. */
export interface RingMember extends NodeView {
  readonly addrs: readonly string[]
  readonly version: string
  readonly state: 'joining' | 'joined' | 'leaving'
  /** Fraction of the identifier space this member owns (from the member before it); null when unknown. */
  readonly share: number | null
  readonly keys: number
  readonly keysOwned: number
  readonly keysReplicated: number
  readonly tombstones: number
  readonly predecessor: NodeView | null
  readonly successors: readonly NodeView[]
  readonly fingers: readonly NodeView[]
  /**
   * The successor list against the walk: its length, the length it should
   * have (r, or the other members when there are fewer), and how many of its
   * first entries are the members that follow on the walk.
   */
  readonly successorList: { readonly length: number, readonly expected: number, readonly matching: number }
}

/** `ring`: a walk of the ring from one peer, successor to successor. */
export interface RingView {
  /** The peer that walked. */
  readonly from: string
  /** Members in ring order, the walking peer first. */
  readonly members: readonly RingMember[]
  /** The walk came back to the peer it started from. */
  readonly closed: boolean
  /** Anything that does not look like one healthy ring; empty when all is well. */
  readonly warnings: readonly string[]
  readonly elapsedMs: number
}

/**
 * `health`: `healthy` is false while the peer cannot take writes; every
 * reason says why in one sentence.
 */
export interface HealthReport {
  readonly healthy: boolean
  readonly state: 'joining' | 'joined' | 'leaving'
  readonly reasons: readonly string[]
}

/** `get`: the value, as the request's encoding asked. */
export interface GetReply {
  readonly value: string
}

/** `del`: `existed` is present, and false, only when the key held no value. */
export interface DelReply {
  readonly existed?: false
}

/** `leave`: whether the peer hands its keys on (false: it is not a ring member and just stops). */
export interface LeaveReply {
  readonly handoff: boolean
}

/** `watch` (once the watch holds; its events follow on the connection) and `unwatch`: nothing besides "ok". */
export type Acknowledged = Readonly<Record<never, never>>

/** Every op's answer. */
export interface Replies {
  put: PutReply
  get: GetReply
  del: DelReply
  lookup: LookupReply
  status: StatusReport
  ring: RingView
  health: HealthReport
  leave: LeaveReply
  watch: Acknowledged
  unwatch: Acknowledged
}
