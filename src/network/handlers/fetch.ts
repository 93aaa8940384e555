import { encodeFetchResult } from '../../protocol/data-codec.js'
import { ringIdOfKey } from '../../ring/hash.js'
import type { Handler } from './handler.js'

/** The records this peer holds for keys whose places the sender may read. */
export const fetch: Handler<'fetch'> = async (body, { from, parts, guard }) => {
  await guard?.check(from, { kind: 'read-keys', keys: body.keys.map(k => ringIdOfKey(k)) })
  return { fetch: encodeFetchResult(await parts.data.fetch(from, body.keys)) }
}
