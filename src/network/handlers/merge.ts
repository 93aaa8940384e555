import { decodeMergeInvitation, encodeTag } from '../../protocol/codec.js'
import type { Handler } from './handler.js'

/** An invitation to merge into another ring; answers this peer's ring tag. */
export const merge: Handler<'merge'> = async (body, { from, peers, parts }) => {
  const invitation = decodeMergeInvitation(peers, body)
  return { merge: { ring: encodeTag(parts.ring.merge(from, invitation)) } }
}
