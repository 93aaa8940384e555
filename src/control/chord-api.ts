import { idToHex, SHA256_SPACE } from '../ring/ids.js'
import type { ControlApi, HealthReport } from './api.js'
import type { ChordPeer } from '../peer.js'
import type { NodeRef } from '../ring/node-ref.js'

/** A ring member as status and lookup report it. */
function describe (node: NodeRef): { peerId: string, ringId: string } {
  return { peerId: node.peer, ringId: idToHex(SHA256_SPACE, node.id) }
}

/** The control API of a peer running the Chord overlay. */
export function chordControlApi (peer: ChordPeer, leave: () => Promise<void>): ControlApi {
  const chord = peer.services.chord
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
      return { ...describe(reply.owner), hops: reply.hops, path: reply.path }
    },
    async status () {
      const { state } = chord.node
      const counts = chord.data.records.counts()
      const owned = await chord.data.ownedKeys()
      const replication = chord.data.replication
      const repair = chord.data.repairReport
      return {
        overlay: 'chord',
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
          hints: chord.data.hintStats
        },
        ring: {
          successorListLength: state.r,
          // A list that wraps around to this peer means the ring has r or fewer
          // members: outside the size Zave's correctness proof covers (r+1).
          degraded: state.joined && state.successorsWrap,
          members: state.successorsWrap ? state.successors.length + 1 : undefined
        }
      }
    },
    async health () {
      return chordHealth(peer)
    },
    leave
  }
}

/**
 * A chord peer is healthy when it can take writes: it is a ring member, not
 * leaving, and at least W replicas (itself and live successors) are
 * reachable for the keys it owns.
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
  }
  return { healthy: reasons.length === 0, state: status, reasons }
}
