import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { UnreachableError } from '../../src/errors.js'
import { walkRing, type MemberSource } from '../../src/chord/ring-walk.js'
import type { MemberInfo } from '../../src/protocol/member-info.js'
import type { NodeRef } from '../../src/ring/node-ref.js'

/** A node at `position` / 16 of the way round the ring. */
const node = (name: string, position: number): NodeRef => ({ peer: name, id: (BigInt(position) << 252n) })

const A = node('A', 1)
const B = node('B', 5)
const C = node('C', 9)
const D = node('D', 13)

/** A member's report: successors and predecessor as given; 2 keys owned, 3 held. */
function info (self: NodeRef, successors: NodeRef[], predecessor: NodeRef | undefined, extra: Partial<MemberInfo> = {}): MemberInfo {
  return { self, addrs: [`/ip4/127.0.0.1/tcp/400${self.peer.charCodeAt(0) % 10}`], predecessor, successors, fingers: successors.slice(0, 1), member: true, leaving: false, successorListLength: 3, replicationFactor: 3, keys: 3, keysOwned: 2, tombstones: 0, version: '0.1.0', ...extra }
}

/** Answers from a fixed table, each answer 5 ms later on its clock; a peer missing from it is unreachable. */
function source (reports: MemberInfo[]): MemberSource & { asked: string[] } {
  const asked: string[] = []
  let nowMs = 1000
  return {
    asked,
    clock: { now: () => nowMs },
    async memberInfo (of?: NodeRef) {
      const peer = of?.peer ?? (reports[0] as MemberInfo).self.peer
      asked.push(peer)
      nowMs += 5
      const report = reports.find(r => r.self.peer === peer)
      if (report === undefined) throw new UnreachableError(`cannot reach ${peer}`)
      return report
    }
  }
}

describe('walking the ring', () => {
  test('a healthy ring: every member once in ring order, shares of the identifier space, successor lists that match', async () => {
    const walk = await walkRing(source([
      info(A, [B, C, D], D), info(B, [C, D, A], A), info(C, [D, A, B], B), info(D, [A, B, C], C)
    ]))
    assert.equal(walk.closed, true)
    assert.deepEqual(walk.warnings, [])
    assert.deepEqual(walk.members.map(m => m.peerId), ['A', 'B', 'C', 'D'])
    // A owns (D, A]: from 13/16 round to 1/16 is 4/16
    assert.deepEqual(walk.members.map(m => m.share), [0.25, 0.25, 0.25, 0.25])
    assert.deepEqual(walk.members.map(m => m.successorList), Array(4).fill({ length: 3, expected: 3, matching: 3 }))
    assert.deepEqual(walk.members.map(m => [m.keysOwned, m.keysReplicated]), Array(4).fill([2, 1]))
    // Timed on the source's clock: one report from each of the four members, 5 ms each.
    assert.equal(walk.elapsedMs, 20)
  })

  test('a ring of one is closed, and owns the whole space', async () => {
    const walk = await walkRing(source([info(A, [], undefined)]))
    assert.equal(walk.closed, true)
    assert.deepEqual(walk.warnings, [])
    assert.equal(walk.members[0]?.share, 1)
  })

  test('a successor that does not answer is skipped and named; the walk goes on through the next one', async () => {
    // C crashed: B and D still list it
    const walk = await walkRing(source([info(A, [B, C, D], D), info(B, [C, D, A], A), info(D, [A, B, C], C)]))
    assert.equal(walk.closed, true)
    assert.deepEqual(walk.members.map(m => m.peerId), ['A', 'B', 'D'])
    assert.match(walk.warnings.join('\n'), /…C, a successor of …B, did not answer \(cannot reach C\); skipped/)
    assert.match(walk.warnings.join('\n'), /…D's predecessor is …C, but the walk reached it from …B/)
    assert.deepEqual(walk.members.find(m => m.peerId === 'B')?.successorList, { length: 3, expected: 2, matching: 0 })
  })

  test('a walk that meets another ring does not close and says so', async () => {
    // B's successor C belongs to a ring C → D → C that does not contain A
    const walk = await walkRing(source([info(A, [B], D), info(B, [C], A), info(C, [D], D), info(D, [C], C)]))
    assert.equal(walk.closed, false)
    assert.deepEqual(walk.members.map(m => m.peerId), ['A', 'B', 'C', 'D'])
    assert.match(walk.warnings.join('\n'), /reached …C again without coming back to this peer/)
    assert.match(walk.warnings.join('\n'), /…C's predecessor is …D, but the walk reached it from …B/)
  })

  test('a peer that answers it is not a ring member stops the walk', async () => {
    const walk = await walkRing(source([info(A, [B, C], C), info(B, [], undefined, { member: false })]))
    assert.equal(walk.closed, false)
    assert.match(walk.warnings.join('\n'), /…B answered that it is not a ring member/)
  })

  test('a peer that has not joined says so and walks nowhere', async () => {
    const src = source([info(A, [], undefined, { member: false })])
    const walk = await walkRing(src)
    assert.deepEqual(walk.warnings, ['this peer has not joined a ring'])
    assert.deepEqual(src.asked, ['A'])
  })

  test('successor lists out of ring order fail Zave\'s invariants on a closed walk', async () => {
    // B lists D before C: its list is not clockwise
    const walk = await walkRing(source([info(A, [B, C, D], D), info(B, [C, A, D], A), info(C, [D, A, B], B), info(D, [A, B, C], C)]))
    assert.equal(walk.closed, true)
    assert.match(walk.warnings.join('\n'), /invariant OrderedSuccessorLists: …?B's list is not clockwise/)
  })
})
