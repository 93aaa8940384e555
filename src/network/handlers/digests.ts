import { decodeArcPageQuery, encodeDigestPage } from '../../protocol/data-codec.js'
import type { Handler } from './handler.js'

/** Anti-entropy: a page of record digests in an arc the sender may read. */
export const digests: Handler<'digests'> = async (body, { from, parts, guard }) => {
  const query = decodeArcPageQuery(body)
  await guard?.check(from, { kind: 'read-arc', from: query.from, to: query.to })
  return { digests: encodeDigestPage(await parts.data.digests(from, query.from, query.to, query.after, query.limit)) }
}
