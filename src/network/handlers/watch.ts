import { decodeWatch, encodeWatchReply } from '../../protocol/data-codec.js'
import type { Handler } from './handler.js'

/**
 * A peer's clients watch a key this peer replicates. Served to anyone who
 * may route a get here (README: Security): a watch reads no more than a
 * get, and a private ring keeps strangers out with its swarm key.
 */
export const watch: Handler<'watch'> = async (body, { from, parts }) => {
  return { watch: encodeWatchReply(await parts.data.watch(from, decodeWatch(body))) }
}
