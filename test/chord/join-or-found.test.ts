import assert from 'node:assert/strict'
import { test } from 'node:test'
import { UnreachableError } from '../../src/errors.js'
import { joinOrFound, type KnownPeer, type StartSteps } from '../../src/chord/join-or-found.js'
import { ref } from '../utils/ring-fixtures.js'
import { FakeClock } from '../utils/sim-network.js'
import type { NeighbourState } from '../../src/protocol/messages.js'
import type { NodeRef } from '../../src/ring/node-ref.js'

interface Known extends KnownPeer { readonly node: NodeRef | 'self' }

/** Steps over a scripted world: which peers answer, and whether they are members, can change per round. */
function world (self: NodeRef, clock: FakeClock, answer: (node: NodeRef, round: number) => NeighbourState | undefined) {
  const log: string[] = []
  let round = 0
  let foundAt = -1
  const steps: StartSteps<Known> = {
    self,
    clock,
    reach: async k => k.node,
    getState: async node => {
      const state = answer(node, round)
      if (state === undefined) throw new UnreachableError(`${node.peer} is down`)
      return state
    },
    join: async via => { log.push(`join ${via.peer}`) },
    found: why => { log.push(`found: ${why}`); foundAt = clock.now() },
    running: () => true,
    waiting: (_problems, ms) => { round++; log.push(`wait ${ms}`) }
  }
  return { steps, log, foundAt: () => foundAt }
}

async function run (known: Known[], steps: StartSteps<Known>, clock: FakeClock, foundAfterMs = 10_000): Promise<void> {
  const done = joinOrFound(known, steps, { foundAfterMs, retry: { initialMs: 1000, maxMs: 4000 } })
  for (let i = 0; i < 100; i++) await clock.advance(500)
  await done
}

test('a peer that knows nobody founds at once', async () => {
  const clock = new FakeClock()
  const { steps, log } = world(ref(5), clock, () => undefined)
  await run([], steps, clock)
  assert.deepEqual(log, ['found: no bootstrap peer given and no ring member remembered'])
})

test('entries that are this peer are skipped: a list naming only this peer founds', async () => {
  const clock = new FakeClock()
  const { steps, log } = world(ref(5), clock, () => undefined)
  await run([{ label: 'me', node: 'self' }, { label: 'me again', node: 'self' }], steps, clock)
  assert.deepEqual(log, ['found: every bootstrap entry is this peer'])
})

test('a member among the known peers is joined, ignoring this peer\'s own entry', async () => {
  const clock = new FakeClock()
  const { steps, log } = world(ref(5), clock, node => (node.peer === 'n7' ? { successors: [], member: true, tag: { epoch: 0, nonce: 1n } } : undefined))
  await run([{ label: 'me', node: 'self' }, { label: 'n6', node: ref(6) }, { label: 'n7', node: ref(7) }], steps, clock)
  assert.deepEqual(log, ['join n7'])
})

test('unreachable peers are retried with back-off until the time is up, then the peer founds', async () => {
  const clock = new FakeClock()
  const { steps, log, foundAt } = world(ref(5), clock, () => undefined)
  await run([{ label: 'n6', node: ref(6) }], steps, clock, 6000)
  assert.deepEqual(log.slice(0, 2), ['wait 1000', 'wait 2000'])
  assert.equal(log.at(-1), 'found: no known peer answered in time')
  assert.ok(foundAt() >= 6000 && foundAt() < 8000, `founded at ${foundAt()} ms`)
})

test('a peer that comes up as a member before the time is up is joined', async () => {
  const clock = new FakeClock()
  const { steps, log } = world(ref(5), clock, (_node, round) => (round >= 2 ? { successors: [], member: true, tag: { epoch: 0, nonce: 3n } } : undefined))
  await run([{ label: 'n6', node: ref(6) }], steps, clock)
  assert.deepEqual(log, ['wait 1000', 'wait 2000', 'join n6'])
})

test('a member that answers but whose ring cannot be joined is given up once the time is up: the peer founds', async () => {
  const clock = new FakeClock()
  const { steps, log } = world(ref(5), clock, () => ({ successors: [], member: true, tag: { epoch: 0, nonce: 1n } }))
  steps.join = async via => { throw new Error(`${via.peer} did not answer`) }
  await run([{ label: 'n6', node: ref(6) }], steps, clock, 5000)
  assert.match(log.at(-1) ?? '', /^found: joining failed until the time was up \(joining through n6: n6 did not answer\)/)
})

test('peers started together: one whose lower-ID peer is named but silent waits for it, and joins it once it founds', async () => {
  const clock = new FakeClock()
  // n4 is this peer's lower neighbour by ID; it answers only from the third round on, as a member.
  const { steps, log } = world(ref(5), clock, (node, round) => {
    if (node.peer === 'n6') return { successors: [], member: false }
    return round >= 2 ? { successors: [], member: true, tag: { epoch: 0, nonce: 2n } } : undefined
  })
  await run([{ label: 'n4', node: ref(4), peer: 'n4' }, { label: 'n6', node: ref(6) }], steps, clock)
  assert.deepEqual(log, ['wait 1000', 'wait 2000', 'join n4'])
})

test('the same, with the silent peer\'s ID unknown (an address without /p2p/): the lowest that answered founds in its second round', async () => {
  const clock = new FakeClock()
  const { steps, log } = world(ref(5), clock, node => (node.peer === 'n6' ? { successors: [], member: false } : undefined))
  await run([{ label: 'an address', node: ref(4) }, { label: 'n6', node: ref(6) }], steps, clock)
  assert.equal(log.length, 2)
  assert.equal(log[0], 'wait 1000')
  assert.match(log[1] ?? '', /^found: no member answered; 1 other starting peer waits? for this one/)
})
