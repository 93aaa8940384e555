import { mergeMove, probe, type MergeContext } from '../maintenance/merge.js'
import { PeriodicTask, type TaskOutcome } from '../maintenance/scheduler.js'
import { PassiveList, type PassiveListOptions } from '../node/passive-list.js'
import { formatTag, raisedTag, sameTag, tagWins, type RingTag } from '../ring/ring-tag.js'
import type { MaintenanceContext } from '../maintenance/context.js'
import type { Clock } from '../node/clock.js'
import type { MergeInvitation } from '../protocol/messages.js'
import type { NodeRef } from '../ring/node-ref.js'

/** Peers kept doubted at most (a passive list's worth). */
const MAX_DOUBTS = 64
/**
 * Probes in a row a dropped successor must leave unanswered before it
 * counts as vanished (crashed, or cut off). One is not enough on a busy
 * ring: at 550 peers on two cores, live successors dropped after two
 * timed-out requests also let one probe time out.
 */
const LOST_SUCCESSOR_PROBES = 2
/** Invitation tags remembered for their settle period at most. */
const MAX_INVITATIONS_SEEN = 16

/** A member of another ring this node found by probing, while the merge with it is under way. */
export interface SplitSuspect {
  readonly peer: string
  readonly tag: RingTag
  /** When it was first found (clock ms). */
  readonly since: number
}

/** What this node has seen of ring merges since it started. */
export interface MergeStats {
  /** Probes that found a member of another ring. */
  splitsFound: number
  /** Invitations this node accepted (its ring lost). */
  invitations: number
  /** Merge moves that changed this node's successor. */
  moves: number
  /** Splits this node found that it later saw healed (the peer back on its ring). */
  mergesDone: number
  /** The last healed split: with whom, and how long from finding it to seeing it healed (ms). */
  lastMerge?: { readonly peer: string, readonly durationMs: number, readonly at: number } | undefined
}

/** Ring-membership events, for logs and metrics. */
export interface RingEvents {
  splitFound? (suspect: SplitSuspect): void
  mergeDone? (peer: string, durationMs: number): void
}

export interface RingMergerComponents {
  /** The ring node's maintenance context; merge steps run in it. */
  readonly maintenance: MaintenanceContext
  readonly clock: Clock
  readonly random?: () => number
  /** 64 random bits, for ring tags. */
  readonly random64: () => bigint
  /** Whether the node is leaving (it probes no more). */
  leaving (): boolean
  /** Asks for a stabilize round soon: a merge move runs inside it. */
  stabilizeSoon (): void
}

export interface RingMergerInit {
  /** Period of the passive-list probe round (ms); stretches while nothing is due. @default 1 s */
  readonly probeIntervalMs: number
  /** Passive-list peers probed per round at most. @default 2 */
  readonly probesPerRound: number
  /** Passive-list size and per-peer probe back-off (ms). @default 64 peers; 1 s, 15 s, 24 h */
  readonly passive: Omit<PassiveListOptions, 'jitter' | 'random'>
  /** How long after its last merge step a node still reports a merge in progress (ms). @default 6 s */
  readonly mergeSettleMs: number
  /** How far apart two probes must both find a same-tag member not routed to before the tag is raised (ms). @default 30 s */
  readonly splitDoubtMs: number
  /** Periods vary by ±jitter. @default 0.2 */
  readonly jitter: number
  /** The probe round stretches up to this many times while nothing is due. @default 4 */
  readonly stableBackoff: number
}

/**
 * Finds other rings and merges with them (docs/ring-merge.md): probes the
 * passive list (peers outside this node's view that may be alive), keeps
 * the splits found until seen healed, takes invitations from winning rings
 * and makes their merge moves inside the stabilize task, and raises this
 * ring's tag when a split may have left both sides with one.
 */
export class RingMerger {
  /** Peers outside this node's view that may be alive, probed for other rings. */
  readonly passive: PassiveList
  readonly stats: MergeStats = { splitsFound: 0, invitations: 0, moves: 0, mergesDone: 0 }
  /** Listeners for ring-membership events. */
  events: RingEvents = {}
  /** The probe round: sleeps while the passive list is empty (nothing failed); an entry wakes it. */
  readonly task: PeriodicTask
  private readonly components: RingMergerComponents
  private readonly init: RingMergerInit
  private readonly ctx: MergeContext
  private readonly suspects = new Map<string, SplitSuspect>()
  /**
   * What the probes of each peer found that needs a second look (merge.ts
   * probe): the tag it answered with, this ring's or another, and since when.
   */
  private readonly doubts = new Map<string, { readonly tag: string, readonly since: number }>()
  /** Successors dropped as dead whose probes have not yet said whether they are gone. */
  private readonly lost = new Set<string>()
  /**
   * Dropped successors whose probes went unanswered: crashed, or on the far
   * side of a split. One that answers again from a ring this one does not
   * route to, under this ring's tag, proves the split at the second look.
   */
  private readonly vanished = new Set<string>()
  /** When each tag's invitation was last taken: it is passed on once per settle period. */
  private readonly invitationsSeen = new Map<string, number>()
  private pendingInvitation: MergeInvitation | undefined
  private lastMergeStepAt = -Infinity

  constructor (components: RingMergerComponents, init: RingMergerInit) {
    this.components = components
    this.init = init
    const { clock, maintenance } = components
    this.passive = new PassiveList(clock, { ...init.passive, jitter: init.jitter, random: components.random })
    this.ctx = {
      ...maintenance,
      accept: invitation => { this.accept(invitation) },
      raiseTag: () => { this.raiseTag('a member of this ring answered from another ring with the same tag') },
      doubt: (peer, tag) => {
        const seen = formatTag(tag)
        const now = clock.now()
        const before = this.doubts.get(peer)
        if (before?.tag === seen) return now - before.since >= (sameTag(tag, this.state.tag) && !this.vanished.has(peer) ? init.splitDoubtMs : 0)
        if (this.doubts.size >= MAX_DOUBTS) this.doubts.clear()
        this.doubts.set(peer, { tag: seen, since: now })
        return false
      }
    }
    this.task = new PeriodicTask(clock, { intervalMs: init.probeIntervalMs, maxIntervalMs: init.probeIntervalMs * init.stableBackoff, jitter: init.jitter, random: components.random },
      async () => this.probePassive(), err => { maintenance.log('probe failed: %s', (err as Error).message) })
  }

  private get state (): MaintenanceContext['state'] {
    return this.components.maintenance.state
  }

  /** Adds peers to the passive list: bootstrap entries and remembered members that may not be on this node's ring. */
  knowPeers (nodes: readonly NodeRef[]): void {
    for (const node of nodes) if (node.peer !== this.state.self.peer) this.passive.add(node, 'known')
    this.task.wake()
  }

  /** A peer failed: it may be alive on the far side of a partition, so it is probed later. */
  peerFailed (node: NodeRef): void {
    if (!this.state.joined) return
    this.passive.add(node, 'failed')
    this.task.wake()
  }

  /**
   * A successor was dropped as dead: the ring may have split right there.
   * Its probes tell: if it leaves them unanswered it vanished (crashed, or
   * cut off), and if it later answers under this ring's tag from a ring
   * this one does not route to, the ring split here and this node raises
   * its tag then, at the second look, so the sides differ and merge. If it
   * answers at once it was only slow (a busy peer whose requests timed out).
   * Nothing is raised at the loss itself: on a ring under churn every crash
   * would send a new tag round all N members, and merges with every member
   * still carrying the old one (1000 peers at 0.4 crashes per s saturated
   * two cores that way).
   */
  successorLost (node: NodeRef): void {
    if (!this.state.joined) return
    if (this.lost.size >= MAX_DOUBTS) this.lost.clear()
    this.lost.add(node.peer)
    if (!this.passive.has(node.peer)) this.passive.add(node, 'failed')
    this.task.wake()
  }

  /** Lost successors that left their probes unanswered: crashed, or across a split. */
  get vanishedSuccessors (): number {
    let n = 0
    for (const peer of this.vanished) if (this.passive.has(peer)) n++
    return n
  }

  /** Members of other rings found by probing whose merge is not yet seen done. */
  get splitSuspects (): SplitSuspect[] {
    return [...this.suspects.values()]
  }

  /** Whether a merge is under way here: a split not yet seen healed, or a merge step taken recently. */
  get merging (): boolean {
    return this.suspects.size > 0 || this.components.clock.now() - this.lastMergeStepAt < this.init.mergeSettleMs
  }

  /**
   * An invitation to merge into the ring tagged `invitation.tag`: taken
   * once per tag and settle period, and only if that tag wins over this
   * node's own. The move runs in the stabilize task, so it never
   * interleaves with a stabilize round (one operation in flight per node,
   * as Zave's model has it).
   */
  accept (invitation: MergeInvitation): void {
    const mine = this.state.tag
    if (!this.state.joined || mine === undefined || !tagWins(invitation.tag, mine)) return
    const key = formatTag(invitation.tag)
    const now = this.components.clock.now()
    const seenAt = this.invitationsSeen.get(key)
    if (seenAt !== undefined && now - seenAt < this.init.mergeSettleMs) return
    // Taken again after a while: a wave lost on the way is started anew by the next probe.
    this.invitationsSeen.delete(key)
    this.invitationsSeen.set(key, now)
    if (this.invitationsSeen.size > MAX_INVITATIONS_SEEN) this.invitationsSeen.delete(this.invitationsSeen.keys().next().value as string)
    if (this.pendingInvitation === undefined || tagWins(invitation.tag, this.pendingInvitation.tag)) this.pendingInvitation = invitation
    this.stats.invitations++
    this.lastMergeStepAt = now
    this.components.stabilizeSoon()
  }

  /** Makes the merge move of a pending invitation, then passes the invitation on to the old successor. Run by the stabilize task. */
  async runInvitation (): Promise<void> {
    const invitation = this.pendingInvitation
    if (invitation === undefined) return
    this.pendingInvitation = undefined
    const { log, transport } = this.ctx
    const previous = this.state.successors[0]
    try {
      if (await mergeMove(this.ctx, invitation)) {
        this.stats.moves++
        log('merge: joined ring %s through %s; successor now %s', formatTag(invitation.tag), invitation.contact.peer, this.state.successor.peer)
      }
    } catch (err) {
      log('merge move through %s failed: %s', invitation.contact.peer, (err as Error).message)
    }
    this.lastMergeStepAt = this.components.clock.now()
    // Around the old ring: each member makes its own move, so the losing
    // ring joins in parallel rather than only through stabilization.
    if (previous !== undefined && previous.peer !== invitation.contact.peer) {
      transport.merge(previous, invitation).catch(() => {})
    }
  }

  /** A new ring tag for this node's side: its ring split while both sides kept one tag. */
  raiseTag (why: string): void {
    const tag = this.state.tag
    if (!this.state.joined || tag === undefined) return
    this.state.setTag(raisedTag(tag, this.components.random64))
    this.ctx.log('ring tag raised to %s (%s)', formatTag(this.state.tag as RingTag), why)
  }

  /** One round of probing: the passive-list entries that are due. Resolves with whether any was, or idle when none is left. */
  private async probePassive (): Promise<TaskOutcome> {
    if (!this.state.joined || this.components.leaving()) return false
    if (this.passive.size === 0) return 'idle'
    const due = this.passive.due(this.init.probesPerRound)
    await Promise.all(due.map(async ({ node }) => {
      const outcome = await probe(this.ctx, node).catch((err: unknown) => {
        this.ctx.log('probing %s failed: %s', node.peer, (err as Error).message)
        return { kind: 'unreachable' } as const
      })
      if (outcome.kind !== 'doubt') this.doubts.delete(node.peer)
      if (outcome.kind !== 'unreachable') this.lost.delete(node.peer)
      if (outcome.kind === 'same-ring' || outcome.kind === 'other-ring') this.vanished.delete(node.peer)
      switch (outcome.kind) {
        case 'doubt':
          this.passive.answered(node.peer)
          break
        case 'unreachable': {
          // Gone or cut off again: no longer a split this peer can vouch for.
          this.suspects.delete(node.peer)
          const silent = this.passive.unanswered(node.peer)
          if (silent >= LOST_SUCCESSOR_PROBES && this.lost.delete(node.peer)) this.successorVanished(node.peer, silent)
          break
        }
        case 'not-member':
          this.suspects.delete(node.peer)
          this.passive.answered(node.peer, this.init.passive.maxMs)
          break
        case 'same-ring':
          this.passive.remove(node.peer)
          this.splitHealed(node.peer)
          break
        case 'other-ring':
          // Probe again soon: the next answer tells whether the merge is done.
          this.passive.answered(node.peer)
          this.splitFound(node.peer, outcome.tag)
          break
      }
    }))
    return due.length > 0
  }

  private successorVanished (peer: string, silent: number): void {
    // Those the passive list forgot (silent for a day) are probed no more.
    for (const p of this.vanished) if (!this.passive.has(p)) this.vanished.delete(p)
    if (this.vanished.size >= MAX_DOUBTS) this.vanished.delete(this.vanished.values().next().value as string)
    this.vanished.add(peer)
    this.ctx.log('successor %s left %d probes unanswered: if it answers again from another ring under this tag, the ring split here', peer, silent)
  }

  private splitFound (peer: string, tag: RingTag): void {
    const now = this.components.clock.now()
    this.lastMergeStepAt = now
    if (this.suspects.has(peer)) return
    const suspect = { peer, tag, since: now }
    this.suspects.set(peer, suspect)
    this.stats.splitsFound++
    this.ctx.log('split: %s is a member of ring %s, this peer of %s; merging', peer, formatTag(tag), this.state.tag === undefined ? '?' : formatTag(this.state.tag))
    this.events.splitFound?.(suspect)
  }

  private splitHealed (peer: string): void {
    const suspect = this.suspects.get(peer)
    if (suspect === undefined) return
    this.suspects.delete(peer)
    const now = this.components.clock.now()
    const durationMs = now - suspect.since
    this.stats.mergesDone++
    this.stats.lastMerge = { peer, durationMs, at: now }
    this.events.mergeDone?.(peer, durationMs)
  }
}
