import type { Clock } from './clock.js'

/**
 * What this node believes about other peers' liveness. Any exchange with a
 * peer proves it alive; a failed one makes it a suspect for a while, so
 * lookups try it last and the predecessor counts as dead. Suspicion expires,
 * so a peer that comes back is tried again.
 */
export class Liveness {
  private readonly clock: Clock
  private readonly suspectMs: number
  private readonly lastSeenAt = new Map<string, number>()
  private readonly suspectUntil = new Map<string, number>()

  constructor (clock: Clock, suspectMs: number) {
    this.clock = clock
    this.suspectMs = suspectMs
  }

  /** The peer answered or sent a request. */
  alive (peer: string): void {
    this.suspectUntil.delete(peer)
    if (this.lastSeenAt.size >= 10_000 && !this.lastSeenAt.has(peer)) this.lastSeenAt.clear()
    this.lastSeenAt.set(peer, this.clock.now())
  }

  /**
   * The peer's connections closed: what was heard over them no longer
   * vouches for it (a crash closes them first), so the next check asks it.
   */
  disconnected (peer: string): void {
    this.lastSeenAt.delete(peer)
  }

  /** A request to the peer failed as a dead peer's would. */
  failed (peer: string): void {
    if (this.suspectUntil.size >= 10_000) this.suspectUntil.clear()
    this.suspectUntil.set(peer, this.clock.now() + this.suspectMs)
  }

  isSuspect (peer: string): boolean {
    const until = this.suspectUntil.get(peer)
    if (until === undefined) return false
    if (until > this.clock.now()) return true
    this.suspectUntil.delete(peer)
    return false
  }

  /** Whether the peer was heard from within the last `ms` milliseconds. */
  seenWithin (peer: string, ms: number): boolean {
    return this.quietFor(peer) <= ms
  }

  /** Milliseconds since the peer was last heard from; Infinity if never since its connections closed, or while suspect. */
  quietFor (peer: string): number {
    const at = this.lastSeenAt.get(peer)
    return at === undefined || this.isSuspect(peer) ? Infinity : this.clock.now() - at
  }
}
