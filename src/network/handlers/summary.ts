import { decodeSummaryQuery, encodeSummaryReply } from '../../protocol/data-codec.js'
import type { Handler } from './handler.js'

/** Anti-entropy: digests of equal sub-arcs of an arc the sender may read. */
export const summary: Handler<'summary'> = async (body, { from, parts, guard }) => {
  const query = decodeSummaryQuery(body)
  await guard?.check(from, { kind: 'read-arc', from: query.from, to: query.to })
  return { summary: encodeSummaryReply(await parts.data.summary(from, query.from, query.to, query.parts, query.ownerArc)) }
}
