/** A timer of the simulation: `fn` runs at virtual time `at`; `seq` keeps timers set for the same time in the order they were set. */
export interface Timer {
  readonly at: number
  readonly seq: number
  /** Cleared timers stay in the heap with no function until they come up (lazy removal). */
  fn: (() => void) | undefined
}

/** A binary min-heap of timers, ordered by (at, seq). */
export class TimerHeap {
  private readonly items: Timer[] = []

  get size (): number {
    return this.items.length
  }

  peek (): Timer | undefined {
    return this.items[0]
  }

  push (timer: Timer): void {
    const items = this.items
    let i = items.length
    items.push(timer)
    while (i > 0) {
      const parent = (i - 1) >> 1
      const p = items[parent] as Timer
      if (!earlier(timer, p)) break
      items[i] = p
      i = parent
    }
    items[i] = timer
  }

  pop (): Timer | undefined {
    const items = this.items
    const top = items[0]
    const last = items.pop()
    if (top === undefined || last === undefined || items.length === 0) return top
    // Sift the last timer down from the root.
    let i = 0
    for (;;) {
      const left = 2 * i + 1
      if (left >= items.length) break
      const right = left + 1
      const child = right < items.length && earlier(items[right] as Timer, items[left] as Timer) ? right : left
      if (!earlier(items[child] as Timer, last)) break
      items[i] = items[child] as Timer
      i = child
    }
    items[i] = last
    return top
  }
}

function earlier (a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq)
}
