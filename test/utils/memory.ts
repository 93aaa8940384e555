import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

// The tests' process was not started with --expose-gc: a new context made
// after setting the flag has the gc() function.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

/**
 * The memory this process holds in live objects, after full garbage
 * collections: V8's heap in use plus the memory outside it that JavaScript
 * objects own (Buffers and other array buffers). RSS is not used: the
 * allocator keeps freed pages mapped, so it shows what the process once
 * used rather than what it holds (the README's figures give RSS).
 */
export async function liveMemory (): Promise<number> {
  // A Buffer's memory is freed by a weak callback after the collection that found it dead.
  for (let i = 0; i < 3; i++) {
    gc()
    await new Promise(resolve => setImmediate(resolve))
  }
  const { heapUsed, external } = process.memoryUsage()
  return heapUsed + external
}

/** Samples live memory every `everyMs` until stopped; `peak` is the largest sample. */
export class MemorySampler {
  peak = 0
  samples = 0
  private stopped = false
  private readonly done: Promise<void>

  constructor (everyMs = 250) {
    this.done = (async () => {
      while (!this.stopped) {
        this.peak = Math.max(this.peak, await liveMemory())
        this.samples++
        await new Promise(resolve => setTimeout(resolve, everyMs))
      }
    })()
  }

  async stop (): Promise<number> {
    this.stopped = true
    await this.done
    this.peak = Math.max(this.peak, await liveMemory())
    return this.peak
  }
}

/** Bytes as MiB with one decimal, for messages. */
export function mib (bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`
}
