import type { Request } from '../protocol/chord.js'

/**
 * Which shared stream a request travels on. Records and values go on the
 * data lane, so a flood of large values never holds up stabilization's
 * small requests behind it on one stream (they would time out, and the
 * ring would drop live neighbours); everything else on the ring lane.
 */
export type Lane = 'ring' | 'data'

type BodyKind = Exclude<keyof Request, 'id'>

/** Each body's lane; a routed request carries a value unless it is a lookup. */
const LANES: { readonly [K in BodyKind]: Lane | ((body: NonNullable<Request[K]>) => Lane) } = {
  ping: 'ring',
  getState: 'ring',
  notify: 'ring',
  changed: 'ring',
  merge: 'ring',
  leave: 'ring',
  memberInfo: 'ring',
  route: body => body.lookup === undefined ? 'data' : 'ring',
  offer: 'data',
  store: 'data',
  range: 'data',
  summary: 'data',
  digests: 'data',
  fetch: 'data',
  watch: 'data',
  watchEvent: 'data'
}

const KINDS = Object.keys(LANES) as BodyKind[]

/** The lane of a request. */
export function laneOf (request: Omit<Request, 'id'>): Lane {
  const kind = KINDS.find(k => request[k] !== undefined)
  if (kind === undefined) return 'ring'
  const lane = LANES[kind] as Lane | ((body: unknown) => Lane)
  return typeof lane === 'function' ? lane(request[kind]) : lane
}
