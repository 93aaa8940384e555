import { decideStart, type KnownPeerState } from '../ring/start-decision.js'
import { START } from '../defaults.js'
import type { Clock } from '../node/clock.js'
import type { NeighbourState } from '../protocol/messages.js'
import type { NodeRef } from '../ring/node-ref.js'

/** A peer a starting peer knows of (a bootstrap entry or a remembered member), as the caller names it. */
export interface KnownPeer {
  /** For messages: the multiaddr or peer ID. */
  readonly label: string
  /** Its peer ID, when known before reaching it (a remembered member, an address ending in /p2p/). */
  readonly peer?: string | undefined
  /**
   * The DNS name it was looked up from, when it is one of a name's
   * addresses (a name that may stand for many peers, such as Swarm's
   * `tasks.<service>`): such a name lists every peer that started before
   * this one only once it lists this peer too.
   */
  readonly name?: string | undefined
}

/** The peers a starting peer knows: a fixed list, or one made anew for each round (names looked up again). */
export type KnownPeers<K> = readonly K[] | (() => Promise<readonly K[]>)

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

/** The known peers the rounds reached, by label. */
export type Reached = Map<string, NodeRef>

/**
 * How a peer starts: it tries every peer it knows (its bootstrap list and
 * the members it remembers from earlier runs) before it ever founds a ring,
 * so a restarted peer rejoins its ring instead of splitting it. Each round
 * asks them all at once and follows {@link decideStart}: join a member's
 * ring; or, when only peers that are themselves starting answer, let the
 * lowest peer ID found; or wait and ask again, until `foundAfterMs` has
 * passed, or `START.joinFailuresPatience` times as long once a member
 * answered (an overloaded ring answers and joins slowly; a second ring
 * beside it costs a merge). The rings merge once the peers can talk.
 * Entries that are this peer (a shared bootstrap list names every peer, a
 * name lists every address) are skipped. The list can be made anew
 * for each round (`known` a function): a name that stands for many peers is
 * looked up again, as they come and go. A peer that knows nobody founds at
 * once. Resolves with every known peer reached, by label (the caller probes
 * them later for other rings).
 */
export async function joinOrFound<K extends KnownPeer> (known: KnownPeers<K>, steps: StartSteps<K>, options: StartOptions): Promise<Reached> {
  const list = typeof known === 'function' ? known : async () => known
  const reached: Reached = new Map()
  /** Labels that led back to this peer. */
  const selves = new Set<string>()
  const deadline = steps.clock.now() + options.foundAfterMs
  const joinDeadline = steps.clock.now() + options.foundAfterMs * START.joinFailuresPatience
  let waitMs = options.retry.initialMs
  let lowestBefore = false
  /** A member answered in some round: the ring exists, so founding beside it waits longer. */
  let memberAnswered = false
  /** When this peer founds a ring of its own: later once a member answered (the ring exists, and joins it slowly). */
  const foundBy = (): number => memberAnswered ? joinDeadline : deadline
  let first = true
  while (steps.running()) {
    const listed = await list()
    if (first && listed.length === 0) {
      steps.found('no bootstrap peer given and no ring member remembered', true)
      return reached
    }
    first = false
    const answered: KnownPeerState[] = []
    const problems: string[] = []
    const silent = new Set<K>()
    await Promise.all(listed.filter(k => !selves.has(k.label)).map(async k => {
      try {
        // A peer reached once is asked again over its connection, not dialled anew.
        const node = reached.get(k.label) ?? await steps.reach(k)
        if (node === 'self') {
          selves.add(k.label)
          return
        }
        reached.set(k.label, node)
        const state = await steps.getState(node)
        answered.push({ node, member: state.member, tag: state.tag })
        if (!state.member) problems.push(`${k.label}: has not joined a ring yet`)
      } catch (err) {
        silent.add(k)
        problems.push(`${k.label}: ${(err as Error).message}`)
      }
    }))
    if (!steps.running()) return reached
    const others = listed.filter(k => !selves.has(k.label))
    if (others.length === 0) {
      steps.found('every bootstrap entry is this peer', true)
      return reached
    }
    const unlisted = namesNotListingSelf(listed, selves)
    if (unlisted.length > 0) problems.push(`${unlisted.join(', ')}: ${unlisted.length === 1 ? 'does' : 'do'} not list this peer yet`)
    if (answered.some(s => s.member)) memberAnswered = true
    const decision = decideStart(steps.self, {
      answered: distinct(answered),
      unanswered: others.length - answered.length,
      lowerUnanswered: [...silent].some(k => k.peer !== undefined && k.peer < steps.self.peer),
      incomplete: unlisted.length > 0,
      deadlinePassed: steps.clock.now() >= foundBy(),
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
      // Never joining for ever: past the deadline (a member answered: the longer one)
      // found, and merge once the member's ring can be joined.
      if (steps.clock.now() >= foundBy()) {
        steps.found(`joining failed until the time was up (${problems.at(-1) ?? ''})`, false)
        return reached
      }
    } else if (decision.kind === 'found') {
      steps.found(decision.why, silent.size === 0)
      return reached
    }
    const retryInMs = Math.max(0, Math.min(waitMs, foundBy() - steps.clock.now()))
    steps.waiting(problems, retryInMs)
    await new Promise<void>(resolve => { steps.clock.setTimeout(resolve, retryInMs) })
    waitMs = Math.min(options.retry.maxMs, waitMs * 2)
  }
  return reached
}

/**
 * The known peers' names, when none of them lists this peer; none
 * otherwise. An orchestrator lists a starting peer under its service's
 * name once it started (Swarm: once its first health check passed), so a
 * name that lists this peer lists every peer that started before it: peers
 * that decide from it see one another, and one of them founds. Until then
 * a peer with a lower ID may be missing from it. One name listing this
 * peer is enough: a shared list of names of one peer each (Compose's)
 * names this peer among them.
 */
function namesNotListingSelf (listed: readonly KnownPeer[], selves: ReadonlySet<string>): string[] {
  if (listed.some(k => k.name !== undefined && selves.has(k.label))) return []
  return [...new Set(listed.flatMap(k => (k.name === undefined ? [] : [k.name])))]
}

/** One state per peer (two entries may reach the same peer). */
function distinct (states: readonly KnownPeerState[]): KnownPeerState[] {
  const seen = new Set<string>()
  return states.filter(s => !seen.has(s.node.peer) && seen.add(s.node.peer) !== undefined)
}
