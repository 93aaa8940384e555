import { ChordError, isPeerFailure } from '../errors.js'
import type { LeaveNotice } from '../protocol/messages.js'
import type { NodeRef } from '../ring/node-ref.js'

/** What a graceful leave does, step by step; the service supplies each step. */
export interface LeaveSteps {
  readonly joined: boolean
  readonly predecessor: NodeRef | undefined
  /** The successor list, nearest first: the first that answers takes over. */
  readonly successors: readonly NodeRef[]
  /** Sends every record to `to`; with `remove`, deletes each once `to` has it. Resolves with the records sent. */
  handOff (to: NodeRef, remove: boolean): Promise<number>
  /** Tells a neighbour this peer leaves, and who its new neighbour is. */
  tell (to: NodeRef, notice: LeaveNotice): Promise<void>
  /** Stops serving routes: peers skip this peer from now on. */
  stopServing (): void
  /** Stops ring maintenance. */
  stop (): void
  /** The leave is done: `copied` records were copied to `to`, then `moved` moved. */
  left (copied: number, moved: number, to: NodeRef): void
  /** Whether `peer` told this peer it leaves the ring (it may be gone already). */
  hasLeft (peer: string): boolean
  /** `to` could not be reached, or takes no records (it is leaving too); the next successor is tried. */
  skipped (to: NodeRef, why: string): void
}

/**
 * No successor took this peer's records: each was out of reach, or is
 * leaving the ring too (as when a whole ring stops at once; a successor
 * that is gone already is out of reach unless it said it was leaving).
 */
export class NoSuccessorError extends ChordError {
  override name = 'NoSuccessorError'
  /** Successors tried, and how many of them are leaving too. */
  readonly tried: number
  readonly leaving: number

  constructor (tried: number, leaving: number) {
    super('HANDOFF_FAILED', leaving === tried
      ? `every successor (${tried}) is leaving the ring too, so none can take this peer's keys`
      : `no successor could take over this peer's keys (${tried - leaving} out of reach, ${leaving} leaving too)`)
    this.tried = tried
    this.leaving = leaving
  }
}

/** A successor that takes no records: it is leaving, or is no member any more (its guard refuses). */
function leavingToo (err: unknown): boolean {
  return err instanceof ChordError && (err.code === 'NOT_READY' || err.code === 'NOT_MEMBER')
}

/**
 * Leaves the ring gracefully, in an order that loses no acknowledged
 * write: copy every record to the successor (it keeps serving meanwhile),
 * tell the successor and then the predecessor to link past this peer, stop
 * serving routes, then move whatever was written meanwhile (deleting it
 * here). A successor that cannot be reached, or that is leaving too, is
 * skipped for the next one; when none takes the records the leave fails
 * with {@link NoSuccessorError} and the peer keeps its records.
 */
export async function leaveRing (steps: LeaveSteps): Promise<void> {
  if (!steps.joined || steps.successors.length === 0) {
    steps.stopServing()
    return
  }
  let leaving = 0
  for (const successor of steps.successors) {
    try {
      const copied = await steps.handOff(successor, false)
      const predecessor = steps.predecessor
      await steps.tell(successor, { predecessor })
      if (predecessor !== undefined && predecessor.peer !== successor.peer) {
        await steps.tell(predecessor, { successor }).catch(() => {})
      }
      steps.stopServing()
      const moved = await steps.handOff(successor, true)
      steps.left(copied, moved, successor)
      steps.stop()
      return
    } catch (err) {
      // Out of reach after saying it leaves: it left, as this peer does.
      if (leavingToo(err) || (isPeerFailure(err) && steps.hasLeft(successor.peer))) leaving++
      else if (!isPeerFailure(err)) throw err
      steps.skipped(successor, (err as Error).message)
    }
  }
  throw new NoSuccessorError(steps.successors.length, leaving)
}
