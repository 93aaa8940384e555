import { PeerClient, type ClientOptions } from './client.js'
import { PeerServer, type ServerOptions } from './server.js'
import type { PeerParts } from './handlers/index.js'
import type { RecordGuard } from './record-guard.js'
import type { PeerDirectory } from './peer-directory.js'
import type { Clock } from '../node/clock.js'
import type { ComponentLogger, PeerStore } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'

/** The libp2p components the transport uses. */
export interface TransportComponents {
  readonly connectionManager: ConnectionManager
  readonly registrar: Registrar
  readonly peerStore: PeerStore
  readonly logger: ComponentLogger
  /** Round trips are timed on it. */
  readonly clock: Pick<Clock, 'now'>
}

export interface TransportOptions extends ClientOptions, Omit<ServerOptions, 'maxInFlight'> {}

/**
 * Both sides of `/chordkv/1.0.0` on one peer: the {@link PeerClient} the
 * ring and the records call through (it is the transport), and the
 * {@link PeerServer} answering other peers, started with what this peer serves.
 */
export class Libp2pTransport extends PeerClient {
  readonly server: PeerServer

  constructor (components: TransportComponents, directory: PeerDirectory, options: TransportOptions) {
    super(components, directory, options)
    // A server serves four times what a channel sends: requests whose caller gave up may still be running.
    this.server = new PeerServer(components, directory, { ...options, maxInFlight: 4 * options.maxInFlight })
  }

  /** What each remote peer holds on this peer's inbound streams. */
  get budgets (): PeerServer['budgets'] {
    return this.server.budgets
  }

  /** Starts serving; records are exchanged only with the peers `guard` lets through. */
  async start (parts: PeerParts, guard?: RecordGuard): Promise<void> {
    await this.server.start(parts, guard)
  }

  async stop (): Promise<void> {
    await this.server.stop()
    this.close()
  }
}
