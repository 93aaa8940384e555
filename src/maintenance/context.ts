import type { ChordTransport } from '../network/transport.js'
import type { Liveness } from '../node/liveness.js'
import type { NodeState } from '../node/state.js'
import type { RouteReply } from '../protocol/messages.js'
import type { RingId } from '../ring/ids.js'
import type { NodeRef } from '../ring/node-ref.js'
import type { Logger } from '@libp2p/interface'

/** What every maintenance step works on. */
export interface MaintenanceContext {
  readonly state: NodeState
  readonly liveness: Liveness
  readonly transport: ChordTransport
  readonly log: Logger
  /** A peer failed as a dead one would. */
  peerFailed (node: NodeRef): void
  /** A lookup started at this node. */
  lookup (key: RingId): Promise<RouteReply>
}
