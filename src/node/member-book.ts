/** A peer recently seen as a member of this node's ring, and where to dial it. */
export interface RememberedMember {
  /** libp2p peer ID. */
  readonly peer: string
  /** Multiaddrs it advertised (without `/p2p/`). */
  readonly addrs: readonly string[]
  /** Wall-clock milliseconds when it was last seen as a member. */
  readonly seenAt: number
}

/** Where remembered members persist between runs (a file in the data directory). */
export interface MemberStore {
  load (): Promise<RememberedMember[]>
  save (members: readonly RememberedMember[]): Promise<void>
}

/**
 * The peers this node recently saw as ring members, kept so a restarted
 * peer rejoins its ring through them instead of founding a new one.
 * Bounded: the member seen least recently is dropped first. `dirty` says
 * whether the set of peers or their addresses changed since the last
 * {@link MemberBook.taken}, so callers persist only real changes (a member
 * merely seen again is not one).
 */
export class MemberBook {
  private readonly capacity: number
  private readonly members = new Map<string, RememberedMember>()
  private changed = false

  constructor (capacity: number) {
    this.capacity = capacity
  }

  get size (): number {
    return this.members.size
  }

  get dirty (): boolean {
    return this.changed
  }

  /** Records that `peer` is a member now, at `addrs`. */
  note (peer: string, addrs: readonly string[], seenAt: number): void {
    const known = this.members.get(peer)
    if (known === undefined || (addrs.length > 0 && addrs.join(' ') !== known.addrs.join(' '))) this.changed = true
    this.members.delete(peer)
    this.members.set(peer, { peer, addrs: addrs.length > 0 ? [...addrs] : known?.addrs ?? [], seenAt })
    if (this.members.size > this.capacity) {
      const oldest = [...this.members.values()].reduce((a, b) => (b.seenAt < a.seenAt ? b : a))
      this.members.delete(oldest.peer)
    }
  }

  /** Loads members remembered by an earlier run (most recent first wins the capacity). */
  load (members: readonly RememberedMember[]): void {
    for (const m of [...members].sort((a, b) => a.seenAt - b.seenAt)) this.note(m.peer, m.addrs, m.seenAt)
    this.changed = false
  }

  /** Every remembered member, most recently seen first. */
  list (): RememberedMember[] {
    return [...this.members.values()].sort((a, b) => b.seenAt - a.seenAt)
  }

  /** The list to persist, clearing `dirty`. */
  taken (): RememberedMember[] {
    this.changed = false
    return this.list()
  }
}
