import { decideStart, type KnownPeerState } from '../ring/start-decision.js'
import type { Clock } from '../node/clock.js'
import type { NeighbourState } from '../protocol/messages.js'
import type { NodeRef } from '../ring/node-ref.js'

/** A peer a starting peer knows of (a bootstrap entry or a remembered member), as the caller names it. */
export interface KnownPeer {
  /** For messages: the multiaddr or peer ID. */
  readonly label: string
  /** Its peer ID, when known before reaching it (a remembered member, an address ending in /p2p/). */
  readonly peer?: string | undefined
}

/** What starting needs from the service: reaching peers, asking them, joining, founding. */
export interface StartSteps<K extends KnownPeer> {
  readonly self: NodeRef
  readonly clock: Clock
  /** Dials a known peer and names it; `'self'` when it turns out to be this peer. */
  reach (known: K): Promise<NodeRef | 'self'>
  getState (node: NodeRef): Promise<NeighbourState>
  /** Joins the ring `via` is a member of. */
  join (via: NodeRef): Promise<void>
  /**
   * Founds a new ring; `why` says why (for the log); `allAnswered`: every
   * peer it knows answered (none is out of reach, perhaps holding keys).
   */
  found (why: string, allAnswered: boolean): void
  /** Whether the peer is still starting (it may be stopped meanwhile). */
  running (): boolean
  /** A round reached no member; the next follows after `retryInMs`. */
  waiting (problems: readonly string[], retryInMs: number): void
}

export interface StartOptions {
  /** Time allowed to reach a member before founding a ring of our own (ms). */
  readonly foundAfterMs: number
  /** Wait between rounds: first and longest (ms). */
  readonly retry: { readonly initialMs: number, readonly maxMs: number }
}

/** The known peers each round reached, by what they were known as. */
export type Reached<K> = Map<K, NodeRef>

/**
 * How a peer starts: it tries every peer it knows (its bootstrap list and
 * the members it remembers from earlier runs) before it ever founds a ring,
 * so a restarted peer rejoins its ring instead of splitting it. Each round
 * asks them all at once and follows {@link decideStart}: join a member's
 * ring; or, when only peers that are themselves starting answer, let the
 * lowest peer ID found; or wait and ask again, until `foundAfterMs` has
 * passed (or a join still fails after that: the rings merge once the peers
 * can talk). Entries that are this peer (a shared bootstrap list names every
 * peer) are skipped. A peer that knows nobody founds at once. Resolves with
 * every known peer reached (the caller probes them later for other rings).
 */
export async function joinOrFound<K extends KnownPeer> (known: readonly K[], steps: StartSteps<K>, options: StartOptions): Promise<Reached<K>> {
  const reached: Reached<K> = new Map()
  let others = [...known]
  if (others.length === 0) {
    steps.found('no bootstrap peer given and no ring member remembered', true)
    return reached
  }
  const deadline = steps.clock.now() + options.foundAfterMs
  let waitMs = options.retry.initialMs
  let lowestBefore = false
  while (steps.running()) {
    const answered: KnownPeerState[] = []
    const problems: string[] = []
    const selves = new Set<K>()
    const silent = new Set<K>()
    await Promise.all(others.map(async k => {
      try {
        // A peer reached once is asked again over its connection, not dialled anew.
        const node = reached.get(k) ?? await steps.reach(k)
        if (node === 'self') {
          selves.add(k)
          return
        }
        reached.set(k, node)
        const state = await steps.getState(node)
        answered.push({ node, member: state.member, tag: state.tag })
        if (!state.member) problems.push(`${k.label}: has not joined a ring yet`)
      } catch (err) {
        silent.add(k)
        problems.push(`${k.label}: ${(err as Error).message}`)
      }
    }))
    others = others.filter(k => !selves.has(k))
    if (!steps.running()) return reached
    if (others.length === 0) {
      steps.found('every bootstrap entry is this peer', true)
      return reached
    }
    const decision = decideStart(steps.self, {
      answered: distinct(answered),
      unanswered: others.length - answered.length,
      lowerUnanswered: [...silent].some(k => k.peer !== undefined && k.peer < steps.self.peer),
      deadlinePassed: steps.clock.now() >= deadline,
      lowestBefore
    })
    lowestBefore = decision.kind === 'wait' && decision.lowest
    if (decision.kind === 'join') {
      try {
        await steps.join(decision.via)
        return reached
      } catch (err) {
        problems.push(`joining through ${decision.via.peer}: ${(err as Error).message}`)
      }
      // Never joining for ever: past the deadline found, and merge once the member can be reached.
      if (steps.clock.now() >= deadline) {
        steps.found(`joining failed until the time was up (${problems.at(-1) ?? ''})`, false)
        return reached
      }
    } else if (decision.kind === 'found') {
      steps.found(decision.why, silent.size === 0)
      return reached
    }
    const retryInMs = Math.max(0, Math.min(waitMs, deadline - steps.clock.now()))
    steps.waiting(problems, retryInMs)
    await new Promise<void>(resolve => { steps.clock.setTimeout(resolve, retryInMs) })
    waitMs = Math.min(options.retry.maxMs, waitMs * 2)
  }
  return reached
}

/** One state per peer (two entries may reach the same peer). */
function distinct (states: readonly KnownPeerState[]): KnownPeerState[] {
  const seen = new Set<string>()
  return states.filter(s => !seen.has(s.node.peer) && seen.add(s.node.peer) !== undefined)
}
