import { decodeNotify } from '../../protocol/codec.js'
import type { Handler } from './handler.js'

/** The sender may be this peer's predecessor (Zave's rectify decides). */
export const notify: Handler<'notify'> = async (body, { from, peers, parts }) => {
  decodeNotify(peers, body, from)
  await parts.ring.notify(from)
  return {}
}
