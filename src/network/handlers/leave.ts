import { decodeLeaveNotice } from '../../protocol/codec.js'
import type { Handler } from './handler.js'

/** A neighbour leaves and names its own neighbour to link to; it may still hand its records over. */
export const leave: Handler<'leave'> = async (body, { from, peers, parts, guard }) => {
  const notice = decodeLeaveNotice(peers, body)
  guard?.left(from)
  parts.ring.leave(from, notice)
  return {}
}
