import { decodeNotify } from '../../protocol/codec.js'
import type { Handler } from './handler.js'

/** The sender may be this peer's predecessor (Zave's rectify decides). */
export const notify: Handler<'notify'> = async (body, { from, peers, served }) => {
  decodeNotify(peers, body, from)
  await served.ring.notify(from)
  return {}
}
