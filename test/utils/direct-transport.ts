import type { ChordHandlers, ChordTransport, DataHandlers, DataTransport } from '../../src/protocol/ports.js'
import type { NeighbourState, RouteReply } from '../../src/protocol/messages.js'
import type { NodeRef } from '../../src/ring/node-ref.js'

/** What a simulated request reaches at its receiver: the ring's handlers, and the records' when it carries any. */
export interface PeerHandlers {
  readonly chord: ChordHandlers
  readonly data?: DataHandlers | undefined
}

/**
 * Carries one request of `kind` to `to`; once it is delivered, `run`
 * executes it on the receiver's handlers. The simulated network decides
 * when that happens and whether the receiver is there to take it.
 */
export type Carry = <T>(to: NodeRef, kind: string, run: (at: PeerHandlers) => Promise<T>) => Promise<T>

/**
 * The transport ports (protocol/ports.ts) as direct calls on the
 * receiver's handlers, for simulated networks: each call becomes one
 * request that `carry` delivers. Answers are copied where the wire would
 * copy them, so no peer holds another's arrays.
 */
export function directTransport (self: NodeRef, carry: Carry): ChordTransport & DataTransport {
  const data = (at: PeerHandlers): DataHandlers => {
    if (at.data === undefined) throw new Error('the receiver stores no data')
    return at.data
  }
  return {
    ping: async to => { await carry(to, 'ping', async () => {}) },
    getState: async (to): Promise<NeighbourState> => carry(to, 'getState', async at => {
      const state = at.chord.getState(self)
      return { ...state, successors: [...state.successors] }
    }),
    notify: async to => { await carry(to, 'notify', async at => { await at.chord.notify(self) }) },
    changed: async to => { await carry(to, 'changed', async at => { at.chord.changed(self) }) },
    route: async (to, request, onAccepted): Promise<RouteReply> =>
      carry(to, `route:${request.op.kind}`, async at => at.chord.route(request, self, () => { onAccepted?.() })),
    leave: async (to, notice) => { await carry(to, 'leave', async at => { at.chord.leave(self, notice) }) },
    merge: async (to, invitation) => carry(to, 'merge', async at => at.chord.merge(self, invitation)),
    offer: async (to, digests) => carry(to, 'offer', async at => data(at).offer(self, digests)),
    store: async (to, records) => { await carry(to, 'store', async at => { await data(at).store(self, records) }) },
    range: async (to, from, until, after, limit) => carry(to, 'range', async at => data(at).range(self, from, until, after, limit)),
    summary: async (to, from, until, parts, ownerArc) => carry(to, 'summary', async at => data(at).summary(self, from, until, parts, ownerArc)),
    digests: async (to, from, until, after, limit) => carry(to, 'digests', async at => data(at).digests(self, from, until, after, limit)),
    fetch: async (to, keys) => carry(to, 'fetch', async at => data(at).fetch(self, keys)),
    watch: async (to, query) => carry(to, 'watch', async at => data(at).watch(self, query)),
    // Simulated peers have no clients that watch.
    watchEvent: async to => { await carry(to, 'watchEvent', async () => {}) }
  }
}
