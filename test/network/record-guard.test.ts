import assert from 'node:assert/strict'
import { test } from 'node:test'
import { defaultLogger } from '@libp2p/logger'
import { NotMemberError } from '../../src/errors.js'
import { RecordGuard, type GuardedRing } from '../../src/network/record-guard.js'
import { idSpace, type RingId } from '../../src/ring/ids.js'
import { ref } from '../utils/ring-fixtures.js'
import type { NodeRef } from '../../src/ring/node-ref.js'

const m8 = idSpace(8)
/** A settled ring 10, 40, …, 250 (every 30) around node 130, k = 3: predecessors are learned by asking them. */
const IDS = [10, 40, 70, 100, 130, 160, 190, 220, 250]
const before = (id: number): NodeRef => ref(IDS[(IDS.indexOf(id) + IDS.length - 1) % IDS.length] as number)

function guarded (overrides: Partial<GuardedRing> = {}): { ring: GuardedRing, asked: string[], lookups: RingId[], clock: { now: number } } {
  const asked: string[] = []
  const lookups: RingId[] = []
  const ring: GuardedRing = {
    space: m8,
    self: ref(130),
    member: true,
    predecessor: ref(100),
    successors: [160, 190, 220].map(ref),
    fingers: [160, 190, 250, 10].map(ref),
    replicas: 3,
    lookup: async key => {
      lookups.push(key)
      return ref(IDS.find(i => BigInt(i) >= key) ?? 10)
    },
    predecessorOf: async node => {
      asked.push(node.peer)
      return before(Number(node.id))
    },
    ...overrides
  }
  return { ring, asked, lookups, clock: { now: 0 } }
}

const refused = async (promise: Promise<void>, pattern: RegExp): Promise<void> => {
  await assert.rejects(promise, (err: Error) => err instanceof NotMemberError && pattern.test(err.message))
}

test('the owner two places back is let through once the guard has asked its predecessor for the next ones', async () => {
  const { ring, asked, clock } = guarded()
  const guard = new RecordGuard(ring, defaultLogger().forComponent('test'), () => clock.now)
  await guard.check(ref(70), { kind: 'write' })
  assert.deepEqual(asked, ['n100', 'n70', 'n40'])
  assert.deepEqual(guard.view().predecessors.map(p => p.peer), ['n100', 'n70', 'n40', 'n10'])
  // Known now: no more asking while it is fresh.
  await guard.check(ref(40), { kind: 'read-arc', from: 10n, to: 40n })
  assert.equal(asked.length, 3)
})

test('a peer farther away hands records over only if a lookup of its identifier ends at it; the answer is remembered', async () => {
  const { ring, lookups, clock } = guarded()
  const guard = new RecordGuard(ring, defaultLogger().forComponent('test'), () => clock.now)
  await guard.check(ref(250), { kind: 'write' })
  await guard.check(ref(250), { kind: 'write' })
  assert.deepEqual(lookups, [250n])
  await refused(guard.check(ref(245), { kind: 'write' }), /does not route its identifier to it/)
  await refused(guard.check(ref(250), { kind: 'read-arc', from: 220n, to: 250n }), /not in this peer's replica neighbourhood/)
  clock.now += 61_000
  await guard.check(ref(250), { kind: 'write' })
  assert.deepEqual(lookups, [250n, 245n, 250n])
})

test('a neighbour that says it leaves may hand over for a minute after it left the view', async () => {
  const { ring, clock } = guarded()
  let predecessor = ref(100)
  const guard = new RecordGuard({ ...ring, get predecessor () { return predecessor }, lookup: async () => ref(130) }, defaultLogger().forComponent('test'), () => clock.now)
  guard.left(ref(100))
  guard.left(ref(77))
  assert.deepEqual(guard.view().departed, ['n100'])
  // Its successor links past it: 100 is out of the view, and its hand-off still arrives.
  predecessor = ref(70)
  await guard.check(ref(100), { kind: 'write' })
  await refused(guard.check(ref(100), { kind: 'read-arc', from: 40n, to: 100n }), /outside the arc a peer joining at its place takes over/)
  clock.now += 61_000
  assert.deepEqual(guard.view().departed, [])
  await refused(guard.check(ref(100), { kind: 'write' }), /does not route its identifier to it/)
})

test('a peer that is not a member refuses everyone', async () => {
  const { ring } = guarded({ member: false })
  await refused(new RecordGuard(ring, defaultLogger().forComponent('test'), () => performance.now()).check(ref(100), { kind: 'write' }), /not a ring member/)
})

test('what the guard knows without asking: this peer, its neighbours and fingers, predecessors it learned, and the ring\'s recent answers', async () => {
  // The ring's lookups end at 10: neither 245 nor the finger 250 is confirmed a member.
  const { ring, clock } = guarded({ lookup: async () => ref(10) })
  const guard = new RecordGuard(ring, defaultLogger().forComponent('test'), () => clock.now)
  for (const known of [130, 100, 160, 220, 250]) assert.ok(guard.knows(`n${known}`), `n${known}`)
  assert.ok(!guard.knows('n70') && !guard.knows('n245'))
  await guard.check(ref(70), { kind: 'write' })
  assert.ok(guard.knows('n70') && guard.knows('n40'))
  assert.ok(!guard.knows('n200'), 'neither a neighbour, a finger nor a learned predecessor')
  await refused(guard.check(ref(245), { kind: 'write' }), /not a ring member/)
  assert.ok(!guard.knows('n245'))
  // A finger the ring just said is no member is not known either, for 5 s.
  await refused(guard.check(ref(250), { kind: 'write' }), /not a ring member/)
  assert.ok(!guard.knows('n250'))
  clock.now += 5001
  assert.ok(guard.knows('n250'))
})

test('a peer the ring does not confirm is asked about again after 5 s, not before; a failed lookup is no confirmation', async () => {
  const { ring, lookups, clock } = guarded()
  let fails = true
  const guard = new RecordGuard({ ...ring, lookup: async key => { lookups.push(key); if (fails) throw new Error('unreachable'); return ref(250) } }, defaultLogger().forComponent('test'), () => clock.now)
  await refused(guard.check(ref(250), { kind: 'write' }), /not a ring member/)
  fails = false
  clock.now += 4999
  await refused(guard.check(ref(250), { kind: 'write' }), /not a ring member/)
  assert.equal(lookups.length, 1)
  clock.now += 2
  await guard.check(ref(250), { kind: 'write' })
  assert.equal(lookups.length, 2)
})

test('predecessors are asked again at most once a second, and only for a check that fails', async () => {
  const { ring, asked, clock } = guarded()
  const guard = new RecordGuard(ring, defaultLogger().forComponent('test'), () => clock.now)
  await refused(guard.check(ref(245), { kind: 'read-arc', from: 220n, to: 245n }), /outside|not in this peer's replica neighbourhood|not a ring member/)
  assert.equal(asked.length, 3)
  await refused(guard.check(ref(245), { kind: 'read-arc', from: 220n, to: 245n }), /./)
  assert.equal(asked.length, 3)
  await guard.check(ref(160), { kind: 'write' })
  clock.now += 1000
  assert.equal(asked.length, 3, 'a check the view allows asks nothing')
  await refused(guard.check(ref(245), { kind: 'read-arc', from: 220n, to: 245n }), /./)
  assert.equal(asked.length, 6)
})

test('the walk back stops where the ring comes round to this peer, or where a predecessor does not answer', async () => {
  // A ring of three: 130's predecessors are 100, then 10, then 130 itself.
  const small = guarded({ predecessor: ref(100), successors: [ref(10)], predecessorOf: async node => ref(node.id === 100n ? 10 : 130) })
  const guard = new RecordGuard(small.ring, defaultLogger().forComponent('test'), () => small.clock.now)
  await refused(guard.check(ref(245), { kind: 'write' }), /./)
  assert.deepEqual(guard.view().predecessors.map(p => p.peer), ['n100', 'n10', 'n130'])
  const { ring, clock } = guarded({ predecessorOf: async node => { if (node.id === 70n) throw new Error('no answer'); return before(Number(node.id)) } })
  const cut = new RecordGuard(ring, defaultLogger().forComponent('test'), () => clock.now)
  await refused(cut.check(ref(245), { kind: 'write' }), /./)
  assert.deepEqual(cut.view().predecessors.map(p => p.peer), ['n100', 'n70'])
})

test('a view with no predecessor learns nothing and asks no one', async () => {
  const { ring, asked } = guarded({ predecessor: undefined })
  const guard = new RecordGuard(ring, defaultLogger().forComponent('test'), () => performance.now())
  await guard.check(ref(160), { kind: 'write' })
  assert.deepEqual([asked, guard.view().predecessors], [[], []])
})

test('told its predecessors changed, the guard learns them at once: the owner two places back then writes without a walk', async () => {
  const { ring, asked, clock } = guarded()
  const guard = new RecordGuard(ring, defaultLogger().forComponent('test'), () => clock.now)
  guard.predecessorsChanged()
  const deadline = Date.now() + 5000
  while (asked.length < 3 && Date.now() < deadline) await new Promise(resolve => setImmediate(resolve))
  assert.deepEqual(asked, ['n100', 'n70', 'n40'])
  await guard.check(ref(70), { kind: 'write' })
  assert.equal(asked.length, 3, 'the write asked nothing more')
})
