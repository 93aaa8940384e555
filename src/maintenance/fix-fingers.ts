import { nextFingerToFix } from '../ring/finger-table.js'
import type { MaintenanceContext } from './context.js'

/**
 * Refreshes one finger per round: looks up the next finger start beyond the
 * first successor and fills every finger the answer also covers, so a full
 * pass costs about log2 N lookups. Fingers are hints; a failed lookup just
 * leaves the table as it was until the next round.
 */
export async function fixFingers (ctx: MaintenanceContext): Promise<void> {
  const { state } = ctx
  if (!state.joined || state.successors.length === 0) return
  const i = nextFingerToFix(state.space, state.self.id, state.successor.id, state.nextFinger)
  const reply = await ctx.lookup(state.fingers.start(i))
  state.nextFinger = state.fingers.update(i, reply.owner) + 1
}
