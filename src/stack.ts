import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import { componentLogger } from './component-logger.js'
import { TRANSPORT } from './defaults.js'
import { framedNoise } from './noise-frames.js'
import { readSwarmKey } from './swarm-key.js'
import { windowUpdatesAtHalf } from './yamux-window.js'
import type { Config } from './config.js'
import type { PrivateKey } from '@libp2p/interface'
import type { ConnectionManagerInit, Libp2pOptions } from 'libp2p'

/** What every chordkv peer is configured with, whichever overlay it runs. */
export interface StackOptions {
  /** Multiaddrs to listen on, e.g. `/ip4/0.0.0.0/tcp/4001`. */
  readonly listen: readonly string[]
  /** Multiaddrs to advertise instead of the listen addresses (containers, NAT). */
  readonly announce?: readonly string[]
  /** Peers to join through; none starts a new network. */
  readonly bootstrap?: readonly string[]
  readonly privateKey: PrivateKey
  /**
   * A private ring's swarm key (the bytes of a key file, see swarm-key.ts):
   * every connection is encrypted with it first, so only peers holding the
   * same key can connect. None: an open ring.
   */
  readonly swarmKey?: Uint8Array
  readonly connectionManager?: ConnectionManagerInit
  /** libp2p's own metrics (e.g. Prometheus); none by default. */
  readonly metrics?: Libp2pOptions['metrics']
  /** Start at once (default), or leave it to the caller after wiring event listeners. */
  readonly start?: boolean
}

/**
 * How chord peers keep connections alive: by using them, and by the
 * kernel's TCP keep-alive. Yamux's keep-alive (a ping per connection end
 * every 30 s) and libp2p's connection monitor (a ping over a new stream per
 * connection every 10 s, all peers of a process in step) were most of an
 * idle peer's CPU: each ping wakes both processes and goes through Noise.
 * The kernel's probes wake neither, and a connection whose host went silent
 * fails within {@link TRANSPORT}.keepAliveIdleMs + 10 s. The TCP transport
 * closes any connection that carried nothing for
 * {@link TRANSPORT}.socketIdleMs (20 minutes); finger connections, touched
 * every few minutes, stay open between touches.
 */
const keepAlive = { keepAlive: true, keepAliveInitialDelay: TRANSPORT.keepAliveIdleMs }
export const QUIET_CONNECTIONS = {
  yamux: { enableKeepAlive: false },
  connectionMonitor: { enabled: false },
  tcp: { inboundSocketInactivityTimeout: TRANSPORT.socketIdleMs, outboundSocketInactivityTimeout: TRANSPORT.socketIdleMs, dialOpts: keepAlive, listenOpts: keepAlive }
} as const

/**
 * The libp2p stack both overlays share: TCP, Noise, Yamux, the peer's
 * identity and addresses, loggers only where they print, Noise frames
 * written whole (noise-frames.ts) and Yamux window updates only once half
 * a window is used (yamux-window.ts). `quiet`
 * picks {@link QUIET_CONNECTIONS} over libp2p's default keep-alives. The
 * private-network protector is loaded only for a private ring.
 */
export async function stackOptions (options: StackOptions, quiet: boolean): Promise<Omit<Libp2pOptions, 'services'>> {
  const preSharedKey = options.swarmKey === undefined ? undefined : (await import('@libp2p/pnet')).preSharedKey
  windowUpdatesAtHalf()
  return {
    privateKey: options.privateKey,
    addresses: {
      listen: [...options.listen],
      announce: options.announce === undefined ? undefined : [...options.announce]
    },
    transports: [tcp(quiet ? QUIET_CONNECTIONS.tcp : {})],
    connectionProtector: options.swarmKey === undefined ? undefined : preSharedKey?.({ psk: options.swarmKey }),
    connectionEncrypters: [framedNoise()],
    streamMuxers: [yamux(quiet ? QUIET_CONNECTIONS.yamux : {})],
    connectionMonitor: quiet ? QUIET_CONNECTIONS.connectionMonitor : undefined,
    connectionManager: options.connectionManager,
    metrics: options.metrics,
    logger: componentLogger(),
    start: options.start
  }
}

/**
 * A daemon's stack settings from its configuration (the swarm key file is
 * read and checked here); it starts the peer once its listeners are wired.
 */
export async function stackFromConfig (config: Pick<Config, 'listen' | 'announce' | 'bootstrap' | 'swarmKey'>, privateKey: PrivateKey): Promise<StackOptions> {
  return {
    listen: config.listen,
    announce: config.announce.length > 0 ? config.announce : undefined,
    bootstrap: config.bootstrap,
    privateKey,
    swarmKey: config.swarmKey === '' ? undefined : await readSwarmKey(config.swarmKey),
    start: false
  }
}

/** The daemon's line on who may connect: a private ring's key file, or a warning that the ring is open. */
export function whoMayConnect (config: Pick<Config, 'swarmKey'>): string {
  return config.swarmKey === ''
    ? 'open ring: no swarm key, any node that reaches the listen port may connect (README: Security)'
    : `private ring: only peers holding the swarm key ${config.swarmKey} can connect`
}
