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

export type { Body, BodyKind, Gate, Handler, HandlerContext, ReplyBody, Served } from './handler.js'

/**
 * The handler of every request body: adding a message to chord.proto makes
 * this table incomplete until it has one. In the order bodies are looked
 * for (a request carries one).
 */
export const HANDLERS: { readonly [K in BodyKind]: Handler<K> } = {
  ping,
  getState,
  notify,
  changed,
  merge,
  leave,
  offer,
  store,
  summary,
  digests,
  fetch,
  range,
  route,
  watch,
  watchEvent,
  memberInfo
}

const KINDS = Object.keys(HANDLERS) as BodyKind[]

/** The kind of body a request carries (protobuf's oneof: at most one is set). */
export function kindOf (request: Omit<Request, 'id'>): BodyKind | undefined {
  return KINDS.find(kind => request[kind] !== undefined)
}

/** Serves one request with the handler of its body; any request shows that its sender is alive. */
export async function dispatch (request: Omit<Request, 'id'>, ctx: HandlerContext): Promise<ReplyBody> {
  ctx.served.ring.seen(ctx.from)
  const kind = kindOf(request)
  if (kind === undefined) throw new BadRequestError('request has no known body')
  const handler = HANDLERS[kind] as Handler<BodyKind>
  return handler(request[kind] as Body<BodyKind>, ctx)
}
