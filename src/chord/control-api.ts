import { ringIdOfKey } from '../ring/hash.js'
import { idToHex, SHA256_SPACE } from '../ring/ids.js'
import { formatTag } from '../ring/ring-tag.js'
import { VERSION } from '../version.js'
import { nodeView, walkRing, type RingView } from './ring-walk.js'
import type { ControlApi, Leaving } from '../control/api.js'
import type { ChordStatusReport, HealthReport } from '../control/replies.js'
import type { ChordStatus } from './status.js'
import type { MergeStats } from './ring-merger.js'
import type { ChordPeer } from './peer.js'
import type { NodeRef } from '../ring/node-ref.js'

export interface ChordControlOptions {
  /** Told about each walk of the ring (metrics count walks and invariant violations). */
  readonly ringWalked?: (view: RingView) => void
}

/** The control API of a peer running the Chord overlay. */
export function chordControlApi (peer: ChordPeer, leave: () => Leaving, options: ChordControlOptions = {}): ControlApi {
  const chord = peer.services.chord
  /** The k peers holding a key: its owner and the owner's next k−1 successors, as the owner sees them. */
  const replicasOf = async (owner: NodeRef): Promise<Array<{ peerId: string, ringId: string }> | undefined> => {
    try {
      const info = await chord.memberInfo(owner)
      return [info.self, ...info.successors.slice(0, info.replicationFactor - 1)].map(nodeView)
    } catch {
      return undefined
    }
  }
  return {
    async put (key, value, ttlMs) {
      const reply = await chord.put(key, value, ttlMs)
      return { replicas: reply.replicas ?? 0 }
    },
    async get (key) {
      return (await chord.get(key)).record?.value
    },
    async watch (key, since, sink) {
      return chord.watch(key, since, sink)
    },
    async del (key) {
      return (await chord.del(key)).existed === true
    },
    async lookup (key) {
      const reply = await chord.lookup(key)
      return { keyId: idToHex(SHA256_SPACE, ringIdOfKey(key)), ...nodeView(reply.owner), replicas: await replicasOf(reply.owner), hops: reply.hops, path: reply.path }
    },
    async ring () {
      const view = await walkRing(chord)
      options.ringWalked?.(view)
      return { ...view }
    },
    async status () {
      return statusReport(peer.peerId.toString(), peer.getMultiaddrs().map(a => a.toString()), chord.status(), await chord.ownedKeys())
    },
    async health () {
      return chordHealth(chord.status())
    },
    leave
  }
}

/** The `status` answer of a chord peer. */
function statusReport (peerId: string, addrs: string[], status: ChordStatus, owned: number): ChordStatusReport {
  const { replication, lastRepair: repair, moved } = status
  return {
    overlay: 'chord',
    version: VERSION,
    peerId,
    ringId: idToHex(SHA256_SPACE, status.self.id),
    addrs,
    state: status.state,
    predecessor: status.predecessor === undefined ? null : nodeView(status.predecessor),
    successors: status.successors.map(nodeView),
    fingers: status.fingers.map(nodeView),
    keys: status.records.keys,
    keysOwned: owned,
    keysReplicated: status.records.keys - owned,
    tombstones: status.records.tombstones,
    expiring: status.records.expiring,
    expired: status.records.expired,
    replication: {
      factor: replication.factor,
      writeQuorum: replication.writeQuorum,
      readQuorum: replication.readQuorum,
      lastRepair: { rounds: repair.rounds, durationMs: Math.round(repair.durationMs), pushed: repair.pushed, pulled: repair.pulled, bytes: repair.bytes },
      // Since start: records repair sent and took, and records handed on to their holders.
      moved: { pushed: moved.pushed, pulled: moved.pulled, bytes: moved.bytes, handedOn: moved.handedOn },
      hints: status.hints
    },
    ring: {
      successorListLength: status.successorListLength,
      // A list that wraps around to this peer means the ring has r or fewer
      // members: outside the size Zave's correctness proof covers (r+1).
      degraded: status.joined && status.successorsWrap,
      members: status.successorsWrap ? status.successors.length + 1 : undefined,
      tag: status.tag === undefined ? null : formatTag(status.tag),
      merging: status.merging,
      splitSuspected: status.splitSuspects.map(s => ({ peerId: s.peer, ring: formatTag(s.tag), forMs: Math.round(status.now - s.since) })),
      merges: mergesReport(status.merges, status.now)
    },
    membership: status.membership
  }
}

/** Merge counters for status; the last merge's time as an age. */
function mergesReport (stats: MergeStats, now: number): ChordStatusReport['ring']['merges'] {
  const { lastMerge, ...counters } = stats
  return {
    ...counters,
    lastMerge: lastMerge === undefined ? null : { peerId: lastMerge.peer, durationMs: Math.round(lastMerge.durationMs), agoMs: Math.round(now - lastMerge.at) }
  }
}

/**
 * A chord peer is healthy when it can take writes: it is a ring member, not
 * leaving, and at least W replicas (itself and live successors) are
 * reachable for the keys it owns; and when its ring is whole: no reachable
 * peer is a member of another ring, no merge is under way, and it does not
 * sit alone while peers it knows are alive.
 */
export function chordHealth (status: ChordStatus): HealthReport {
  const { state } = status
  const reasons: string[] = []
  if (state === 'joining') reasons.push('the peer has not joined a ring yet')
  if (state === 'leaving') reasons.push('the peer is leaving the ring')
  if (state === 'joined') {
    const { factor, writeQuorum } = status.replication
    const live = status.liveSuccessors
    const reachable = 1 + Math.min(factor - 1, live)
    if (reachable < writeQuorum) {
      reasons.push(`only ${reachable} of the ${writeQuorum} replicas a write needs ${reachable === 1 ? 'is' : 'are'} reachable (${status.successors.length === 0 ? 'the peer is alone on its ring' : `${live} live successor${live === 1 ? '' : 's'}`})`)
    }
    const suspects = status.splitSuspects
    if (suspects.length > 0) {
      reasons.push(`the ring is split: ${suspects.length} reachable peer${suspects.length === 1 ? ' is a member' : 's are members'} of another ring; merging`)
    } else if (status.merging) {
      reasons.push('a ring merge is under way')
    }
    const { passive } = status.membership
    if (status.successors.length === 0 && status.knownPeersAlive) {
      reasons.push('the peer is alone on its ring while peers it knows are alive')
    } else if (status.successors.length === 0 && passive > 0) {
      reasons.push(`the peer is alone on its ring: none of the ${passive} peer${passive === 1 ? '' : 's'} it knows (bootstrap entries, remembered members) answers; it keeps trying them`)
    }
  }
  return { healthy: reasons.length === 0, state, reasons }
}
