import { decodeOffer } from '../../protocol/data-codec.js'
import type { Handler } from './handler.js'

/** Digests of records a member would hand over; answers which of them this peer wants. */
export const offer: Handler<'offer'> = async (body, { from, parts, guard }) => {
  const digests = decodeOffer(body)
  await guard?.check(from, { kind: 'write' })
  return { offer: { wanted: await parts.data.offer(from, digests) } }
}
