/**
 * Every default of a chord peer, in one place. The service init
 * (chord/settings.ts), the ring (chord/node.ts), the records
 * (storage/data-node.ts) and the configuration (config.ts, and through it
 * config/default.json, the README and the CLI) all take their defaults
 * from here; test/config.test.ts keeps them in step. Durations are in
 * milliseconds, written with the units below; sizes in bytes.
 */

/** One second, in milliseconds. */
export const second = 1000
/** One minute, in milliseconds. */
export const minute = 60 * second
/** One hour, in milliseconds. */
export const hour = 60 * minute
/** One day, in milliseconds. */
export const day = 24 * hour
/** One kibibyte, in bytes. */
export const KiB = 1024
/** One mebibyte, in bytes. */
export const MiB = 1024 * KiB

/** The ring: its parameters and maintenance periods (ChordOptions). */
export const RING = {
  /** Successor-list length r: tolerates r − 1 consecutive crashes between stabilizations. */
  successors: 8,
  /** Routes longer than this are refused (loop guard). */
  maxHops: 64,
  /** Time allowed for a whole lookup or data operation. */
  lookupTimeoutMs: 10 * second,
  stabilizeIntervalMs: 2 * second,
  fixFingersIntervalMs: 5 * second,
  checkPredecessorIntervalMs: 5 * second,
  /** Each period varies by ±20% so peers do not act in step. */
  jitter: 0.2,
  /** How long a peer that failed stays suspected. */
  suspectMs: 10 * second,
  /** While nothing changes, probing and repair stretch their periods up to this many times. */
  stableBackoff: 4,
  /**
   * While the neighbourhood holds still, stabilize stretches its period up
   * to this many times (32 s). It is the only request a resting peer sends
   * often; what it checked at 8 s, a neighbour's host gone silent, the
   * kernel now finds (TRANSPORT.keepAliveIdleMs), and a crashed process
   * closes its connections.
   */
  stabilizeBackoff: 16,
  /** While fingers stay right, fix-fingers stretches its period up to this many times. */
  fingerBackoff: 16,
  /** Period of the passive-list probe round. */
  probeIntervalMs: 1 * second,
  /** Passive-list peers probed per round at most. */
  probesPerRound: 2,
  /**
   * Passive-list size and per-peer probe back-off: first wait, longest wait,
   * forget after. A peer lost by failure that stays silent past patienceMs
   * (most are simply dead) is probed ever more rarely, up to slowMaxMs, so
   * under churn the probes of the dead do not pile up for a day.
   */
  passive: { capacity: 64, initialMs: 1 * second, maxMs: 15 * second, patienceMs: 2 * minute, slowMaxMs: 10 * minute, forgetMs: 24 * hour },
  /** How long after its last merge step a node still reports a merge in progress. */
  mergeSettleMs: 6 * second,
  /**
   * A member carrying this ring's tag that this ring does not route to is a
   * split whose sides share a tag only if probes this far apart both find
   * it so: a member that just joined is not routed to until stabilization
   * links it in, a few rounds, longer on a busy ring (at 2 s, a forming ring
   * of 300 peers on two cores raised tags, each starting merges around it).
   */
  splitDoubtMs: 30 * second,
  /**
   * Arcs that routes' owners stated, kept so a lookup of a key in one goes
   * straight to its owner (ring/owner-cache.ts): entries, and how long one
   * is used. About 40 KiB at most per peer.
   */
  ownerCache: { capacity: 256, ttlMs: 30 * minute },
  /**
   * A small ring: one whose size, as a peer estimates it, is at most this.
   * There each peer learns every member's arc and keeps a connection to
   * every member (as every node of a small OpenDHT network knows every
   * other), so a lookup takes one hop: fix-fingers walks the ring's states
   * (about N / r of them, then none until a reply shows the ring changed),
   * an owner hint to a member with no connection dials it for the next
   * request, and idle connections are not pruned. On a larger ring a
   * connection per owner would cost a Noise handshake per lookup; there
   * hints use the connections routing holds. The estimate pools the peer's
   * own successor list with those of the last `sizeSamples.count` members it
   * heard from (fingers, the walk's states) within `sizeSamples.maxAgeMs`. From its own 8 successors
   * alone it was above 128 for about 1 peer in 70 of a ring of 50, and
   * at or below it for about 1 in 14 of a ring of 200, each of which
   * dialled some hundred members and had them pruned minutes later (100
   * connections a second for 200 peers in one process, for two minutes
   * after forming).
   */
  meshPeers: 128,
  /** Successor lists of other members pooled into the ring's size estimate (ring/size-estimate.ts), and for how long one counts. */
  sizeSamples: { count: 16, maxAgeMs: 1 * minute }
} as const

/** Starting: joining or founding, and the members remembered across restarts. */
export const START = {
  /** How long a starting peer tries the peers it knows before it founds a ring of its own. */
  foundAfterMs: 15 * second,
  /**
   * A peer that reached a member but whose joins keep failing (an
   * overloaded ring, a lookup that times out) founds only after this many
   * times foundAfterMs: the ring is there, and a second one costs a merge.
   */
  joinFailuresPatience: 4,
  /** First and longest wait between join attempts while no known peer answers (both overlays). */
  joinRetryMs: { initial: 1 * second, max: 30 * second },
  /** Ring members remembered at most (the most recently seen). */
  rememberedMembers: 32,
  /** Remembered members are written at most this often, and only when they changed. */
  memberSaveIntervalMs: 10 * second
} as const

/** The peer protocol's streams and connections. */
export const TRANSPORT = {
  /** Requests a channel sends at once; a server serves four times as many before BUSY. */
  maxInFlight: 256,
  /** Bounds for per-peer request timeouts (RFC 6298 estimates within them). */
  rpcTimeout: { initialMs: 2 * second, minMs: 500, maxMs: 5 * second },
  /**
   * A hop that forwards a route says ACCEPTED (alive, the answer follows)
   * only if the answer is not back within this share of rpcTimeout.minMs:
   * nearly every route is answered sooner, and the interim reply was a
   * third of a hop's messages. The caller, waiting at least minMs, still
   * hears it in time.
   */
  acceptAfterShare: 0.2,
  /** Time allowed to open a connection and stream to a peer. */
  dialTimeoutMs: 5 * second,
  /** An inbound frame must arrive whole within this long of its first byte. */
  frameTimeoutMs: 30 * second,
  /** A peer that reads none of its answers for this long has its stream reset. */
  drainTimeoutMs: 30 * second,
  /** Connections this peer dialled, idle this long, to peers that are neither neighbours nor fingers are closed. */
  idleConnectionMs: 2 * minute,
  /**
   * The TCP transport closes a connection that carried nothing for this
   * long. A finger is touched once per fix-fingers pass (about log2 N
   * rounds of up to 80 s at rest): a shorter limit closed finger connections
   * between touches, and each touch then cost a new connection with its
   * Noise handshake on both sides (about 40 % of a resting ring's CPU at
   * N = 50).
   */
  socketIdleMs: 20 * minute,
  /**
   * The kernel probes a connection that carried nothing for this long
   * (TCP keep-alive; Node.js then probes every second, 10 times), so the
   * connection to a host that went silent fails within this + 10 s, at no
   * cost to the process. A connection failed that way drops its peer from
   * the successor list at once (ChordNode.hostGone).
   */
  keepAliveIdleMs: 3 * second,
  /** How often idle connections are looked for. */
  pruneIntervalMs: 1 * minute
} as const

/** The records: sizes, replication, repair and hand-off. */
export const DATA = {
  /** Largest key and value accepted, and the longest time to live of an expiring value. */
  limits: { maxKeyBytes: 1 * KiB, maxValueBytes: 1 * MiB, maxTtlMs: 365 * day },
  /** How often expired values are turned into deletions (their values dropped); reads hide them at once. */
  expiryIntervalMs: 1 * second,
  /** Expired values turned into deletions at a time, yielding to other work between batches. */
  expiryBatch: 256,
  /** k = 3 replicas, a majority write quorum, reads from the owner; versions up to a minute ahead of this peer's clock. */
  replication: { factor: 3, writeQuorum: 2, readQuorum: 1, maxClockOffsetMs: 1 * minute },
  /** Period of anti-entropy with the replicas; stretches up to {@link RING}.stableBackoff times while nothing moves. */
  repairIntervalMs: 30 * second,
  /** Average bytes per second repair may move. */
  maxRepairBytesPerSecond: 16 * MiB,
  /** Repair's digest tree: sub-arcs per level, records per leaf, records per batch sent. */
  repair: { fanout: 16, leafRecords: 64, batchRecords: 512 },
  /** Tombstones older than this are deleted; must exceed any peer's downtime. */
  tombstoneGraceMs: 24 * hour,
  /** After losing a ring neighbour, how long a peer answers REPLICAS_UNAVAILABLE instead of NOT_FOUND for keys it lacks. */
  notFoundGraceMs: 1 * minute,
  /** Longest period of the check for records this peer neither owns nor replicates (it runs every 2 s while it finds some). */
  handoffIntervalMs: 30 * second,
  /** Hinted hand-off keeps at most this many writes, and bytes, for replicas that missed them. */
  hints: { maxRecords: 10_000, maxBytes: 16 * MiB },
  /** How often kept writes are offered to replicas that answer again. */
  hintIntervalMs: 1 * second,
  /**
   * A joiner's copied arc gets the writes its old owner still takes for it,
   * for this long after the copy or after it settled, for this many joiners
   * at once; another peer joins there once it settled, after holdMs, or
   * when it did not notify its successor within noticeMs of its copy.
   */
  joinerArcs: { holdMs: 1 * minute, settledMs: 10 * second, noticeMs: 10 * second, max: 16 },
  /** A joiner that could not settle yet (catch up with its successor once adopted) tries again this often. */
  settleRetryMs: 1 * second,
  /** Client requests routed into the ring at once from this peer; more wait their turn. */
  maxEntryOps: 64
} as const

/** The control socket: what one client, and all of them together, may hold at once. */
export const CONTROL = {
  /** Requests in flight per connection before its reading pauses. */
  connectionInFlight: 64,
  /** Longest request lines' worth of bytes in flight per connection (requests, unread answers) before its reading pauses. */
  connectionLines: 2,
  /** Longest request lines' worth of puts the peer takes at once from all its clients; more are answered BUSY. */
  writeLines: 4,
  /** A connection that sent part of a line and then nothing for this long is answered BAD_REQUEST and closed. */
  idleLineMs: 30 * second,
  /** How long a closing server waits for answers still being computed. */
  closeGraceMs: 2 * second
} as const

/** Watches: how they are kept at the key's replicas, and how many a peer and a client may hold. */
export const WATCH = {
  /**
   * A peer asks the replicas of each key its clients watch again this often
   * (a lookup and one request per replica): the watch follows the key when
   * all the replicas it was registered with are replaced within a period.
   */
  renewMs: 30 * second,
  /** A replica keeps a registration this many renewal periods unless it is renewed. */
  registrationPeriods: 3,
  /** The longest registration a replica keeps. */
  maxRegistrationMs: 10 * minute,
  /** Keys one peer's clients may watch at once. */
  maxKeys: 10_000,
  /** Watches on one control connection. */
  perConnection: 256,
  /** Registrations one replica keeps, in all and from one watching peer. */
  maxRegistrations: 100_000,
  maxRegistrationsPerPeer: 10_000
} as const

/**
 * Giving a burst's memory back (memory-trim.ts): V8 keeps the heap pages a
 * burst grew until a memory-reducing collection, which it runs by itself
 * only soon after start-up.
 */
export const MEMORY_TRIM = {
  /** How often the peer looks at its memory and how busy it was. */
  checkMs: 5 * second,
  /** Quiet: the process used less than this share of one core over the last period. */
  quietUtilisation: 0.05,
  /** Trim once the resident memory has grown this much since the last trim (or the start) and the peer is quiet. */
  growthBytes: 16 * MiB
} as const

/** What `chordkv health` calls healthy. */
export const HEALTH = {
  /** A passive-list peer that answered within this long counts as alive. */
  livePeerMs: 1 * minute
} as const

/** The majority of k replicas: the default write quorum W. */
export function majority (k: number): number {
  return Math.floor(k / 2) + 1
}
