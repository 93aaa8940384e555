import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'
import { probe, type MergeContext } from '../../src/maintenance/merge.js'
import { Liveness } from '../../src/node/liveness.js'
import { NodeState } from '../../src/node/state.js'
import { idFromBytes, SHA256_SPACE } from '../../src/ring/ids.js'
import { FakeClock, silent } from '../utils/sim-network.js'
import type { ChordTransport } from '../../src/protocol/ports.js'
import type { NeighbourState } from '../../src/protocol/messages.js'
import type { NodeRef } from '../../src/ring/node-ref.js'

/**
 * One probe of a passive-list peer (merge.ts) against scripted answers: the
 * verdicts the simulated rings of merge.test.ts reach only under timing
 * they cannot pin down.
 */

const refOf = (name: string): NodeRef => ({ id: idFromBytes(createHash('sha256').update(name).digest()), peer: name })
const TAG = { epoch: 0, nonce: 7n }

/** A member of ring TAG probing `target`, whose state is `theirs`; this ring routes `target`'s identifier to `owner`, whose predecessor is `ownerPredecessor`. */
async function probeWith (target: NodeRef, theirs: NeighbourState, owner: NodeRef, ownerPredecessor: NodeRef): Promise<{ kind: string, doubts: number, raised: number }> {
  const clock = new FakeClock()
  const self = refOf('prober')
  const state = new NodeState(SHA256_SPACE, self, 4)
  state.setTag(TAG)
  state.markJoined()
  const counts = { doubts: 0, raised: 0 }
  const transport = {
    getState: async (to: NodeRef) => (to.peer === target.peer ? theirs : { successors: [], member: true, tag: TAG, predecessor: ownerPredecessor })
  } as unknown as ChordTransport
  const ctx: MergeContext = {
    state,
    liveness: new Liveness(clock, 10_000),
    transport,
    log: silent,
    lookupBudgetMs: 1000,
    peerFailed: () => {},
    successorLost: () => {},
    heardNeighbours: () => {},
    meshFrontier: () => undefined,
    lookup: async () => ({ owner, hops: 1, path: [self.peer, owner.peer] }),
    accept: () => {},
    raiseTag: () => { counts.raised++ },
    doubt: () => { counts.doubts++; return false }
  }
  const outcome = await probe(ctx, target)
  return { kind: outcome.kind, ...counts }
}

test('a member this ring routes its identifier past, to an owner on its own successor list, is on this ring (it joined just before that owner)', async () => {
  const [target, owner, other] = [refOf('joiner'), refOf('owner'), refOf('other')]
  const outcome = await probeWith(target, { member: true, tag: TAG, successors: [owner, other], predecessor: other }, owner, other)
  assert.deepEqual(outcome, { kind: 'same-ring', doubts: 0, raised: 0 })
})

test('a member whose successor list does not hold the owner this ring finds for it is doubted, not yet split', async () => {
  const [target, owner, other, far] = [refOf('stranger'), refOf('owner'), refOf('other'), refOf('far')]
  const outcome = await probeWith(target, { member: true, tag: TAG, successors: [far], predecessor: other }, owner, other)
  assert.deepEqual(outcome, { kind: 'doubt', doubts: 1, raised: 0 })
})
