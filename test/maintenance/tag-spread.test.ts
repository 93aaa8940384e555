import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'
import { checkIdeal } from '../../src/ring/invariants.js'
import { idFromBytes } from '../../src/ring/ids.js'
import { sameTag } from '../../src/ring/ring-tag.js'
import { SimNetwork } from '../utils/sim-network.js'
import type { ChordNode } from '../../src/chord/node.js'
import type { NodeRef } from '../../src/ring/node-ref.js'

const R = 4
const MEMBERS = 40
const refOf = (name: string): NodeRef => ({ id: idFromBytes(createHash('sha256').update(name).digest()), peer: name })

test('a raised ring tag passes each member for about one stabilize round, not a return to its fastest period', async () => {
  const net = new SimNetwork({ successors: R })
  /** State reads each member sent. */
  const reads = new Map<string, number>()
  net.links = (from, _to, kind) => { if (kind === 'getState') reads.set(from, (reads.get(from) ?? 0) + 1); return undefined }
  const readsNow = (): Map<string, number> => new Map(reads)
  const nodes = Array.from({ length: MEMBERS }, (_, i) => net.add(refOf(`m${i}`)))
  const [first, ...rest] = nodes as [ChordNode, ...ChordNode[]]
  first.create()
  for (const node of rest) await node.join(first.self)
  for (let s = 0; s < 300 && checkIdeal(net.snapshot(), R).length > 0; s++) await net.clock.advance(1000)
  assert.deepEqual(checkIdeal(net.snapshot(), R), [], 'the ring formed')
  // At rest every period has stretched to its longest.
  await net.clock.advance(10 * 60_000)
  const restStart = readsNow()
  await net.clock.advance(5 * 60_000)
  const restEnd = readsNow()

  // What a member does when a successor it lost answers from across a
  // healed split under this ring's tag.
  const raiser = nodes[7] as ChordNode
  const oldTag = first.state.tag
  raiser.merger.raiseTag('test')
  const others = nodes.filter(n => n !== raiser)
  const spreadStart = readsNow()
  await net.clock.advance(5 * 60_000)
  const spreadEnd = readsNow()
  const tag = raiser.state.tag
  assert.ok(!sameTag(tag, oldTag), 'the tag was raised')
  assert.ok(nodes.every(n => sameTag(n.state.tag, tag)), 'the raised tag reached every member')
  assert.deepEqual(checkIdeal(net.snapshot(), R), [], 'the ring stayed ideal')
  // Five minutes at rest against the five minutes of the tag's pass: each
  // member stabilizes about once more for the tag. Returning to the 2 s
  // period and stretching back (2, 4, 8, 16, 32 s) would be about four more
  // rounds each.
  const delta = (a: Map<string, number>, b: Map<string, number>, peer: string): number => (b.get(peer) ?? 0) - (a.get(peer) ?? 0)
  const extra = others.map(n => delta(spreadStart, spreadEnd, n.self.peer) - delta(restStart, restEnd, n.self.peer))
  const median = [...extra].sort((a, b) => a - b)[Math.floor(extra.length / 2)] as number
  assert.ok(median <= 1, `the tag's pass cost a member ${median} more state reads at the median (${extra.join(' ')})`)
})
