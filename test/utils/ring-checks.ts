import { checkIdeal, checkInvariants } from '../../src/ring/invariants.js'
import { snapshotOf, waitFor } from './network.js'
import type { ChordPeer } from '../../src/chord/peer.js'
import type { RingId } from '../../src/ring/ids.js'

/**
 * Runs the invariant checker on a snapshot every `everyMs` while a scenario
 * plays out, and remembers every violation seen (with its context).
 */
export class InvariantMonitor {
  readonly violations: string[] = []
  snapshots = 0
  private timer: ReturnType<typeof setInterval> | undefined

  constructor (private readonly peers: () => readonly ChordPeer[], private readonly stopped: () => ReadonlySet<ChordPeer>, private readonly r: number, everyMs = 25) {
    this.timer = setInterval(() => { this.check() }, everyMs)
  }

  check (): void {
    const report = checkInvariants(snapshotOf(this.peers(), this.stopped()), this.r)
    this.snapshots++
    for (const v of report.violations) {
      if (this.violations.length < 50) this.violations.push(`snapshot ${this.snapshots}: ${v}`)
    }
  }

  stop (): void {
    clearInterval(this.timer)
    this.timer = undefined
    this.check()
  }
}

/** Waits until every live peer has joined, together they form the ideal ring (assertions 8–10 of §1.5), and each serves its keys. */
export async function waitForIdealRing (peers: readonly ChordPeer[], r: number, timeoutMs: number, stopped: ReadonlySet<ChordPeer> = new Set()): Promise<void> {
  let problems: string[] = []
  await waitFor(async () => {
    const live = peers.filter(p => !stopped.has(p))
    const joining = live.filter(p => !p.services.chord.joined).length
    problems = joining > 0 ? [`${joining} peers have not joined`] : checkIdeal(snapshotOf(peers, stopped), r)
    if (problems.length > 0) return false
    // A peer that joined a moment ago serves its keys once it settled (storage/data-node.ts).
    const settling = (await Promise.all(live.map(async p => p.services.chord.testing.data.settle()))).filter(serves => !serves).length
    if (settling > 0) problems = [`${settling} peers do not serve their keys yet (settling after their join)`]
    return settling === 0
  }, timeoutMs, () => `ring not ideal:\n${problems.slice(0, 8).join('\n')}`)
}

/** The peer responsible for `key` among `peers`: the first one at or after it on the circle. */
export function expectedOwner (peers: readonly ChordPeer[], key: RingId): string {
  const nodes = peers.map(p => p.services.chord.self).sort((a, b) => (a.id < b.id ? -1 : 1))
  const owner = nodes.find(n => n.id >= key) ?? nodes[0]
  if (owner === undefined) throw new Error('no peers')
  return owner.peer
}

/** The peers that should hold `key` with k replicas: its owner and the next k−1 in ring order. */
export function expectedReplicas (peers: readonly ChordPeer[], key: RingId, k: number): string[] {
  const nodes = peers.map(p => p.services.chord.self).sort((a, b) => (a.id < b.id ? -1 : 1))
  const owner = expectedOwner(peers, key)
  const i = nodes.findIndex(n => n.peer === owner)
  return Array.from({ length: Math.min(k, nodes.length) }, (_, j) => (nodes[(i + j) % nodes.length] as { peer: string }).peer).sort()
}

/** The peers whose stores hold a live value for `key`, sorted. */
export async function holdersOf (peers: readonly ChordPeer[], key: Uint8Array): Promise<string[]> {
  const out: string[] = []
  for (const p of peers) {
    const record = await p.services.chord.testing.records.get(key)
    if (record?.value !== undefined) out.push(p.peerId.toString())
  }
  return out.sort()
}
