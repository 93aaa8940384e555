import { decodeStore } from '../../protocol/data-codec.js'
import type { Handler } from './handler.js'

/** Records from a member of this peer's replica neighbourhood; each newer one is kept. */
export const store: Handler<'store'> = async (body, { from, parts, guard }) => {
  const records = decodeStore(body)
  await guard?.check(from, { kind: 'write' })
  await parts.data.store(from, records)
  return {}
}
