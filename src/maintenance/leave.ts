import { isPeerFailure } from '../errors.js'
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
  /** `to` could not be reached; the next successor is tried. */
  skipped (to: NodeRef): void
}

/**
 * Leaves the ring gracefully, in an order that loses no acknowledged
 * write: copy every record to the successor (it keeps serving meanwhile),
 * tell the successor and then the predecessor to link past this peer, stop
 * serving routes, then move whatever was written meanwhile (deleting it
 * here). A successor that cannot be reached is skipped for the next one;
 * when none answers the leave fails and the peer keeps its records.
 */
export async function leaveRing (steps: LeaveSteps): Promise<void> {
  if (!steps.joined || steps.successors.length === 0) {
    steps.stopServing()
    return
  }
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
      if (!isPeerFailure(err)) throw err
      steps.skipped(successor)
    }
  }
  throw new Error('no successor could take over this peer\'s keys')
}
