import { ChordError, HopLimitError, isPeerFailure, NotReadyError, RequestTimeoutError, UnreachableError } from '../errors.js'
import { idToHex } from '../ring/ids.js'
import { nextHop, SUCCESSOR_CLAIM, type Candidate } from '../ring/routing.js'
import type { Clock } from './clock.js'
import type { Liveness } from './liveness.js'
import type { NodeState } from './state.js'
import type { ChordTransport } from '../protocol/ports.js'
import type { RouteReply, RouteRequest } from '../protocol/messages.js'
import type { NodeRef } from '../ring/node-ref.js'

/** Milliseconds each hop keeps back from its budget, so it can still answer its caller in time. */
const HOP_MARGIN_MS = 50

export interface RouterContext {
  readonly state: NodeState
  readonly liveness: Liveness
  readonly transport: ChordTransport
  readonly clock: Clock
  /** Routes longer than this many hops are refused (loop guard). */
  readonly maxHops: number
  /** A peer failed as a dead one would (dial refused, stream closed, timeout). */
  peerFailed (node: NodeRef): void
  /** A node that lately owned an arc holding `key`, with a data stream to it already open (ChordTransport.reachable), if any. */
  ownerHint (key: RouteRequest['key']): NodeRef | undefined
  /** A route this node forwarded came back answered: `reply` names its owner and the arc it held. */
  routed (reply: RouteReply): void
}

/** Runs the request's operation on this node, the key's owner; `path` ends with this node. */
export type OwnerAction = (request: RouteRequest, path: string[]) => Promise<RouteReply>

/**
 * One hop of a recursive lookup: answer here if this node owns the key,
 * otherwise forward to the first candidate that answers (see forward).
 */
export async function routeHop (ctx: RouterContext, request: RouteRequest, accept: () => void, atOwner: OwnerAction): Promise<RouteReply> {
  const { state, liveness, clock } = ctx
  const deadline = clock.now() + request.budgetMs
  if (!state.joined) throw new NotReadyError('this peer has not joined a ring yet')
  const path = [...request.path, state.self.peer]
  if (path.length - 1 > ctx.maxHops) throw new HopLimitError(`route for ${idToHex(state.space, request.key).slice(0, 12)}… exceeded ${ctx.maxHops} hops`)

  const hint = ctx.ownerHint(request.key)
  const fresh = hint !== undefined && !path.includes(hint.peer) ? hint : undefined
  const decision = nextHop(state.routingView(liveness, fresh), request.key, request.claim)
  if (decision.kind === 'self') return atOwnerOrStandIn(ctx, request, path, deadline, accept, atOwner)

  const reply = await forward(ctx, request, path, deadline, decision.candidates, accept)
  if (reply !== undefined) return reply
  if (decision.elseSelf) return atOwnerOrStandIn(ctx, request, path, deadline, accept, atOwner)
  throw new UnreachableError(`no live next hop for key ${idToHex(state.space, request.key).slice(0, 12)}…`, { route: true })
}

/**
 * Runs the operation here, or, when this node cannot serve its keys yet (a
 * joiner still settling: storage/data-node.ts) and the route reaches it for
 * the first time, hands it to its successor, which serves the arc in its
 * stead meanwhile: the successor routes it back to its predecessor, finds
 * this node on the path refusing, and takes the key itself. So a client
 * entering at a settling joiner is served as one entering elsewhere.
 */
async function atOwnerOrStandIn (ctx: RouterContext, request: RouteRequest, path: string[], deadline: number, accept: () => void, atOwner: OwnerAction): Promise<RouteReply> {
  try {
    return await atOwner(request, path)
  } catch (err) {
    const self = ctx.state.self.peer
    if (!isNotReady(err) || path.indexOf(self) !== path.length - 1) throw err
    const successor = ctx.state.successors[0]
    if (successor === undefined || successor.peer === self) throw err
    const reply = await forward(ctx, request, path, deadline, [{ node: successor, claim: SUCCESSOR_CLAIM }], accept)
    if (reply === undefined) throw err
    return reply
  }
}

/**
 * Forwards to the first candidate that answers and relays its reply back;
 * undefined when every candidate failed. A candidate that is dead or times
 * out is skipped at once, without waiting for stabilization (suspects are
 * tried last). A live hop's error (hop limit, budget exhausted) travels back
 * unchanged.
 */
async function forward (ctx: RouterContext, request: RouteRequest, path: string[], deadline: number, candidates: readonly Candidate[], accept: () => void): Promise<RouteReply | undefined> {
  const { liveness, transport, clock } = ctx
  for (const candidate of suspectsLast(candidates, liveness)) {
    const budgetMs = deadline - clock.now() - HOP_MARGIN_MS
    if (budgetMs <= 0) throw new RequestTimeoutError(`route ran out of time after ${path.length - 1} hops`, { route: true })
    accept()
    try {
      const reply = await transport.route(candidate.node, { ...request, path, claim: candidate.claim, budgetMs })
      liveness.alive(candidate.node.peer)
      ctx.routed(reply)
      return reply
    } catch (err) {
      if (isPeerFailure(err)) {
        ctx.peerFailed(candidate.node)
        continue
      }
      // A peer still joining (or settling) or leaving serves no keys: skip it, it is not dead.
      if (isNotReady(err)) continue
      throw err
    }
  }
  return undefined
}

function isNotReady (err: unknown): boolean {
  return err instanceof ChordError && err.code === 'NOT_READY'
}

/** Keeps the decision's order, but moves suspected peers behind the rest. */
function suspectsLast (candidates: readonly Candidate[], liveness: Liveness): Candidate[] {
  const fresh: Candidate[] = []
  const suspects: Candidate[] = []
  for (const c of candidates) (liveness.isSuspect(c.node.peer) ? suspects : fresh).push(c)
  return [...fresh, ...suspects]
}

