import { DEFAULT_CHORD_OPTIONS, type ChordOptions } from './node.js'
import { DATA, majority, START, TRANSPORT, WATCH } from '../defaults.js'
import { maxFrameSizeFor, PEER_BUDGET_FRAMES } from '../protocol/constants.js'
import { memoryPlanFor } from '../memory-budget.js'
import type { Config } from '../config.js'
import type { TransportOptions } from '../network/libp2p-transport.js'
import type { MemberStore } from '../node/member-book.js'
import type { Clock } from '../node/clock.js'
import type { OperationObserver } from '../operation-observer.js'
import type { DataNodeOptions } from '../storage/data-node.js'
import type { Limits } from '../limits.js'
import type { HintLimits } from '../storage/hints.js'
import type { ReplicationOptions } from '../storage/replication.js'
import type { RecordStore } from '../storage/store.js'
import type { Multiaddr } from '@multiformats/multiaddr'

/**
 * How a chord peer is set up; every field is optional and defaults from
 * defaults.ts. The ring's own parameters are {@link ChordOptions}.
 */
export interface ChordServiceInit extends Partial<ChordOptions> {
  /** The one clock every part of the peer reads and sets timers on. @default the system's (node/clock.ts) */
  readonly clock?: Clock
  /** Multiaddrs of ring members to join through. @default none: found a new ring (or rejoin remembered members) */
  readonly bootstrap?: readonly Multiaddr[]
  /** Where records are kept. @default in memory */
  readonly store?: RecordStore
  /** Largest key and value (bytes). @default 1 KiB keys, 1 MiB values */
  readonly limits?: Limits
  /** First and longest wait between join attempts while no bootstrap peer answers (ms). @default 1 s, 30 s */
  readonly joinRetryMs?: { readonly initial: number, readonly max: number }
  /**
   * How long a starting peer tries to reach the peers it knows (bootstrap
   * entries, remembered members) before it founds a ring of its own and
   * keeps looking for them in the background (ms). @default 15 s
   */
  readonly foundAfterMs?: number
  /** Where the members this peer saw persist between runs. @default in memory only */
  readonly memberStore?: MemberStore
  /** Remembered members are written at most this often, and only when they changed (ms). @default 10 s */
  readonly memberSaveIntervalMs?: number
  /** k, W, R and the clock offset allowed. @default k = 3, W = a majority of k, R = 1, 1 min */
  readonly replication?: Partial<ReplicationOptions>
  /** Period of anti-entropy with the replicas (ms). @default 30 s */
  readonly repairIntervalMs?: number
  /** Average bytes per second repair may move. @default 16 MiB */
  readonly maxRepairBytesPerSecond?: number
  /** Tombstones older than this are deleted (ms). @default 24 h */
  readonly tombstoneGraceMs?: number
  /** After losing a ring neighbour, how long a peer answers REPLICAS_UNAVAILABLE instead of NOT_FOUND for keys it lacks (ms). @default 1 min */
  readonly notFoundGraceMs?: number
  /** Longest period of the check for records this peer neither owns nor replicates (ms). @default 30 s */
  readonly handoffIntervalMs?: number
  /** Writes kept for replicas that missed them (hinted hand-off). @default 10,000 writes, 16 MiB */
  readonly hints?: Partial<HintLimits>
  /** How often kept writes are offered to replicas that answer again (ms). @default 1 s */
  readonly hintIntervalMs?: number
  /** How often the replicas of each watched key are asked to keep its watch (ms); a registration lapses after 3 periods. @default 30 s */
  readonly watchRenewMs?: number
  /** Client requests routed into the ring at once from this peer; more wait their turn. @default 64 */
  readonly maxEntryOps?: number
  /** Bounds of the per-peer request timeouts (ms). @default 2 s at first, 0.5 s to 5 s */
  readonly rpcTimeout?: TransportOptions['rpcTimeout']
  /** Time allowed to open a connection and stream to a peer (ms). @default 5 s */
  readonly dialTimeoutMs?: number
  /** An inbound frame must arrive whole within this long of its first byte (ms). @default 30 s */
  readonly frameTimeoutMs?: number
  /** A peer that reads none of its answers for this long has its stream reset (ms). @default 30 s */
  readonly drainTimeoutMs?: number
  /** What one peer may hold here over the peer protocol (unfinished frames and requests; unread answers), in frames. @default 4 */
  readonly peerBudgetFrames?: number
  /** Told about every put, get, del and lookup (metrics). @default none */
  readonly observer?: OperationObserver
}

/** A chord peer's settings with every default applied. */
export interface ChordSettings {
  readonly ring: ChordOptions
  readonly transport: TransportOptions
  readonly data: DataNodeOptions
  readonly start: {
    readonly bootstrap: readonly Multiaddr[]
    readonly foundAfterMs: number
    readonly joinRetryMs: { readonly initial: number, readonly max: number }
    readonly memberSaveIntervalMs: number
  }
  /** Periods of the data plane's background tasks (ms). */
  readonly periods: { readonly repairMs: number, readonly handoffMs: number, readonly hintMs: number, readonly watchRenewMs: number }
}

/** Applies the defaults to `init`. */
export function chordSettings (init: ChordServiceInit = {}): ChordSettings {
  const ring: ChordOptions = { ...DEFAULT_CHORD_OPTIONS, ...definedOnly(init, DEFAULT_CHORD_OPTIONS) }
  const limits = init.limits ?? DATA.limits
  const maxFrameSize = maxFrameSizeFor(limits)
  const k = init.replication?.factor ?? DATA.replication.factor
  const replication: ReplicationOptions = {
    ...DATA.replication,
    writeQuorum: majority(k),
    ...definedOnly(init.replication ?? {}, DATA.replication)
  }
  const repairMs = init.repairIntervalMs ?? DATA.repairIntervalMs
  const rpcTimeout = init.rpcTimeout ?? TRANSPORT.rpcTimeout
  return {
    ring,
    transport: {
      maxFrameSize,
      maxInFlight: TRANSPORT.maxInFlight,
      rpcTimeout,
      acceptAfterMs: Math.floor(rpcTimeout.minMs * TRANSPORT.acceptAfterShare),
      dialTimeoutMs: init.dialTimeoutMs ?? TRANSPORT.dialTimeoutMs,
      frameTimeoutMs: init.frameTimeoutMs ?? TRANSPORT.frameTimeoutMs,
      drainTimeoutMs: init.drainTimeoutMs ?? TRANSPORT.drainTimeoutMs,
      peerBudgetFrames: init.peerBudgetFrames ?? PEER_BUDGET_FRAMES
    },
    data: {
      limits,
      replication,
      repair: { ...DATA.repair, batchBytes: Math.floor(maxFrameSize / 2), maxBytesPerSecond: init.maxRepairBytesPerSecond ?? DATA.maxRepairBytesPerSecond },
      tombstoneGraceMs: init.tombstoneGraceMs ?? DATA.tombstoneGraceMs,
      notFoundGraceMs: init.notFoundGraceMs ?? DATA.notFoundGraceMs,
      hints: { ...DATA.hints, ...init.hints },
      // Owners repeat it on every repair pass: three of their longest periods.
      replicaTtlMs: 3 * repairMs * ring.stableBackoff * (1 + ring.jitter),
      maxEntryOps: init.maxEntryOps ?? DATA.maxEntryOps
    },
    start: {
      bootstrap: init.bootstrap ?? [],
      foundAfterMs: init.foundAfterMs ?? START.foundAfterMs,
      joinRetryMs: init.joinRetryMs ?? START.joinRetryMs,
      memberSaveIntervalMs: init.memberSaveIntervalMs ?? START.memberSaveIntervalMs
    },
    periods: {
      repairMs,
      handoffMs: init.handoffIntervalMs ?? DATA.handoffIntervalMs,
      hintMs: init.hintIntervalMs ?? DATA.hintIntervalMs,
      watchRenewMs: init.watchRenewMs ?? WATCH.renewMs
    }
  }
}

/** The init a configured peer runs with (`chordkv start`); what it leaves out the daemon adds (store, members, metrics). */
export function chordInitFrom (config: Config): ChordServiceInit {
  const memory = memoryPlanFor(config)
  return {
    hints: { maxBytes: memory.hintBytes },
    peerBudgetFrames: memory.peerFrames,
    limits: config.limits,
    successors: config.ring.successors,
    stabilizeIntervalMs: config.ring.stabilizeIntervalMs,
    fixFingersIntervalMs: config.ring.fixFingersIntervalMs,
    checkPredecessorIntervalMs: config.ring.checkPredecessorIntervalMs,
    lookupTimeoutMs: config.ring.lookupTimeoutMs,
    maxHops: config.ring.maxHops,
    foundAfterMs: config.ring.foundAfterMs,
    replication: {
      factor: config.replication.factor,
      writeQuorum: config.replication.writeQuorum,
      readQuorum: config.replication.readQuorum,
      maxClockOffsetMs: config.replication.maxClockOffsetMs
    },
    repairIntervalMs: config.replication.repairIntervalMs,
    maxRepairBytesPerSecond: config.replication.maxRepairBytesPerSecond,
    tombstoneGraceMs: config.replication.tombstoneGraceMs,
    notFoundGraceMs: config.replication.notFoundGraceMs
  }
}

/** The fields of `init` named in `defaults` that are set. */
function definedOnly<T extends object> (init: object, defaults: T): Partial<T> {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(defaults)) {
    const value = (init as Record<string, unknown>)[key]
    if (value !== undefined) out[key] = value
  }
  return out as Partial<T>
}
