/**
 * The bytes of values a peer takes in puts from its control clients at
 * once, shared by every connection. A put that does not fit is answered
 * BUSY, and its connection reads nothing more until its turn for freed
 * room comes: a flood of large values gets back-pressure, named, instead
 * of piling up in memory and timing out the ring's requests behind it.
 */
export class WriteBudget {
  readonly maxBytes: number
  private used = 0
  private readonly waiting = new Set<() => void>()

  constructor (maxBytes: number) {
    this.maxBytes = maxBytes
  }

  /** Bytes of values in puts under way. */
  get bytes (): number {
    return this.used
  }

  /** Takes room for a put of `bytes`; false when it does not fit (one put alone always fits). */
  take (bytes: number): boolean {
    if (this.used > 0 && this.used + bytes > this.maxBytes) return false
    this.used += bytes
    return true
  }

  /**
   * A put is over: its room is free again. The connection waiting longest
   * hears of it (one per put finished, so waiting connections do not all
   * wake to be refused again); once nothing is under way, all of them do,
   * so none waits for a put that will never come.
   */
  give (bytes: number): void {
    this.used -= bytes
    const woken = this.used === 0 ? [...this.waiting] : [...this.waiting].slice(0, 1)
    for (const wake of woken) {
      this.waiting.delete(wake)
      wake()
    }
  }

  /** Calls `wake` once, when room is freed and the connections waiting before it have had their turn. */
  whenFreed (wake: () => void): void {
    this.waiting.add(wake)
  }

  /** Forgets a waiter (its connection closed). */
  forget (wake: () => void): void {
    this.waiting.delete(wake)
  }
}
