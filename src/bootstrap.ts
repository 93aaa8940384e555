import { PeriodicTask } from './maintenance/scheduler.js'
import type { Clock } from './node/clock.js'
import type { PeerId } from '@libp2p/interface'
import type { AddressManager, ConnectionManager } from '@libp2p/interface-internal'
import type { Multiaddr } from '@multiformats/multiaddr'

/** The libp2p components bootstrap dialling uses. */
export interface DialerComponents {
  readonly peerId: PeerId
  readonly connectionManager: ConnectionManager
  readonly addressManager: AddressManager
}

/**
 * Dials bootstrap entries for either overlay. A shared bootstrap list names
 * every peer, this one included, often by address alone: an entry that
 * leads back here is told apart from a peer that cannot be reached.
 */
export class BootstrapDialer {
  private readonly components: DialerComponents
  private readonly timeoutMs: number

  constructor (components: DialerComponents, timeoutMs: number) {
    this.components = components
    this.timeoutMs = timeoutMs
  }

  /** Whether an entry is this peer: its peer ID, or (without one) one of its own addresses. */
  isOwnAddress (addr: Multiaddr): boolean {
    const peer = peerIdIn(addr)
    if (peer !== undefined) return peer === this.components.peerId.toString()
    const text = addr.toString()
    const { addressManager } = this.components
    const own = [...addressManager.getAddresses(), ...addressManager.getAnnounceAddrs(), ...addressManager.getListenAddrs()]
    return own.some(a => a.toString() === text || a.toString().startsWith(`${text}/p2p/`))
  }

  /** Dials an entry and names the peer behind it, or `'self'` when the entry leads back here; `signal` can end the dial early. */
  async dial (addr: Multiaddr, signal?: AbortSignal): Promise<PeerId | 'self'> {
    if (this.isOwnAddress(addr)) return 'self'
    const timeout = AbortSignal.timeout(this.timeoutMs)
    try {
      const connection = await this.components.connectionManager.openConnection(addr, { signal: signal === undefined ? timeout : AbortSignal.any([timeout, signal]) })
      if (connection.remotePeer.equals(this.components.peerId)) return 'self'
      return connection.remotePeer
    } catch (err) {
      // libp2p finds out in the handshake that a name or address without a peer ID is this peer.
      if (dialedSelf(err)) return 'self'
      throw err
    }
  }
}

/** The peer ID in a multiaddr's `/p2p/` part, if any. */
export function peerIdIn (addr: Multiaddr): string | undefined {
  return addr.getComponents().find(c => c.name === 'p2p')?.value
}

/** Whether a dial failed because the address was this peer's own. */
function dialedSelf (err: unknown): boolean {
  const e = err as { message?: string, errors?: unknown[] } | undefined
  return /dial(ed)? self/i.test(e?.message ?? '') || (Array.isArray(e?.errors) && e.errors.some(dialedSelf))
}

/**
 * Bootstrap entries without a peer ID that did not answer at start: dialled
 * again with back-off until each answers, then handed to `found` (the ring
 * probes them for other rings).
 */
export class UnresolvedEntries {
  private entries: Multiaddr[] = []
  private readonly task: PeriodicTask
  private readonly dial: (addr: Multiaddr) => Promise<PeerId | 'self'>

  constructor (dial: (addr: Multiaddr) => Promise<PeerId | 'self'>, found: (peer: PeerId, addr: Multiaddr) => void, clock: Clock, retry: { readonly initialMs: number, readonly maxMs: number }, onError: (err: unknown) => void) {
    this.dial = dial
    this.task = new PeriodicTask(clock, { intervalMs: retry.initialMs, maxIntervalMs: retry.maxMs, jitter: 0.2 }, async () => this.round(found), onError)
  }

  /** Starts dialling `entries` in the background (none: nothing to do). */
  start (entries: readonly Multiaddr[]): void {
    this.entries.push(...entries)
    if (this.entries.length > 0) this.task.start()
  }

  stop (): void {
    this.task.stop()
  }

  /** Entries still not reached. */
  get pending (): readonly Multiaddr[] {
    return this.entries
  }

  private async round (found: (peer: PeerId, addr: Multiaddr) => void): Promise<boolean> {
    const left: Multiaddr[] = []
    for (const addr of this.entries) {
      try {
        const peer = await this.dial(addr)
        if (peer !== 'self') found(peer, addr)
      } catch {
        left.push(addr)
      }
    }
    const progress = left.length < this.entries.length
    this.entries = left
    if (left.length === 0) this.task.stop()
    return progress
  }
}
