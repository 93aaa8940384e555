import { lookup } from 'node:dns/promises'
import { isIPv6 } from 'node:net'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { PeriodicTask } from './maintenance/scheduler.js'
import type { Clock } from './node/clock.js'
import type { PeerId } from '@libp2p/interface'
import type { AddressManager, ConnectionManager, TransportManager } from '@libp2p/interface-internal'

/** The libp2p components bootstrap dialling uses. */
export interface DialerComponents {
  readonly peerId: PeerId
  readonly connectionManager: ConnectionManager
  readonly addressManager: AddressManager
  /** The listeners' own addresses (a wildcard listen address as each interface's), which an announced name hides. */
  readonly transportManager?: Pick<TransportManager, 'getAddrs'>
}

/** Every address a host name has: of one IP family (4 or 6), or of both (0). */
export type HostResolver = (host: string, family: 0 | 4 | 6) => Promise<readonly string[]>

/** The system's resolver (getaddrinfo: /etc/hosts, then DNS), every address it returns. */
export const systemResolver: HostResolver = async (host, family) => (await lookup(host, { all: true, family })).map(a => a.address)

/** One address to dial for a bootstrap entry. */
export interface BootstrapAddress {
  readonly addr: Multiaddr
  /** The DNS name (the whole entry, e.g. /dns4/tasks.peer/tcp/4001) this address was looked up from; none for an entry dialled as given. */
  readonly name?: string
}

/** The IP family of a name component, or undefined for any other component. */
const NAME_FAMILIES: Readonly<Record<string, 0 | 4 | 6>> = { dns4: 4, dns6: 6, dns: 0 }

/**
 * The addresses to dial for one bootstrap entry. A /dns4, /dns6 or /dns
 * entry without a peer ID may stand for many peers (Docker Swarm's
 * `tasks.<service>`, a Kubernetes headless Service), so it is looked up
 * and each address it has becomes an entry of its own, /ip4 or /ip6 with
 * the rest of the entry (the port). Every other entry, and a name that does
 * not resolve (its dial then says why), is dialled as given. An entry that
 * names its peer is one peer, whatever its name resolves to.
 */
export async function resolveEntry (entry: Multiaddr, resolve: HostResolver = systemResolver): Promise<BootstrapAddress[]> {
  const [first] = entry.getComponents()
  const family = first === undefined ? undefined : NAME_FAMILIES[first.name]
  if (first?.value === undefined || family === undefined || peerIdIn(entry) !== undefined) return [{ addr: entry }]
  const name = entry.toString()
  const rest = name.slice(`/${first.name}/${first.value}`.length)
  const ips = await resolve(first.value, family).catch((): readonly string[] => [])
  if (ips.length === 0) return [{ addr: entry, name }]
  return [...new Set(ips)].map(ip => ({ addr: multiaddr(`/${isIPv6(ip) ? 'ip6' : 'ip4'}/${ip}${rest}`), name }))
}

/** Every bootstrap entry's addresses ({@link resolveEntry}), looked up at once, in the entries' order. */
export async function resolveEntries (entries: readonly Multiaddr[], resolve: HostResolver = systemResolver): Promise<BootstrapAddress[]> {
  return (await Promise.all(entries.map(async entry => resolveEntry(entry, resolve)))).flat()
}

/**
 * Dials bootstrap entries for either overlay. A shared bootstrap list names
 * every peer, this one included, often by address alone: an entry that
 * leads back here is told apart from a peer that cannot be reached.
 */
export class BootstrapDialer {
  private readonly components: DialerComponents
  private readonly timeoutMs: number
  private readonly resolve: HostResolver

  constructor (components: DialerComponents, timeoutMs: number, resolve: HostResolver = systemResolver) {
    this.components = components
    this.timeoutMs = timeoutMs
    this.resolve = resolve
  }

  /** The addresses to dial for these entries now: names looked up again on every call, as the peers behind them come and go. */
  async addresses (entries: readonly Multiaddr[]): Promise<BootstrapAddress[]> {
    return resolveEntries(entries, this.resolve)
  }

  /** Whether an entry is this peer: its peer ID, or (without one) one of its own addresses. */
  isOwnAddress (addr: Multiaddr): boolean {
    const peer = peerIdIn(addr)
    if (peer !== undefined) return peer === this.components.peerId.toString()
    const text = addr.toString()
    const { addressManager, transportManager } = this.components
    const own = [...addressManager.getAddresses(), ...addressManager.getAnnounceAddrs(), ...addressManager.getListenAddrs(), ...(transportManager?.getAddrs() ?? [])]
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
