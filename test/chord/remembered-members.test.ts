import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RememberedMembers } from '../../src/chord/remembered-members.js'
import { FakeClock } from '../utils/sim-network.js'
import { ref } from '../utils/ring-fixtures.js'
import type { MemberStore, RememberedMember } from '../../src/node/member-book.js'
import type { NodeRef } from '../../src/ring/node-ref.js'

/** A member store that records each write (the time and the peers written). */
function store (clock: FakeClock, earlier: RememberedMember[] = []): { store: MemberStore, writes: Array<{ at: number, peers: string[] }> } {
  const writes: Array<{ at: number, peers: string[] }> = []
  return {
    writes,
    store: {
      load: async () => earlier,
      save: async members => { writes.push({ at: clock.now(), peers: members.map(m => m.peer) }) }
    }
  }
}

const addrsOf = (node: NodeRef): string[] => [`/ip4/10.0.0.${Number(node.id)}/tcp/4001`]

test('a change is written at once when nothing was written for a save period, later ones at most once a period, nothing while nothing changes', async () => {
  const clock = new FakeClock()
  const { store: s, writes } = store(clock)
  const members = new RememberedMembers(s, { capacity: 8, saveIntervalMs: 1000 }, clock, err => { throw err })
  members.start()
  members.note([ref(1)], addrsOf)
  await clock.advance(0)
  assert.deepEqual(writes, [{ at: 0, peers: ['n1'] }])
  // Seen again at the same address: not a change.
  members.note([ref(1)], addrsOf)
  await clock.advance(1000)
  assert.equal(writes.length, 1)
  members.note([ref(2)], addrsOf)
  await clock.advance(0)
  assert.equal(writes.length, 2, 'written at once: nothing was written for a period')
  members.note([ref(3)], addrsOf)
  await clock.advance(100)
  assert.equal(writes.length, 2, 'a second change within the period waits for its end')
  // The period is 1000 ms ± 20%.
  await clock.advance(1200)
  assert.equal(writes.length, 3)
  assert.deepEqual(new Set(writes[2]?.peers), new Set(['n1', 'n2', 'n3']))
  members.stop()
})

test('members an earlier run remembered are loaded, most recent first, and not written again unchanged', async () => {
  const clock = new FakeClock()
  const { store: s, writes } = store(clock, [{ peer: 'a', addrs: ['/ip4/10.0.0.1/tcp/1'], seenAt: 1 }, { peer: 'b', addrs: ['/ip4/10.0.0.2/tcp/1'], seenAt: 2 }])
  const members = new RememberedMembers(s, { capacity: 8, saveIntervalMs: 1000 }, clock, err => { throw err })
  await members.load()
  assert.deepEqual(members.list().map(m => m.peer), ['b', 'a'])
  await members.save()
  assert.deepEqual(writes, [])
})

test('without a store, members are kept in memory only, and the save task sleeps', async () => {
  const clock = new FakeClock()
  const members = new RememberedMembers(undefined, { capacity: 2, saveIntervalMs: 1000 }, clock, err => { throw err })
  await members.load()
  members.start()
  members.note([ref(1), ref(2), ref(3)], addrsOf)
  await clock.advance(5000)
  assert.equal(members.size, 2)
  assert.equal(clock.pending, 0, 'nothing to write: no timer wakes the peer')
  members.stop()
})
