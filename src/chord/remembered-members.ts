import { PeriodicTask } from '../maintenance/scheduler.js'
import { MemberBook, type MemberStore, type RememberedMember } from '../node/member-book.js'
import type { Clock } from '../node/clock.js'
import type { NodeRef } from '../ring/node-ref.js'

/**
 * The ring members this peer saw, kept across restarts so a restarted peer
 * rejoins its ring through them instead of founding one. A change is
 * written at once when nothing was written for a save period (so a peer
 * killed soon after joining still knows its ring), else at the end of the
 * period: at most one write per period, none while nothing changes.
 */
export class RememberedMembers {
  private readonly book: MemberBook
  private readonly store: MemberStore | undefined
  private readonly saveMs: number
  private readonly clock: Clock
  private readonly task: PeriodicTask
  /** When members were last written (clock ms). */
  private savedAt = -Infinity

  constructor (store: MemberStore | undefined, options: { readonly capacity: number, readonly saveIntervalMs: number }, clock: Clock, onError: (err: unknown) => void) {
    this.book = new MemberBook(options.capacity)
    this.store = store
    this.saveMs = options.saveIntervalMs
    this.clock = clock
    // Sleeps while nothing changed; a change wakes it.
    this.task = new PeriodicTask(clock, { intervalMs: options.saveIntervalMs, jitter: 0.2 }, async () => {
      await this.save()
      return this.book.dirty ? undefined : 'idle'
    }, onError)
  }

  /** Reads the members an earlier run remembered. */
  async load (): Promise<void> {
    if (this.store !== undefined) this.book.load(await this.store.load())
  }

  /** Starts writing changes (once the peer is a member). */
  start (): void {
    this.task.start()
  }

  stop (): void {
    this.task.stop()
  }

  /** Remembered members, most recently seen first. */
  list (): RememberedMember[] {
    return this.book.list()
  }

  get size (): number {
    return this.book.size
  }

  /** Remembers `nodes` as members now, at the addresses `addrsOf` knows for them. */
  note (nodes: readonly NodeRef[], addrsOf: (node: NodeRef) => readonly string[]): void {
    const now = this.clock.wallMs()
    for (const n of nodes) this.book.note(n.peer, addrsOf(n), now)
    if (!this.book.dirty) return
    if (this.clock.now() - this.savedAt >= this.saveMs) this.task.trigger()
    else this.task.wake()
  }

  /** Writes the members if they changed (without a store, only marks them written: nothing is waiting to be saved). */
  async save (): Promise<void> {
    if (!this.book.dirty) return
    this.savedAt = this.clock.now()
    const members = this.book.taken()
    if (this.store !== undefined) await this.store.save(members)
  }
}
