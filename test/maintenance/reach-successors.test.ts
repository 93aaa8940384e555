import assert from 'node:assert/strict'
import { test } from 'node:test'
import { UnreachableError } from '../../src/errors.js'
import { reachNewSuccessors } from '../../src/maintenance/reach-successors.js'
import { ref } from '../utils/ring-fixtures.js'
import { SimNetwork } from '../utils/sim-network.js'
import { simRing } from '../utils/sim-data.js'
import type { MaintenanceContext } from '../../src/maintenance/context.js'
import type { NodeRef } from '../../src/ring/node-ref.js'

/** A context whose successor list and membership the test sets; pings are recorded, `down` peers fail. */
function context (down: readonly string[] = []) {
  const pinged: string[] = []
  const failed: string[] = []
  const alive: string[] = []
  const state = { joined: true, self: ref(0), successors: [] as NodeRef[] }
  const ctx = {
    state,
    liveness: { alive: (peer: string) => { alive.push(peer) } },
    transport: {
      ping: async (to: NodeRef) => {
        pinged.push(to.peer)
        if (down.includes(to.peer)) throw new UnreachableError(`${to.peer} is down`)
      }
    },
    log: () => {},
    peerFailed: (node: NodeRef) => { failed.push(node.peer) }
  } as unknown as MaintenanceContext
  return { ctx, state, pinged, failed, alive }
}

const settle = async (): Promise<void> => { await new Promise(resolve => setImmediate(resolve)) }

test('each peer new in the successor list is pinged once; peers staying in it are not pinged again, and one back after leaving it is', async () => {
  const { ctx, state, pinged, alive } = context()
  state.successors = [ref(10), ref(20), ref(30)]
  let reached = reachNewSuccessors(ctx, new Set())
  assert.deepEqual(pinged, ['10', '20', '30'].map(id => ref(Number(id)).peer))
  state.successors = [ref(10), ref(25), ref(30)]
  reached = reachNewSuccessors(ctx, reached)
  state.successors = [ref(10), ref(20), ref(25)]
  reached = reachNewSuccessors(ctx, reached)
  await settle()
  assert.deepEqual(pinged, [10, 20, 30, 25, 20].map(id => ref(id).peer))
  assert.deepEqual([...reached].sort(), [10, 20, 25].map(id => ref(id).peer).sort())
  assert.equal(alive.length, 5, 'an answer marks the peer alive')
})

test('nothing is pinged before the peer is a member, nor itself; a peer that does not answer is marked failed', async () => {
  const { ctx, state, pinged, failed } = context([ref(20).peer])
  state.joined = false
  state.successors = [ref(10), ref(20)]
  assert.equal(reachNewSuccessors(ctx, new Set()).size, 0)
  assert.deepEqual(pinged, [])
  state.joined = true
  state.successors = [ref(10), ref(20), ref(0)]
  reachNewSuccessors(ctx, new Set())
  await settle()
  assert.deepEqual(pinged, [ref(10).peer, ref(20).peer])
  assert.deepEqual(failed, [ref(20).peer])
})

test('in a formed ring every peer has reached each peer of its successor list, not only the first, once the list held still', async () => {
  const sim = new SimNetwork({ successors: 4 })
  const talked = new Set<string>()
  sim.links = (from, to) => { talked.add(`${from}>${to}`); return undefined }
  const nodes = await simRing(sim, 12, 4)
  // A stabilize round that changes nothing (every ≤ 8 s at rest) is when the list's peers are reached.
  await sim.clock.advance(10_000)
  for (const node of nodes) {
    const successors = node.snapshot().successors
    assert.equal(successors.length, 4)
    for (const s of successors) assert.ok(talked.has(`${node.self.peer}>${s}`), `${node.self.peer} reached its successor ${s}`)
  }
})
