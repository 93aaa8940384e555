import { randomInt } from 'node:crypto'
import type { RingPeer, RingWorkers } from './ring-workers.js'

/** `count` distinct members picked at random (all of them when fewer). */
export function pick<T> (from: readonly T[], count: number): T[] {
  const pool = [...from]
  const out: T[] = []
  while (out.length < count && pool.length > 0) out.push(pool.splice(randomInt(pool.length), 1)[0] as T)
  return out
}

/** Bootstrap lists of `size` random live members' addresses, one per new peer. */
export function bootstrapsFrom (ring: RingWorkers, peers: number, size: number): string[][] {
  const members = [...ring.peers.values()].filter(p => p.joined)
  return Array.from({ length: peers }, () => pick(members, size).map(p => p.addr))
}

export interface WaveOptions {
  /** Peers started together. */
  readonly wave: number
  /** Members each new peer is given to join through. */
  readonly bootstrapPeers: number
  /** Told after each wave: members so far and the wave's time (ms). */
  readonly progress?: (peers: number, waveMs: number) => void
}

/**
 * Grows a ring of `n` peers in waves: one peer founds it, then each wave of
 * new peers joins through random members (never all through one), the next
 * wave starting once this one has joined. Resolves with the peers that did
 * not join in time or founded rings of their own (both should be none).
 */
export async function formInWaves (ring: RingWorkers, n: number, options: WaveOptions): Promise<{ notJoined: RingPeer[], founded: RingPeer[] }> {
  const started = await ring.startPeers([[]])
  while (ring.peers.size < n) {
    const t0 = performance.now()
    started.push(...await ring.startPeers(bootstrapsFrom(ring, Math.min(options.wave, n - ring.peers.size), options.bootstrapPeers)))
    options.progress?.(ring.peers.size, performance.now() - t0)
  }
  return { notJoined: started.filter(p => !p.joined), founded: started.slice(1).filter(p => p.founded) }
}
