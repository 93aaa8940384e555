import { START } from '../defaults.js'
import { kadKeyLength } from './keys.js'

/**
 * The kad-dht protocol chordkv peers speak: a private DHT of chordkv peers,
 * never mixed with the public IPFS DHT (`/ipfs/kad/1.0.0`).
 */
export const KAD_PROTOCOL = '/chordkv/kad/1.0.0'

/** Time allowed for one put, get or lookup (ms). */
export const DEFAULT_KAD_TIMEOUT_MS = 10_000

/** DHT operations one peer runs at once (see {@link KAD_STREAM_LIMIT}). */
export const DEFAULT_MAX_CONCURRENT_QUERIES = 32

/**
 * Streams of the kad protocol allowed per connection, each way. Every kad
 * message opens a new stream, and one operation keeps up to about three
 * open on a connection; kad-dht's defaults (32 in, 64 out) reset streams
 * when a client pipelines many requests through one peer.
 */
export const KAD_STREAM_LIMIT = 128

/** Time a bootstrap peer has to answer the dial, and then to enter the routing table (ms). */
export const DEFAULT_BOOTSTRAP_TIMEOUT_MS = 10_000

/** First and longest wait between join attempts while no bootstrap peer answers (ms): as for chord. */
export const DEFAULT_JOIN_RETRY_MS = START.joinRetryMs

/** kad-dht reads each message with a 4 MiB limit (`pbStream`'s default), which it does not let us raise. */
export const KAD_MAX_MESSAGE_BYTES = 4 * 1024 * 1024

/** Room for the message framing, the record wrapper and the closer peers a GET_VALUE answer also carries. */
const MESSAGE_OVERHEAD_BYTES = 64 * 1024

/**
 * The largest value a kad-mode peer can store with keys of up to
 * `maxKeyBytes`: a PUT_VALUE message carries the DHT key twice (message and
 * record) and the value with its version, and must fit in one message.
 */
export function kadMaxValueBytes (maxKeyBytes: number): number {
  return KAD_MAX_MESSAGE_BYTES - MESSAGE_OVERHEAD_BYTES - 2 * kadKeyLength(maxKeyBytes)
}
