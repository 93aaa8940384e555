import { ringIdOfKey } from '../ring/hash.js'
import { idToHex, SHA256_SPACE } from '../ring/ids.js'
import { formatTag } from '../ring/ring-tag.js'
import { VERSION } from '../version.js'
import { walkRing, type RingView } from './ring-walk.js'
import type { ControlApi, HealthReport, Leaving } from '../control/api.js'
import type { MergeStats } from './node.js'
import type { ChordPeer } from './peer.js'
import type { NodeRef } from '../ring/node-ref.js'

/** A ring member as status and lookup report it. */
function describe (node: NodeRef): { peerId: string, ringId: string } {
  return { peerId: node.peer, ringId: idToHex(SHA256_SPACE, node.id) }
}

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
      return [info.self, ...info.successors.slice(0, info.replicationFactor - 1)].map(describe)
    } catch {
      return undefined
    }
  }
  return {
    async put (key, value) {
      const reply = await chord.put(key, value)
      return { replicas: reply.replicas }
    },
    async get (key) {
      return (await chord.get(key)).record?.value
    },
    async del (key) {
      return (await chord.del(key)).existed === true
    },
    async lookup (key) {
      const reply = await chord.lookup(key)
      return { keyId: idToHex(SHA256_SPACE, ringIdOfKey(key)), ...describe(reply.owner), replicas: await replicasOf(reply.owner), hops: reply.hops, path: reply.path }
    },
    async ring () {
      const view = await walkRing(chord)
      options.ringWalked?.(view)
      return { ...view }
    },
    async status () {
      const { state } = chord.node
      const counts = chord.data.records.counts()
      const owned = await chord.data.ownedKeys()
      const replication = chord.data.replication
      const repair = chord.data.repairReport
      return {
        overlay: 'chord',
        version: VERSION,
        peerId: peer.peerId.toString(),
        ringId: idToHex(SHA256_SPACE, chord.self.id),
        addrs: peer.getMultiaddrs().map(a => a.toString()),
        state: chord.node.isLeaving ? 'leaving' : state.joined ? 'joined' : 'joining',
        predecessor: state.predecessor === undefined ? null : describe(state.predecessor),
        successors: state.successors.map(describe),
        fingers: state.fingers.distinct().map(describe),
        keys: counts.keys,
        keysOwned: owned,
        keysReplicated: counts.keys - owned,
        tombstones: counts.tombstones,
        replication: {
          factor: replication.factor,
          writeQuorum: replication.writeQuorum,
          readQuorum: replication.readQuorum,
          lastRepair: { rounds: repair.rounds, durationMs: Math.round(repair.durationMs), pushed: repair.pushed, pulled: repair.pulled, bytes: repair.bytes },
          // Since start: records repair sent and took, and records handed on to their holders.
          moved: { pushed: chord.data.repairTotals.pushed, pulled: chord.data.repairTotals.pulled, bytes: chord.data.repairTotals.bytes, handedOn: chord.handedOn },
          hints: chord.data.hintStats
        },
        ring: {
          successorListLength: state.r,
          // A list that wraps around to this peer means the ring has r or fewer
          // members: outside the size Zave's correctness proof covers (r+1).
          degraded: state.joined && state.successorsWrap,
          members: state.successorsWrap ? state.successors.length + 1 : undefined,
          tag: state.tag === undefined ? null : formatTag(state.tag),
          merging: chord.node.merging,
          splitSuspected: chord.node.splitSuspects.map(s => ({ peerId: s.peer, ring: formatTag(s.tag), forMs: Math.round(performance.now() - s.since) })),
          merges: mergesReport(chord.node.mergeStats)
        },
        membership: {
          remembered: chord.members.size,
          passive: chord.node.passive.size
        }
      }
    },
    async health () {
      return chordHealth(peer)
    },
    leave
  }
}

/** Merge counters for status; the last merge's time as an age. */
function mergesReport (stats: MergeStats): Record<string, unknown> {
  const { lastMerge, ...counters } = stats
  return {
    ...counters,
    lastMerge: lastMerge === undefined ? null : { peerId: lastMerge.peer, durationMs: Math.round(lastMerge.durationMs), agoMs: Math.round(performance.now() - lastMerge.at) }
  }
}

/** A passive-list peer that answered within this long counts as alive for health (ms). */
const LIVE_PEER_MS = 60_000

/**
 * A chord peer is healthy when it can take writes: it is a ring member, not
 * leaving, and at least W replicas (itself and live successors) are
 * reachable for the keys it owns; and when its ring is whole: no reachable
 * peer is a member of another ring, no merge is under way, and it does not
 * sit alone while peers it knows are alive.
 */
export function chordHealth (peer: ChordPeer): HealthReport {
  const chord = peer.services.chord
  const { state, liveness } = chord.node
  const status = chord.node.isLeaving ? 'leaving' : state.joined ? 'joined' : 'joining'
  const reasons: string[] = []
  if (status === 'joining') reasons.push('the peer has not joined a ring yet')
  if (status === 'leaving') reasons.push('the peer is leaving the ring')
  if (status === 'joined') {
    const { factor, writeQuorum } = chord.data.replication
    const live = state.successors.filter(s => !liveness.isSuspect(s.peer)).length
    const reachable = 1 + Math.min(factor - 1, live)
    if (reachable < writeQuorum) {
      reasons.push(`only ${reachable} of the ${writeQuorum} replicas a write needs ${reachable === 1 ? 'is' : 'are'} reachable (${state.successors.length === 0 ? 'the peer is alone on its ring' : `${live} live successor${live === 1 ? '' : 's'}`})`)
    }
    const suspects = chord.node.splitSuspects
    if (suspects.length > 0) {
      reasons.push(`the ring is split: ${suspects.length} reachable peer${suspects.length === 1 ? ' is a member' : 's are members'} of another ring; merging`)
    } else if (chord.node.merging) {
      reasons.push('a ring merge is under way')
    }
    if (state.successors.length === 0 && chord.node.passive.answeredWithin(LIVE_PEER_MS)) {
      reasons.push('the peer is alone on its ring while peers it knows are alive')
    }
  }
  return { healthy: reasons.length === 0, state: status, reasons }
}
