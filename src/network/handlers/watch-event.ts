import { decodeWatchEvent } from '../../protocol/data-codec.js'
import type { Handler } from './handler.js'

/** A newer version of a key this peer's clients watch; kept only from the replicas it registered with. */
export const watchEvent: Handler<'watchEvent'> = async (body, { from, parts }) => {
  parts.watches.watchEvent(from, decodeWatchEvent(body))
  return {}
}
