import { checkIdeal, checkInvariants, type NodeSnapshot, type Snapshot } from '../../src/ring/invariants.js'
import { ask } from './control.js'
import { waitFor } from './network.js'

/** A peer run as a separate process, reached through its control socket. */
export interface SocketPeer {
  readonly name: string
  readonly socket: string
}

interface Member { peerId: string, ringId: string }

/** The ring state of each peer as its `status` reports it; a peer that does not answer is left out. */
export async function snapshotOfSockets (peers: readonly SocketPeer[]): Promise<Snapshot> {
  const snapshot = new Map<string, NodeSnapshot>()
  await Promise.all(peers.map(async p => {
    let status: Record<string, unknown>
    try {
      status = await ask(p.socket, { op: 'status' })
    } catch {
      return
    }
    if (status.ok !== true) return
    snapshot.set(status.peerId as string, {
      id: BigInt(`0x${String(status.ringId)}`),
      alive: true,
      member: status.state === 'joined',
      successors: (status.successors as Member[]).map(s => s.peerId),
      predecessor: (status.predecessor as Member | null)?.peerId
    })
  }))
  return snapshot
}

/** Waits until the peers form the ideal ring: every peer answers, is a member, and is on it. */
export async function waitForIdealSockets (peers: readonly SocketPeer[], r: number, timeoutMs: number): Promise<void> {
  let problems: string[] = []
  await waitFor(async () => {
    const snapshot = await snapshotOfSockets(peers)
    const joining = [...snapshot.values()].filter(n => !n.member).length
    problems = snapshot.size < peers.length
      ? [`${peers.length - snapshot.size} peers did not answer`]
      : joining > 0 ? [`${joining} peers have not joined`] : checkIdeal(snapshot, r)
    return problems.length === 0
  }, timeoutMs, () => `not one ideal ring:\n${problems.slice(0, 8).join('\n')}`, 250)
}

/** Zave's always-true invariants over the peers' snapshots (empty when clean). */
export async function invariantViolations (peers: readonly SocketPeer[], r: number): Promise<string[]> {
  return checkInvariants(await snapshotOfSockets(peers), r).violations
}

/** Whether these `status` replies show one ring in identifier order, every peer joined, each pointing at its neighbours. */
export function ringIdeal (statuses: ReadonlyArray<Record<string, unknown>>): boolean {
  const sorted = [...statuses].sort((a, b) => ((a.ringId as string) < (b.ringId as string) ? -1 : 1))
  return sorted.every((s, i) => {
    const next = sorted[(i + 1) % sorted.length] as Record<string, unknown>
    const prev = sorted[(i + sorted.length - 1) % sorted.length] as Record<string, unknown>
    return s.state === 'joined' && (s.successors as Array<{ peerId: string }>)[0]?.peerId === next.peerId && (s.predecessor as { peerId: string } | null)?.peerId === prev.peerId
  })
}
