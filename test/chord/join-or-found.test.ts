import assert from 'node:assert/strict'
import { test } from 'node:test'
import { UnreachableError } from '../../src/errors.js'
import { START } from '../../src/defaults.js'
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

test('a member that answers but whose ring cannot be joined is given up only after joinFailuresPatience times the time: the peer founds', async () => {
  const clock = new FakeClock()
  const { steps, log, foundAt } = world(ref(5), clock, () => ({ successors: [], member: true, tag: { epoch: 0, nonce: 1n } }))
  steps.join = async via => { throw new Error(`${via.peer} did not answer`) }
  await run([{ label: 'n6', node: ref(6) }], steps, clock, 5000)
  assert.match(log.at(-1) ?? '', /^found: joining failed until the time was up \(joining through n6: n6 did not answer\)/)
  const patience = 5000 * START.joinFailuresPatience
  assert.ok(foundAt() >= patience && foundAt() < patience + 1000, `founded at ${foundAt()} ms, not before ${patience} ms`)
})

test('a member that answered once and then fell silent (an overloaded ring) is waited for joinFailuresPatience times the time', async () => {
  const clock = new FakeClock()
  const { steps, log, foundAt } = world(ref(5), clock, (_node, round) => (round === 0 ? { successors: [], member: true, tag: { epoch: 0, nonce: 1n } } : undefined))
  steps.join = async via => { throw new Error(`${via.peer} did not answer`) }
  await run([{ label: 'n6', node: ref(6) }], steps, clock, 5000)
  assert.equal(log.at(-1), 'found: no known peer answered in time')
  const patience = 5000 * START.joinFailuresPatience
  assert.ok(foundAt() >= patience && foundAt() < patience + 1000, `founded at ${foundAt()} ms, not before ${patience} ms`)
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

/** n99 stands for a name that does not resolve: it is dialled as given, and nobody answers. */
const NOWHERE = ref(99)

/**
 * A name's addresses per round, the list made anew each round as for a
 * bootstrap name looked up again; a round with none lists the name itself
 * (bootstrap.ts dials a name that does not resolve as given).
 */
function named (name: string, perRound: ReadonlyArray<ReadonlyArray<NodeRef | 'self'>>): () => Promise<Known[]> {
  let round = 0
  return async () => {
    const nodes = perRound[Math.min(round++, perRound.length - 1)] ?? []
    if (nodes.length === 0) return [{ label: name, node: NOWHERE, name }]
    return nodes.map(node => ({ label: `${name}@${node === 'self' ? 'me' : node.peer}`, node, name }))
  }
}

test('a name is looked up every round: a member that appears under it later is joined', async () => {
  const clock = new FakeClock()
  const { steps, log } = world(ref(5), clock, node => (node === NOWHERE ? undefined : { successors: [], member: node.peer === 'n7', tag: { epoch: 0, nonce: 1n } }))
  const done = joinOrFound(named('tasks.peer', [[], [ref(6)], [ref(6), 'self', ref(7)]]), steps, { foundAfterMs: 10_000, retry: { initialMs: 1000, maxMs: 4000 } })
  for (let i = 0; i < 20; i++) await clock.advance(500)
  await done
  assert.deepEqual(log, ['wait 1000', 'wait 2000', 'join n7'])
})

test('a name that lists only this peer: it founds (the first peer the name lists)', async () => {
  const clock = new FakeClock()
  const { steps, log } = world(ref(5), clock, () => undefined)
  const done = joinOrFound(named('tasks.peer', [['self']]), steps, { foundAfterMs: 10_000, retry: { initialMs: 1000, maxMs: 4000 } })
  await clock.advance(500)
  await done
  assert.deepEqual(log, ['found: every bootstrap entry is this peer'])
})

test('a name that does not list this peer yet may miss a lower peer: the lowest starting peer it lists waits, and founds once the name lists it', async () => {
  const clock = new FakeClock()
  const { steps, log } = world(ref(5), clock, () => ({ successors: [], member: false }))
  const done = joinOrFound(named('tasks.peer', [[ref(6), ref(7)], [ref(6), ref(7)], [ref(6), 'self', ref(7)]]), steps, { foundAfterMs: 30_000, retry: { initialMs: 1000, maxMs: 4000 } })
  for (let i = 0; i < 20; i++) await clock.advance(500)
  await done
  assert.deepEqual(log.slice(0, 2), ['wait 1000', 'wait 2000'])
  assert.match(log[2] ?? '', /^found: no member answered; 2 other starting peers wait for this one \(lowest peer ID\)$/)
  assert.equal(log.length, 3)
})

test('a name that lists this peer among starting peers with lower IDs: it waits for the lowest to found, then joins', async () => {
  const clock = new FakeClock()
  let founded = false
  const { steps, log } = world(ref(5), clock, (node, round) => {
    if (node.peer === 'n3' && round >= 1) founded = true
    return { successors: [], member: node.peer === 'n3' && founded, tag: { epoch: 0, nonce: 3n } }
  })
  const done = joinOrFound(named('tasks.peer', [[ref(3), 'self', ref(7)]]), steps, { foundAfterMs: 30_000, retry: { initialMs: 1000, maxMs: 4000 } })
  for (let i = 0; i < 20; i++) await clock.advance(500)
  await done
  assert.deepEqual(log, ['wait 1000', 'join n3'])
})

test('a shared list of names of one peer each (Compose): this peer\'s own name listing it is enough, and the lowest founds at once', async () => {
  const clock = new FakeClock()
  const { steps, log } = world(ref(5), clock, () => ({ successors: [], member: false }))
  const list: Known[] = [
    { label: 'chordkv-1', node: ref(6), name: '/dns4/chordkv-1/tcp/4001' },
    { label: 'chordkv-2', node: 'self', name: '/dns4/chordkv-2/tcp/4001' },
    { label: 'chordkv-3', node: ref(7), name: '/dns4/chordkv-3/tcp/4001' }
  ]
  const done = joinOrFound(list, steps, { foundAfterMs: 30_000, retry: { initialMs: 1000, maxMs: 4000 } })
  await clock.advance(500)
  await done
  assert.equal(log.length, 1)
  assert.match(log[0] ?? '', /^found: no member answered; 2 other starting peers wait for this one/)
})
