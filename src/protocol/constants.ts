/** The chordkv stream protocol; the major version changes with incompatible wire changes. */
export const PROTOCOL = '/chordkv/1.0.0'

/** Largest frame accepted by default (bytes). Values up to 1 MiB plus headers fit. */
export const DEFAULT_MAX_FRAME_SIZE = 2 * 1024 * 1024

/** The largest frame a peer with these limits takes: the largest value with its key and headers. */
export function maxFrameSizeFor (limits: { readonly maxKeyBytes: number, readonly maxValueBytes: number }): number {
  return Math.max(DEFAULT_MAX_FRAME_SIZE, limits.maxValueBytes + limits.maxKeyBytes + 64 * 1024)
}

/** Ring identifiers on the wire are 32 bytes (SHA-256). */
export const ID_BYTES = 32

/** Decoding limits: more entries than this in a repeated field is a malformed message. */
export const MAX_ADDRS_PER_PEER = 32
export const MAX_SUCCESSORS = 64
export const MAX_PATH = 256
/** Records or digests in one hand-off or range message. */
export const MAX_BATCH = 4096
/** Sub-arcs in one anti-entropy summary. */
export const MAX_PARTS = 256

/**
 * Inbound streams of the protocol one peer may have open at once, over all
 * its connections. A peer needs one per lane (requests to us share a
 * stream); the rest is room for reconnects.
 */
export const MAX_STREAMS_PER_PEER = 16
/** Streams this peer opens per connection. */
export const MAX_OUTBOUND_STREAMS = 1024
/** What one peer may hold on this peer, in frames: unfinished frames and requests; unread answers (each). */
export const PEER_BUDGET_FRAMES = 4
/** Requests that may bring large answers (values, records) one peer may have running here at once. */
export const HEAVY_PER_PEER = 16
