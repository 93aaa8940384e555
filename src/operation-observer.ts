import { ChordError } from './errors.js'
import type { Clock } from './node/clock.js'
import type { RouteReply } from './protocol/messages.js'

/** The operations a chordkv peer serves through its public API. */
export type OperationKind = 'put' | 'get' | 'del' | 'lookup'

/**
 * Told about every operation the service runs for a local caller (the
 * control socket, a library user), e.g. to count it for metrics. Outcomes are
 * `ok`, `not_found` (a get of an absent key) or the error code. It must not
 * throw or block.
 */
export interface OperationObserver {
  operation (kind: OperationKind, outcome: string, ms: number, hops?: number): void
}

/** Runs `op` and tells `observer` how it went, timed on `clock`. */
export async function observed<T extends RouteReply> (observer: OperationObserver | undefined, clock: Pick<Clock, 'now'>, kind: OperationKind, op: () => Promise<T>): Promise<T> {
  if (observer === undefined) return op()
  const started = clock.now()
  try {
    const reply = await op()
    observer.operation(kind, kind === 'get' && reply.record === undefined ? 'not_found' : 'ok', clock.now() - started, reply.hops)
    return reply
  } catch (err) {
    observer.operation(kind, err instanceof ChordError ? err.code : 'INTERNAL', clock.now() - started)
    throw err
  }
}
