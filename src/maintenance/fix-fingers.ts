import { between } from '../ring/ids.js'
import { nextFingerToFix } from '../ring/finger-table.js'
import { ask, type MaintenanceContext } from './context.js'

/**
 * Refreshes one finger per round, for the next finger start beyond the
 * first successor. A finger f is still right for start s when f's own
 * predecessor lies before s (nobody joined in [s, f)): one direct request
 * checks that. Otherwise a lookup finds the new finger, and every finger the
 * answer also covers is filled, so a full pass costs about log2 N rounds.
 * Fingers are hints; a failed round leaves the table for the next one.
 * Resolves with whether the finger changed; a new finger is asked for its
 * state, which opens the connection lookups will take. Each finger's state
 * feeds the owner cache: the arcs of its predecessor, itself and its
 * successors are where lookups routed through it end. On a small ring the
 * round then walks on to learn every arc (learnSmallRing).
 */
export async function fixFingers (ctx: MaintenanceContext): Promise<boolean> {
  const { state } = ctx
  if (!state.joined || state.successors.length === 0) return false
  const changed = await fixNextFinger(ctx)
  await learnSmallRing(ctx)
  return changed
}

/**
 * On a small ring, walks on from where the owner cache's knowledge of the
 * arcs stops: each member asked names its r successors, so about N / r
 * states learn every arc (8 on a ring of 64 with r = 8); then nothing is
 * asked until arcs age out of the cache (RING.ownerCache.ttlMs) or a route
 * teaches an arc that no longer meets the next one (the ring changed). With
 * every arc known, and a connection to every member
 * (OwnerHints.heard), a lookup takes one hop. Each member is asked
 * once a round; one that fails ends the walk until the next.
 */
async function learnSmallRing (ctx: MaintenanceContext): Promise<void> {
  const asked = new Set<string>()
  for (let frontier = ctx.meshFrontier(); frontier !== undefined && !asked.has(frontier.peer); frontier = ctx.meshFrontier()) {
    asked.add(frontier.peer)
    const at = frontier
    const view = await ask(ctx, at, async () => ctx.transport.getState(at))
    if (view === undefined) return
    ctx.heardNeighbours(at, view)
  }
}

async function fixNextFinger (ctx: MaintenanceContext): Promise<boolean> {
  const { state } = ctx
  const i = nextFingerToFix(state.space, state.self.id, state.successor.id, state.nextFinger)
  const start = state.fingers.start(i)
  const current = state.fingers.get(i)
  if (current !== undefined) {
    const view = await ask(ctx, current, async () => ctx.transport.getState(current))
    if (view !== undefined) ctx.heardNeighbours(current, view)
    const pred = view?.predecessor
    if (pred !== undefined && pred.peer !== current.peer && pred.id !== start && !between(start, pred.id, current.id)) {
      // Still right: skip to the first finger it does not cover.
      state.nextFinger = state.fingers.update(i, current) + 1
      return false
    }
  }
  const reply = await ctx.lookup(start)
  state.nextFinger = state.fingers.update(i, reply.owner) + 1
  const changed = reply.owner.peer !== current?.peer
  // A new finger is reached once now, so the first lookup routed through it
  // does not wait for a connection (TCP, Noise and Yamux: the slowest part of
  // a cold request); its neighbours become owner hints.
  const finger = reply.owner
  if (changed && finger.peer !== state.self.peer) {
    const view = await ask(ctx, finger, async () => ctx.transport.getState(finger))
    if (view !== undefined) ctx.heardNeighbours(finger, view)
  }
  return changed
}
