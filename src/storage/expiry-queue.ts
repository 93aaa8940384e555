import type { Version } from '../protocol/record.js'

/** An expiring value held here: when it expires, and which write it was. */
export interface Expiring {
  readonly atMs: number
  readonly key: Uint8Array
  readonly version: Version
}

/**
 * The expiring values a peer holds, soonest first (a binary min-heap), so
 * the expiry task finds what is due without scanning the store. An entry
 * whose record was overwritten since stays until it comes due and is then
 * skipped: one entry per expiring write, at most.
 */
export class ExpiryQueue {
  private readonly heap: Expiring[] = []

  get size (): number {
    return this.heap.length
  }

  /** The soonest expiry instant, if any. */
  get nextAtMs (): number | undefined {
    return this.heap[0]?.atMs
  }

  add (entry: Expiring): void {
    const heap = this.heap
    heap.push(entry)
    let i = heap.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if ((heap[parent] as Expiring).atMs <= entry.atMs) break
      heap[i] = heap[parent] as Expiring
      i = parent
    }
    heap[i] = entry
  }

  /** Removes and returns up to `max` entries due at `nowMs`, soonest first. */
  due (nowMs: number, max: number): Expiring[] {
    const out: Expiring[] = []
    while (out.length < max && this.heap.length > 0 && (this.heap[0] as Expiring).atMs <= nowMs) out.push(this.pop())
    return out
  }

  private pop (): Expiring {
    const heap = this.heap
    const top = heap[0] as Expiring
    const last = heap.pop() as Expiring
    if (heap.length === 0) return top
    let i = 0
    while (true) {
      const left = 2 * i + 1
      if (left >= heap.length) break
      const right = left + 1
      const child = right < heap.length && (heap[right] as Expiring).atMs < (heap[left] as Expiring).atMs ? right : left
      if ((heap[child] as Expiring).atMs >= last.atMs) break
      heap[i] = heap[child] as Expiring
      i = child
    }
    heap[i] = last
    return top
  }
}
