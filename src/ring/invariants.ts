import { between, type RingId } from './ids.js'

/**
 * Zave's invariant checker (chord-correctness §1.5), run over a snapshot of
 * every node. A node is a member once its join completed; dead nodes stay in
 * the snapshot so lists that still name them can be judged.
 */
export interface NodeSnapshot {
  readonly id: RingId
  readonly alive: boolean
  readonly member: boolean
  /** Peer keys of the successor list, nearest first. */
  readonly successors: readonly string[]
  readonly predecessor?: string | undefined
}

export type Snapshot = ReadonlyMap<string, NodeSnapshot>

export interface InvariantReport {
  /** Violations of I1 and its consequences (checks 1 and 3–6); always bugs inside the envelope. */
  readonly violations: string[]
  /**
   * Why the snapshot is outside the envelope Zave's proof covers (fewer than
   * r+1 principals, a member left with no live successor, lists not yet
   * holding r entries), or empty. Check 7 only runs inside it.
   */
  readonly outsideEnvelope: string[]
  readonly principals: number
  readonly ringMembers: number
}

/** Checks the always-true assertions 1–7 of §1.5. */
export function checkInvariants (snapshot: Snapshot, r: number): InvariantReport {
  const violations: string[] = []
  const outsideEnvelope: string[] = []
  const live = liveMembers(snapshot)
  const liveSet = new Set(live)
  const name = (peer: string): string => peer.slice(-6)

  for (const peer of live) {
    const node = snapshot.get(peer) as NodeSnapshot
    // I1. An empty list means the node is its own successor (a ring of one,
    // as when a ring grows from its founder); a second ring shows up below.
    if (node.successors.length > 0 && !node.successors.some(s => liveSet.has(s))) {
      violations.push(`I1 OneLiveSuccessor: ${name(peer)} has no live member in its successor list`)
    }
    if (new Set(node.successors).size !== node.successors.length || node.successors.includes(peer)) {
      violations.push(`NoDuplicates: ${name(peer)}'s successor list repeats an entry or names itself`)
    }
    const ext = [node.id, ...node.successors.map(s => snapshot.get(s)?.id)]
    for (let j = 0; j + 2 < ext.length; j++) {
      const [a, b, c] = [ext[j], ext[j + 1], ext[j + 2]]
      if (a !== undefined && b !== undefined && c !== undefined && !between(a, b, c)) {
        violations.push(`OrderedSuccessorLists: ${name(peer)}'s list is not clockwise at position ${j + 1}`)
        break
      }
    }
  }

  const best = bestSuccessors(snapshot, live, liveSet)
  const cycles = findCycles(best)
  const ring = new Set(cycles.flat())
  if (live.length > 0 && cycles.length === 0) violations.push('AtLeastOneRing: no member lies on a cycle')
  if (cycles.length > 1) violations.push(`AtMostOneRing: ${cycles.length} disjoint rings (${cycles.map(c => c.length).join(', ')} members)`)
  for (const cycle of cycles) {
    const ids = cycle.map(p => (snapshot.get(p) as NodeSnapshot).id)
    for (let i = 0; i < cycle.length && cycle.length > 1; i++) {
      const a = ids[i] as RingId
      const b = ids[(i + 1) % ids.length] as RingId
      const skipped = cycle.find((_, k) => k !== i && k !== (i + 1) % cycle.length && between(a, ids[k] as RingId, b))
      if (skipped !== undefined) {
        violations.push(`OrderedRing: ring member ${name(skipped)} lies between ring neighbours ${name(cycle[i] as string)} and ${name(cycle[(i + 1) % cycle.length] as string)}`)
        break
      }
    }
  }
  for (const peer of live) {
    if (!reachesRing(peer, best, ring)) violations.push(`ConnectedAppendages: ${name(peer)} does not reach the ring`)
  }

  const principals = principalSet(snapshot, live)
  if (live.length <= r) outsideEnvelope.push(`only ${live.length} members, fewer than r+1 = ${r + 1}`)
  else if (principals.size < r + 1) outsideEnvelope.push(`I2 SufficientPrincipals: ${principals.size} principals, fewer than r+1 = ${r + 1}`)
  // Zave's model always holds r entries per list; ours can be short for a
  // moment (a joiner copies a short list, a dead head is dropped before the
  // refill), and the principal theorems only speak of full lists.
  const short = live.filter(p => (snapshot.get(p) as NodeSnapshot).successors.length < Math.min(r, live.length - 1))
  if (short.length > 0) outsideEnvelope.push(`${short.length} successor lists hold fewer than r entries`)
  if (violations.some(v => v.startsWith('I1'))) outsideEnvelope.push('A1: a member has no live successor')
  if (outsideEnvelope.length === 0) {
    for (const p of principals) {
      if (!ring.has(p)) violations.push(`PrincipalsAreRingMembers: principal ${name(p)} is not on the ring`)
    }
  }

  return { violations, outsideEnvelope, principals: principals.size, ringMembers: ring.size }
}

/**
 * The ideal-state assertions 8–10, for after quiescence: everyone on the ring,
 * successor and predecessor pointers agree, and every list is the next
 * min(r, N−1) members in identifier order.
 */
export function checkIdeal (snapshot: Snapshot, r: number): string[] {
  const problems: string[] = []
  const live = liveMembers(snapshot).sort((a, b) => compare((snapshot.get(a) as NodeSnapshot).id, (snapshot.get(b) as NodeSnapshot).id))
  const n = live.length
  for (let i = 0; i < n; i++) {
    const peer = live[i] as string
    const node = snapshot.get(peer) as NodeSnapshot
    const expected: string[] = []
    for (let j = 1; j <= Math.min(r, n - 1); j++) expected.push(live[(i + j) % n] as string)
    if (expected.join() !== node.successors.join()) {
      problems.push(`${peer.slice(-6)}: successors [${node.successors.map(s => s.slice(-6)).join(' ')}] instead of [${expected.map(s => s.slice(-6)).join(' ')}]`)
    }
    const pred = n > 1 ? live[(i + n - 1) % n] : undefined
    if (node.predecessor !== pred) {
      problems.push(`${peer.slice(-6)}: predecessor ${node.predecessor?.slice(-6)} instead of ${pred?.slice(-6)}`)
    }
  }
  return problems
}

function liveMembers (snapshot: Snapshot): string[] {
  return [...snapshot].filter(([, n]) => n.alive && n.member).map(([p]) => p)
}

/** bestSucc(m): the first live member in m's list; m itself when alone. */
function bestSuccessors (snapshot: Snapshot, live: readonly string[], liveSet: ReadonlySet<string>): Map<string, string | undefined> {
  const best = new Map<string, string | undefined>()
  for (const peer of live) {
    const list = (snapshot.get(peer) as NodeSnapshot).successors
    best.set(peer, list.length === 0 ? peer : list.find(s => liveSet.has(s)))
  }
  return best
}

/** The distinct cycles of the bestSucc graph. */
function findCycles (best: ReadonlyMap<string, string | undefined>): string[][] {
  const state = new Map<string, 'visiting' | 'done'>()
  const cycles: string[][] = []
  for (const start of best.keys()) {
    const path: string[] = []
    let cur: string | undefined = start
    while (cur !== undefined && !state.has(cur)) {
      state.set(cur, 'visiting')
      path.push(cur)
      cur = best.get(cur)
    }
    if (cur !== undefined && state.get(cur) === 'visiting') cycles.push(path.slice(path.indexOf(cur)))
    for (const p of path) state.set(p, 'done')
  }
  return cycles
}

function reachesRing (start: string, best: ReadonlyMap<string, string | undefined>, ring: ReadonlySet<string>): boolean {
  const seen = new Set<string>()
  let cur: string | undefined = start
  while (cur !== undefined && !seen.has(cur)) {
    if (ring.has(cur)) return true
    seen.add(cur)
    cur = best.get(cur)
  }
  return false
}

/**
 * Principals: live members that no member's extended successor list
 * [m, s1, …, sr] skips over. Arcs are marked on the sorted circle, so this
 * costs O(N·r·log N) rather than a pairwise scan.
 */
function principalSet (snapshot: Snapshot, live: readonly string[]): Set<string> {
  const sorted = [...live].sort((a, b) => compare((snapshot.get(a) as NodeSnapshot).id, (snapshot.get(b) as NodeSnapshot).id))
  const ids = sorted.map(p => (snapshot.get(p) as NodeSnapshot).id)
  const n = sorted.length
  const skipped = new Array<boolean>(n).fill(false)
  const firstAbove = (x: RingId): number => {
    let lo = 0
    let hi = n
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((ids[mid] as RingId) > x) hi = mid
      else lo = mid + 1
    }
    return lo
  }
  for (const peer of live) {
    const node = snapshot.get(peer) as NodeSnapshot
    const ext = [node.id, ...node.successors.map(s => snapshot.get(s)?.id).filter((id): id is RingId => id !== undefined)]
    for (let j = 0; j + 1 < ext.length; j++) {
      const a = ext[j] as RingId
      const b = ext[j + 1] as RingId
      // Walk the sorted members strictly between a and b clockwise.
      for (let k = firstAbove(a) % n, steps = 0; steps < n; k = (k + 1) % n, steps++) {
        const id = ids[k] as RingId
        if (!between(a, id, b)) break
        skipped[k] = true
      }
    }
  }
  return new Set(sorted.filter((_, k) => !skipped[k]))
}

function compare (a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0
}
