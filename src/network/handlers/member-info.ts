import { encodeMemberInfo } from '../../protocol/member-info.js'
import type { Handler } from './handler.js'

/** What this peer reports about itself (read-only; `chordkv ring` walks the ring with it). */
export const memberInfo: Handler<'memberInfo'> = async (_body, { from, peers, parts }) => ({
  memberInfo: encodeMemberInfo(peers, await parts.info.memberInfo(from))
})
