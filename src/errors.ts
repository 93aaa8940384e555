/**
 * The errors chordkv raises. Callers match on `name`; `code` is the stable
 * string that also crosses the wire (peer protocol status, control socket).
 */

/** Base class: every chordkv error has a machine-readable code. */
export class ChordError extends Error {
  readonly code: string

  constructor (code: string, message: string, options?: ErrorOptions) {
    super(message, options)
    this.code = code
  }
}

/** A peer could not be dialled, or the stream to it closed mid-request: treat it as dead. */
export class UnreachableError extends ChordError {
  override name = 'UnreachableError'

  constructor (message: string, options?: ErrorOptions) {
    super('UNREACHABLE', message, options)
  }
}

/** A peer did not answer in time. */
export class RequestTimeoutError extends ChordError {
  override name = 'RequestTimeoutError'

  constructor (message: string, options?: ErrorOptions) {
    super('TIMEOUT', message, options)
  }
}

/** A live peer answered with an error status (hop limit, busy, not ready, …). */
export class RemoteError extends ChordError {
  override name = 'RemoteError'
}

/** A request is malformed or breaks a limit; the text says what is wrong. */
export class BadRequestError extends ChordError {
  override name = 'BadRequestError'

  constructor (message: string, options?: ErrorOptions) {
    super('BAD_REQUEST', message, options)
  }
}

/** This peer cannot serve the request yet (not joined) or any more (leaving). */
export class NotReadyError extends ChordError {
  override name = 'NotReadyError'

  constructor (message: string, options?: ErrorOptions) {
    super('NOT_READY', message, options)
  }
}

/**
 * A read found no value, and the owner cannot vouch that none exists: the
 * key's other replicas did not answer, or the owner took the key's arc over
 * from peers it did not replicate. Retry later; the answer is not "absent".
 */
export class ReplicasUnavailableError extends ChordError {
  override name = 'ReplicasUnavailableError'

  constructor (message: string, options?: ErrorOptions) {
    super('REPLICAS_UNAVAILABLE', message, options)
  }
}

/** The overlay this peer runs cannot do the operation (kad-dht has no delete). */
export class NotSupportedError extends ChordError {
  override name = 'NotSupportedError'

  constructor (message: string, options?: ErrorOptions) {
    super('NOT_SUPPORTED', message, options)
  }
}

/**
 * A peer asked to exchange records (replication, repair, hand-off) without
 * being a ring member this peer's view places in the replica neighbourhood
 * of those records; the message says what it lacks.
 */
export class NotMemberError extends ChordError {
  override name = 'NotMemberError'

  constructor (message: string, options?: ErrorOptions) {
    super('NOT_MEMBER', message, options)
  }
}

/** An invalid configuration value; the message names the field. */
export class ConfigError extends ChordError {
  override name = 'ConfigError'

  constructor (message: string, options?: ErrorOptions) {
    super('BAD_CONFIG', message, options)
  }
}

/** Whether an error means the peer should be treated as dead (skipped, dropped). */
export function isPeerFailure (err: unknown): boolean {
  return err instanceof UnreachableError || err instanceof RequestTimeoutError
}
