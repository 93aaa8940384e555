import { encodeRangePage } from '../../protocol/codec.js'
import { decodeArcPageQuery } from '../../protocol/data-codec.js'
import type { Handler } from './handler.js'

/** A page of the records this peer holds in an arc the sender may read. */
export const range: Handler<'range'> = async (body, { from, parts, guard }) => {
  const query = decodeArcPageQuery(body)
  await guard?.check(from, { kind: 'read-arc', from: query.from, to: query.to })
  return { range: encodeRangePage(await parts.data.range(from, query.from, query.to, query.after, query.limit)) }
}
