import type { Config } from './config.js'
import type { ControlApi, Leaving } from './control/api.js'
import type { HttpRoutes } from './metrics/http-server.js'
import type { StackOptions } from './stack.js'
import type { Libp2p } from '@libp2p/interface'

/** What the daemon tells its operator: progress and ring events on stdout, problems on stderr. */
export interface Report {
  info (line: string): void
  warn (line: string): void
  /**
   * Where to reach the peer (its id, listen addresses, control socket,
   * metrics URL): what other peers and scripts need, printed at every log
   * level. Without it, such lines go to `info`.
   */
  address?: (line: string) => void
}

/** Where an overlay reports while its peer runs. */
export interface OverlayOutput {
  readonly report: Report
  /** A ring event's line (joined, neighbours, repair, merges), held until the peer is up: a peer that fails to listen must not have said it joined. */
  readonly event: (line: string) => void
}

/**
 * A peer an overlay built for the daemon (daemon.ts), not yet started. The
 * daemon owns the data directory, identity, start and stop, the control
 * socket and the metrics listener; the overlay owns what differs.
 */
export interface OverlayPeer<P extends Libp2p = Libp2p> {
  readonly peer: P
  /** Lines printed after the peer's identity, before it starts. */
  readonly banner: readonly string[]
  /** The control socket's API; `leave` is the `leave` op: leave gracefully, then stop. */
  controlApi (leave: () => Leaving): ControlApi
  /** The metrics listener's routes once the peer serves, or none when metrics are off. */
  metrics (): HttpRoutes | undefined
  /** Whether the metrics listener serves a ring page beside /metrics. */
  readonly ringPage: boolean
  /** Whether a leave now would hand records on (false: nothing to hand over, it just stops). */
  handsOff (): boolean
  /** The graceful part of a stop, run once however often asked; rejects with why it failed. */
  leave (): Promise<void>
  /** Gives back memory its store holds only while in use; the daemon calls it when the peer is quiet (memory-trim.ts). */
  readonly release?: () => Promise<unknown>
  /** Closes what the peer does not close itself, once it stopped or failed to start. */
  stopped (failed: boolean): Promise<void>
}

/** A way of placing keys on peers that the daemon can run (`overlay` in the configuration). */
export interface Overlay<P extends Libp2p = Libp2p> {
  readonly name: Config['overlay']
  /** Refuses a configuration this overlay cannot run, with a ConfigError naming the setting. */
  check (config: Config): void
  /** Opens the overlay's store in the data directory and builds its peer on `stack`; a ConfigError says why it cannot. */
  open (config: Config, stack: StackOptions, out: OverlayOutput): Promise<OverlayPeer<P>>
}
