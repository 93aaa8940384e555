import { decodeLeaveNotice } from '../../protocol/codec.js'
import type { Handler } from './handler.js'

/** A neighbour leaves and names its own neighbour to link to; it may still hand its records over. */
export const leave: Handler<'leave'> = async (body, { from, peers, served, guard }) => {
  const notice = decodeLeaveNotice(peers, body)
  guard?.left(from)
  served.ring.leave(from, notice)
  return {}
}
