import { BadRequestError } from '../../errors.js'
import { decodeRouteRequest, encodeRouteReply } from '../../protocol/codec.js'
import type { RouteRequest } from '../../protocol/messages.js'
import type { Handler, HandlerContext } from './handler.js'

/** One hop of a routed lookup or data operation: forwarded on, or run here by the owner. */
export const route: Handler<'route'> = async (body, ctx) => {
  const { from, peers, parts } = ctx
  const request = decodeRouteRequest(peers, body)
  if (request.path.at(-1) !== from.peer) throw new BadRequestError('route path must end with the sender')
  const reply = await parts.ring.route(admit(request, ctx), from, () => { ctx.accept() })
  return { route: encodeRouteReply(peers, reply) }
}

/**
 * A routed write from a peer this peer's view does not hold as a member
 * carries no version it could forge: it is stamped again here, and its
 * route starts here.
 */
function admit (request: RouteRequest, { from, parts, guard }: HandlerContext): RouteRequest {
  const { op } = request
  if (guard === undefined || op.kind === 'lookup' || op.kind === 'get' || guard.knows(from.peer)) return request
  const admitted = parts.data.admitFromStranger(op)
  return admitted === op ? request : { ...request, path: [], op: admitted }
}
