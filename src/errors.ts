/**
 * The errors chordkv raises. Callers match on `name`; `code` is the stable
 * string that also crosses the wire (peer protocol status, control socket).
 * Each code has one meaning and one class that raises it here; a peer's
 * answer carries the code it raised (RemoteError).
 */

/** Every code, with its one meaning. The peer protocol's `Status` (chord.proto) carries those peers tell each other. */
export const ERROR_CODES = {
  BAD_REQUEST: 'the request is malformed or breaks a limit',
  NOT_FOUND: 'no value is stored under the key (an answer, not a failure)',
  UNREACHABLE: 'could not be reached: a peer did not take the request, or no live hop leads towards the key',
  TIMEOUT: 'no answer in time: from a peer, or from the end of a route within its budget',
  HOP_LIMIT: 'a route went past the hop limit (a loop)',
  BUSY: 'past a bound of the answering peer or connection: retry later',
  NOT_READY: 'the peer has not joined a ring yet, has just joined and does not serve its keys yet, or is leaving it',
  QUORUM: 'fewer replicas than the read or write quorum answered',
  REPLICAS_UNAVAILABLE: 'no value here and the absence is unconfirmed: retry',
  NOT_MEMBER: 'records are exchanged only with members of their replica neighbourhood',
  NOT_SUPPORTED: 'the overlay this peer runs cannot do the operation',
  BAD_CONFIG: 'an invalid configuration value',
  HANDOFF_FAILED: 'a graceful leave could not hand its records on',
  NO_PEER: 'no peer listens on the control socket',
  NO_ACCESS: 'the control socket may not be opened by this user',
  CLIENT_TIMEOUT: 'the peer did not answer the client in time',
  CLOSED: 'the peer closed the control connection before answering',
  INTERNAL: 'a fault of the peer itself (a bug): it is logged'
} as const

export type ErrorCode = keyof typeof ERROR_CODES

/** Whether a string (off the wire or a socket) is a known code. */
export function isErrorCode (code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code)
}

/** Base class: every chordkv error has a machine-readable code. Raised through a subclass. */
export class ChordError extends Error {
  readonly code: ErrorCode

  protected constructor (code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options)
    this.code = code
  }
}

/** Where a timeout or an unreachable key was found: at one peer (treat it as dead), or for the route as a whole. */
export interface FailureOptions extends ErrorOptions {
  /** The route as a whole ran out of time or of live hops: no one peer is to blame. */
  readonly route?: boolean
}

/** A peer could not be dialled, or the stream to it closed mid-request: treat it as dead. Or, with `route`, no live hop leads towards the key. */
export class UnreachableError extends ChordError {
  override name = 'UnreachableError'
  readonly route: boolean

  constructor (message: string, options?: FailureOptions) {
    super('UNREACHABLE', message, options)
    this.route = options?.route === true
  }
}

/** A peer did not answer in time. Or, with `route`, a route's budget ran out before the key's owner answered. */
export class RequestTimeoutError extends ChordError {
  override name = 'RequestTimeoutError'
  readonly route: boolean

  constructor (message: string, options?: FailureOptions) {
    super('TIMEOUT', message, options)
    this.route = options?.route === true
  }
}

/** A live peer answered with an error status (hop limit, busy, not ready, …): the code it raised. */
export class RemoteError extends ChordError {
  override name = 'RemoteError'

  /** Public, unlike the base's: the code comes from the peer's answer. */
  constructor (code: ErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options)
  }
}

/** A route went past the hop limit. */
export class HopLimitError extends ChordError {
  override name = 'HopLimitError'

  constructor (message: string, options?: ErrorOptions) {
    super('HOP_LIMIT', message, options)
  }
}

/** A bound of this peer (requests in flight, registrations, watches) is reached, or the replicas were: retry later. */
export class BusyError extends ChordError {
  override name = 'BusyError'

  constructor (message: string, options?: ErrorOptions) {
    super('BUSY', message, options)
  }
}

/** Fewer replicas than the read or write quorum answered. */
export class QuorumError extends ChordError {
  override name = 'QuorumError'

  constructor (message: string, options?: ErrorOptions) {
    super('QUORUM', message, options)
  }
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

/** Whether an error means the peer asked should be treated as dead (skipped, dropped); a route's own failure does not. */
export function isPeerFailure (err: unknown): boolean {
  return (err instanceof UnreachableError || err instanceof RequestTimeoutError) && !err.route
}
