import { serviceCapabilities, TypedEventEmitter, type ComponentLogger, type Logger, type PeerId, type PeerStore, type Startable } from '@libp2p/interface'
import { ChordNode, DEFAULT_CHORD_OPTIONS, type ChordOptions } from './chord-node.js'
import { Libp2pTransport, type StreamMode, type TransportOptions } from './network/libp2p-transport.js'
import { PeerDirectory } from './network/peer-directory.js'
import { DEFAULT_MAX_FRAME_SIZE } from './protocol/constants.js'
import { ringIdOfKey } from './ring/hash.js'
import type { RouteReply } from './protocol/messages.js'
import type { RingId } from './ring/ids.js'
import type { NodeRef } from './ring/node-ref.js'
import type { AddressManager, ConnectionManager, Registrar } from '@libp2p/interface-internal'
import type { Multiaddr } from '@multiformats/multiaddr'

export interface ChordServiceInit extends Partial<ChordOptions> {
  /** Multiaddrs of ring members to join through; none founds a new ring. */
  readonly bootstrap?: readonly Multiaddr[]
  readonly streamMode?: StreamMode
  readonly maxFrameSize?: number
  /** First and longest wait between join attempts while no bootstrap peer answers (ms). */
  readonly joinRetryMs?: { readonly initial: number, readonly max: number }
  readonly rpcTimeout?: TransportOptions['rpcTimeout']
  readonly dialTimeoutMs?: number
}

export interface ChordServiceComponents {
  readonly peerId: PeerId
  readonly logger: ComponentLogger
  readonly registrar: Registrar
  readonly connectionManager: ConnectionManager
  readonly peerStore: PeerStore
  readonly addressManager: AddressManager
}

export interface ChordServiceEvents {
  /** The peer became a ring member (founded a ring or joined one). */
  joined: CustomEvent<{ via?: string }>
  /** A join attempt failed; another follows after `retryInMs`. */
  'join-failed': CustomEvent<{ error: Error, retryInMs: number }>
}

/**
 * The chordkv libp2p service: a {@link ChordNode} speaking `/chordkv/1.0.0`
 * over this peer's libp2p connections. It joins the ring once libp2p has
 * started, retrying while no bootstrap peer can be reached.
 */
export class ChordService extends TypedEventEmitter<ChordServiceEvents> implements Startable {
  readonly [Symbol.toStringTag] = 'chordkv'
  readonly [serviceCapabilities] = ['@chordkv/ring']
  readonly node: ChordNode
  readonly transport: Libp2pTransport
  readonly directory: PeerDirectory
  private readonly components: ChordServiceComponents
  private readonly bootstrap: readonly Multiaddr[]
  private readonly joinRetry: { readonly initial: number, readonly max: number }
  private readonly log: Logger
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private running = false

  constructor (components: ChordServiceComponents, init: ChordServiceInit = {}) {
    super()
    this.components = components
    this.log = components.logger.forComponent('chordkv:service')
    this.bootstrap = init.bootstrap ?? []
    this.joinRetry = init.joinRetryMs ?? { initial: 1000, max: 30_000 }
    this.directory = new PeerDirectory(components.peerId, () => components.addressManager.getAddresses())
    this.transport = new Libp2pTransport(components, this.directory, {
      streamMode: init.streamMode ?? 'shared',
      maxFrameSize: init.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE,
      maxInFlight: 256,
      rpcTimeout: init.rpcTimeout ?? { initialMs: 2000, minMs: 500, maxMs: 5000 },
      dialTimeoutMs: init.dialTimeoutMs ?? 5000
    })
    const options: ChordOptions = { ...DEFAULT_CHORD_OPTIONS, ...definedOnly(init) }
    this.node = new ChordNode(this.directory.self, this.transport, options, { log: components.logger.forComponent('chordkv:ring') })
  }

  async start (): Promise<void> {
    this.running = true
    await this.transport.start(this.node)
  }

  /** Joins once the listeners are up, so our addresses are known to others. */
  afterStart (): void {
    if (this.bootstrap.length === 0) {
      this.node.create()
      this.safeDispatchEvent('joined', { detail: {} })
      return
    }
    void this.tryJoin(this.joinRetry.initial)
  }

  async stop (): Promise<void> {
    this.running = false
    clearTimeout(this.retryTimer)
    this.node.stop()
    await this.transport.stop()
  }

  /** This peer's ring reference. */
  get self (): NodeRef {
    return this.node.self
  }

  /** Whether the peer is a ring member. */
  get joined (): boolean {
    return this.node.state.joined
  }

  /** Finds the peer responsible for a key (bytes) or ring identifier. */
  async lookup (key: Uint8Array | RingId): Promise<RouteReply> {
    return this.node.lookup(typeof key === 'bigint' ? key : ringIdOfKey(key))
  }

  private async tryJoin (waitMs: number): Promise<void> {
    const errors: string[] = []
    for (const addr of this.bootstrap) {
      if (!this.running) return
      try {
        const via = await this.dialBootstrap(addr)
        if (via === undefined) continue
        const successor = await this.node.join(via)
        this.log('joined the ring through %s; successor %s', addr.toString(), successor.peer)
        this.safeDispatchEvent('joined', { detail: { via: via.peer } })
        return
      } catch (err) {
        errors.push(`${addr.toString()}: ${(err as Error).message}`)
      }
    }
    if (!this.running) return
    if (errors.length === 0) {
      // Every bootstrap address is this peer itself: it founds the ring.
      this.node.create()
      this.safeDispatchEvent('joined', { detail: {} })
      return
    }
    const error = new Error(`could not join through any bootstrap peer (${errors.join('; ')})`)
    this.log.error('%s; retrying in %d ms', error.message, waitMs)
    this.safeDispatchEvent('join-failed', { detail: { error, retryInMs: waitMs } })
    this.retryTimer = setTimeout(() => { void this.tryJoin(Math.min(this.joinRetry.max, waitMs * 2)) }, waitMs)
  }

  /** Dials a bootstrap address and names the peer behind it; undefined if it is this peer. */
  private async dialBootstrap (addr: Multiaddr): Promise<NodeRef | undefined> {
    const claimed = addr.getComponents().find(c => c.name === 'p2p')?.value
    if (claimed === this.components.peerId.toString()) return undefined
    const connection = await this.components.connectionManager.openConnection(addr, { signal: AbortSignal.timeout(10_000) })
    if (connection.remotePeer.equals(this.components.peerId)) return undefined
    return this.directory.nodeOf(connection.remotePeer)
  }
}

/** Factory in the shape libp2p's `services` option expects. */
export function chord (init: ChordServiceInit = {}): (components: ChordServiceComponents) => ChordService {
  return components => new ChordService(components, init)
}

function definedOnly (init: ChordServiceInit): Partial<ChordOptions> {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(DEFAULT_CHORD_OPTIONS)) {
    const value = (init as Record<string, unknown>)[key]
    if (value !== undefined) out[key] = value
  }
  return out as Partial<ChordOptions>
}
