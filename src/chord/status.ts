import type { MergeStats, SplitSuspect } from './ring-merger.js'
import type { NodeRef } from '../ring/node-ref.js'
import type { RingTag } from '../ring/ring-tag.js'
import type { RepairReport } from '../storage/data-node.js'
import type { HintStats } from '../storage/hints.js'
import type { RepairStats } from '../storage/repair.js'
import type { ReplicationOptions } from '../storage/replication.js'

/**
 * What a chord peer tells about itself at one moment ({@link ChordService.status}):
 * what the control socket's status and health, the metrics and the tests
 * read, without reaching into the ring or the records.
 */
export interface ChordStatus {
  /** The peer's clock when this was taken (ms): `since` and `at` below are read against it. */
  readonly now: number
  readonly self: NodeRef
  readonly state: 'joining' | 'joined' | 'leaving'
  /** Its join completed (still true while it leaves). */
  readonly joined: boolean
  readonly predecessor: NodeRef | undefined
  readonly successors: readonly NodeRef[]
  /** Successors not suspected of having failed. */
  readonly liveSuccessors: number
  /** Distinct fingers. */
  readonly fingers: readonly NodeRef[]
  /** r */
  readonly successorListLength: number
  /** The successor list wraps around to this peer: the ring has r or fewer members. */
  readonly successorsWrap: boolean
  /** Ring members: exact for rings of r or fewer, else estimated from the arcs its own and recently heard members' successor lists span. */
  readonly ringSizeEstimate: number
  readonly tag: RingTag | undefined
  /** A split not yet seen healed, or a merge step taken recently. */
  readonly merging: boolean
  readonly splitSuspects: readonly SplitSuspect[]
  readonly merges: MergeStats
  /** Live keys held (owned or replicated) and tombstones; values held that expire, and values expired here since start. */
  readonly records: { readonly keys: number, readonly tombstones: number, readonly expiring: number, readonly expired: number }
  readonly replication: ReplicationOptions
  /** The last anti-entropy pass. */
  readonly lastRepair: RepairReport
  /** Since start: what repair moved, and the records handed on to their holders after ring changes. */
  readonly moved: RepairStats & { readonly handedOn: number }
  readonly hints: HintStats
  /** Ring members remembered across restarts, peers on the passive list, and lost successors still silent (crashed, or across a split). */
  readonly membership: { readonly remembered: number, readonly passive: number, readonly vanished: number }
  /** Some passive-list peer answered within the last minute: live peers this peer knows are outside its ring view. */
  readonly knownPeersAlive: boolean
}
