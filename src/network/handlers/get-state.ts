import { encodeNeighbourState } from '../../protocol/codec.js'
import type { Handler } from './handler.js'

/** This peer's predecessor, successor list, membership and ring tag (stabilize, fix-fingers, merge probes). */
export const getState: Handler<'getState'> = async (_body, { from, peers, parts }) => ({
  state: encodeNeighbourState(peers, parts.ring.getState(from))
})
