import { BadRequestError } from '../../errors.js'
import { changed } from './changed.js'
import { digests } from './digests.js'
import { fetch } from './fetch.js'
import { getState } from './get-state.js'
import { leave } from './leave.js'
import { memberInfo } from './member-info.js'
import { merge } from './merge.js'
import { notify } from './notify.js'
import { offer } from './offer.js'
import { ping } from './ping.js'
import { range } from './range.js'
import { route } from './route.js'
import { store } from './store.js'
import { summary } from './summary.js'
import { watch } from './watch.js'
import { watchEvent } from './watch-event.js'
import type { Body, BodyKind, Handler, HandlerContext, ReplyBody } from './handler.js'
import type { Request } from '../../protocol/chord.js'

export type { Body, BodyKind, Handler, HandlerContext, GuardChecks, PeerParts, ReplyBody } from './handler.js'

/**
 * Which shared stream a request travels on. Records and values go on the
 * data lane, so a flood of large values never holds up stabilization's
 * small requests behind it on one stream (they would time out, and the
 * ring would drop live neighbours); everything else on the ring lane.
 */
export type Lane = 'ring' | 'data'

/** A body's lane and handler. */
interface Entry<K extends BodyKind> {
  readonly lane: Lane | ((body: Body<K>) => Lane)
  readonly handle: Handler<K>
}

/**
 * Every request body's lane and handler: adding a message to chord.proto
 * makes this table incomplete until it has both. In the order bodies are
 * looked for (a request carries one).
 */
export const HANDLERS: { readonly [K in BodyKind]: Entry<K> } = {
  ping: { lane: 'ring', handle: ping },
  getState: { lane: 'ring', handle: getState },
  notify: { lane: 'ring', handle: notify },
  changed: { lane: 'ring', handle: changed },
  merge: { lane: 'ring', handle: merge },
  leave: { lane: 'ring', handle: leave },
  offer: { lane: 'data', handle: offer },
  store: { lane: 'data', handle: store },
  summary: { lane: 'data', handle: summary },
  digests: { lane: 'data', handle: digests },
  fetch: { lane: 'data', handle: fetch },
  range: { lane: 'data', handle: range },
  // A routed request carries a value unless it is a lookup.
  route: { lane: body => body.lookup === undefined ? 'data' : 'ring', handle: route },
  watch: { lane: 'data', handle: watch },
  watchEvent: { lane: 'data', handle: watchEvent },
  memberInfo: { lane: 'ring', handle: memberInfo }
}

const KINDS = Object.keys(HANDLERS) as BodyKind[]

/** The lane of a request (one without a known body goes on the ring lane, to be refused there). */
export function laneOf (request: Omit<Request, 'id'>): Lane {
  const kind = kindOf(request)
  if (kind === undefined) return 'ring'
  const lane = HANDLERS[kind].lane as Lane | ((body: Body<BodyKind>) => Lane)
  return typeof lane === 'function' ? lane(request[kind] as Body<BodyKind>) : lane
}

/** The kind of body a request carries (protobuf's oneof: at most one is set). */
export function kindOf (request: Omit<Request, 'id'>): BodyKind | undefined {
  return KINDS.find(kind => request[kind] !== undefined)
}

/** Serves one request with the handler of its body; any request shows that its sender is alive. */
export async function dispatch (request: Omit<Request, 'id'>, ctx: HandlerContext): Promise<ReplyBody> {
  ctx.parts.ring.seen(ctx.from)
  const kind = kindOf(request)
  if (kind === undefined) throw new BadRequestError('request has no known body')
  const { handle } = HANDLERS[kind] as Entry<BodyKind>
  return handle(request[kind] as Body<BodyKind>, ctx)
}
