import type { Stream } from '@libp2p/interface'

/** How much of this peer one remote peer may hold on the protocol's inbound streams. */
export interface PeerLimits {
  /** Inbound streams open at once, over all its connections. */
  readonly maxStreams: number
  /**
   * Bytes held for it at once, over all its streams: unfinished frames and
   * requests being served; and, separately, answers it has not read yet.
   */
  readonly maxBytes: number
  /**
   * Requests that may bring large answers (values, records) run at once for
   * it; more wait their turn, so answers it may never read are produced a
   * few at a time.
   */
  readonly maxHeavy: number
}

interface Held {
  readonly streams: Set<Stream>
  bytes: number
  heavy: number
  readonly waiting: Array<() => void>
}

/**
 * Per-peer accounting for the inbound side of the protocol, so that no peer
 * can grow this one's memory without bound: however many streams it opens,
 * requests it sends or answers it leaves unread, what it holds here stays
 * under {@link PeerLimits}. Peers with nothing held are forgotten.
 */
export class PeerBudgets {
  readonly limits: PeerLimits
  private readonly peers = new Map<string, Held>()

  constructor (limits: PeerLimits) {
    this.limits = limits
  }

  /** Registers an inbound stream of `peer`; false when it has the most it may have open. */
  open (peer: string, stream: Stream): boolean {
    const held = this.peers.get(peer) ?? { streams: new Set(), bytes: 0, heavy: 0, waiting: [] }
    if (held.streams.size >= this.limits.maxStreams) return false
    held.streams.add(stream)
    this.peers.set(peer, held)
    return true
  }

  /** The stream closed. */
  close (peer: string, stream: Stream): void {
    const held = this.peers.get(peer)
    if (held === undefined) return
    held.streams.delete(stream)
    this.forgetIfIdle(peer, held)
  }

  /** Takes `bytes` of requests or unfinished frames for `peer`; false, taking nothing, when that would exceed its budget. */
  take (peer: string, bytes: number): boolean {
    const held = this.peers.get(peer)
    if (held === undefined || held.bytes + bytes > this.limits.maxBytes) return false
    held.bytes += bytes
    return true
  }

  /** Gives back bytes taken earlier. */
  give (peer: string, bytes: number): void {
    const held = this.peers.get(peer)
    if (held === undefined) return
    held.bytes = Math.max(0, held.bytes - bytes)
    this.forgetIfIdle(peer, held)
  }

  /** Runs `start` once one of the peer's heavy slots is free (at once if one is); it must call {@link freeSlot} when done. */
  whenSlot (peer: string, start: () => void): void {
    const held = this.peers.get(peer)
    if (held === undefined) return
    if (held.heavy < this.limits.maxHeavy) {
      held.heavy++
      start()
    } else {
      held.waiting.push(start)
    }
  }

  /** A heavy request is over: the next one waiting, if any, starts. */
  freeSlot (peer: string): void {
    const held = this.peers.get(peer)
    if (held === undefined) return
    const next = held.waiting.shift()
    if (next !== undefined) {
      next()
      return
    }
    held.heavy--
    this.forgetIfIdle(peer, held)
  }

  /** Bytes of requests and unfinished frames `peer` holds now. */
  bytesOf (peer: string): number {
    return this.peers.get(peer)?.bytes ?? 0
  }

  /** Bytes of answers waiting for `peer` to read them, over all its streams. */
  unreadOf (peer: string): number {
    let unread = 0
    for (const stream of this.peers.get(peer)?.streams ?? []) unread += stream.writeBufferLength
    return unread
  }

  /** Inbound streams `peer` has open. */
  streamsOf (peer: string): number {
    return this.peers.get(peer)?.streams.size ?? 0
  }

  private forgetIfIdle (peer: string, held: Held): void {
    if (held.streams.size === 0 && held.bytes === 0 && held.heavy === 0) this.peers.delete(peer)
  }
}
