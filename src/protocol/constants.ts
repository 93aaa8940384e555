/** The chordkv stream protocol; the major version changes with incompatible wire changes. */
export const PROTOCOL = '/chordkv/1.0.0'

/** Largest frame accepted by default (bytes). Values up to 1 MiB plus headers fit. */
export const DEFAULT_MAX_FRAME_SIZE = 2 * 1024 * 1024

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
