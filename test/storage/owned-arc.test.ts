import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { OwnedArc, type OwnedArcRing } from '../../src/storage/owned-arc.js'
import type { RingId } from '../../src/ring/ids.js'
import type { NodeRef } from '../../src/ring/node-ref.js'

const node = (peer: string, id: number): NodeRef => ({ peer, id: BigInt(id) })
const SELF = node('self', 100)
const A = node('A', 200)
const B = node('B', 300)
const P = node('P', 50)

/** A ring whose neighbours and suspicions the test sets, and a coverage that records what it is told. */
function arcOf (): { arc: OwnedArc, ring: OwnedArcRing & { predecessor: NodeRef | undefined, successors: NodeRef[], suspects: Set<string> }, told: { from: RingId[], lost: number } } {
  const ring = {
    self: SELF,
    predecessor: undefined as NodeRef | undefined,
    successors: [] as NodeRef[],
    suspects: new Set<string>(),
    isSuspect (peer: string) { return ring.suspects.has(peer) }
  }
  const told = { from: [] as RingId[], lost: 0 }
  const coverage = { predecessorIs: (from: RingId) => { told.from.push(from) }, neighbourLost: () => { told.lost++ } }
  return { arc: new OwnedArc({ ring, coverage }), ring, told }
}

describe('the owned arc follows the ring', () => {
  test('it starts at the predecessor, and coverage is told so on every change; with no predecessor there is no arc', () => {
    const { arc, ring, told } = arcOf()
    arc.ringChanged()
    assert.equal(arc.follow(), undefined)
    assert.deepEqual(told.from, [])
    ring.predecessor = P
    ring.successors = [A, B]
    arc.ringChanged()
    assert.deepEqual(told.from, [P.id], 'a ring change tells coverage where the arc starts')
    assert.equal(arc.follow(), P.id)
    assert.deepEqual(told.from, [P.id, P.id])
    assert.equal(told.lost, 0)
  })

  test('a neighbour gone while suspected is lost; one gone unsuspected (a join in between) is not', () => {
    const { arc, ring, told } = arcOf()
    ring.predecessor = P
    ring.successors = [A, B]
    arc.ringChanged()
    ring.successors = [B]
    arc.ringChanged()
    assert.equal(told.lost, 0, 'A left the list unsuspected')
    ring.successors = [A, B]
    arc.ringChanged()
    ring.suspects.add(A.peer)
    ring.successors = [B]
    arc.ringChanged()
    assert.equal(told.lost, 1, 'A left the list while suspected')
    arc.ringChanged()
    assert.equal(told.lost, 1, 'a loss is told once')
  })

  test('a dead predecessor is lost, and alone after losing it the peer owns the whole circle', () => {
    const { arc, ring, told } = arcOf()
    ring.predecessor = A
    ring.successors = [A]
    arc.ringChanged()
    assert.equal(arc.follow(), A.id)
    // A ring of two whose other peer crashed: it stays the predecessor (rectify never clears it).
    ring.suspects.add(A.peer)
    ring.successors = [SELF]
    arc.ringChanged()
    assert.equal(told.lost, 1)
    assert.equal(arc.follow(), SELF.id, 'the whole circle')
    // Its suspicion expires without it answering: still lost.
    ring.suspects.delete(A.peer)
    arc.ringChanged()
    assert.equal(arc.follow(), SELF.id, 'still lost once no longer suspected')
    // It answers again, as a successor: no longer lost.
    ring.successors = [A]
    arc.ringChanged()
    assert.equal(arc.follow(), A.id)
    ring.successors = [SELF]
    arc.ringChanged()
    assert.equal(arc.follow(), A.id, 'answered again: a predecessor, not the whole circle')
  })

  test('a lost predecessor is forgotten once another takes its place', () => {
    const { arc, ring } = arcOf()
    ring.predecessor = A
    ring.successors = [A]
    arc.ringChanged()
    ring.suspects.add(A.peer)
    ring.successors = [SELF]
    arc.ringChanged()
    assert.equal(arc.follow(), SELF.id)
    ring.predecessor = P
    arc.ringChanged()
    assert.equal(arc.follow(), P.id, 'a predecessor that is not lost')
    ring.suspects.delete(A.peer)
    ring.predecessor = A
    arc.ringChanged()
    assert.equal(arc.follow(), A.id, 'A was forgotten as lost when P replaced it')
  })

  test('only a predecessor is counted lost: a lost successor that later becomes the predecessor is not', () => {
    const { arc, ring } = arcOf()
    ring.predecessor = B
    ring.successors = [A, B]
    arc.ringChanged()
    ring.suspects.add(A.peer)
    ring.successors = [B]
    arc.ringChanged()
    ring.suspects.delete(A.peer)
    ring.predecessor = A
    ring.successors = [SELF]
    arc.ringChanged()
    assert.equal(arc.follow(), A.id)
  })

  test('a live-looking predecessor counts as a neighbour: losing it while suspected is a loss', () => {
    const { arc, ring, told } = arcOf()
    ring.predecessor = P
    ring.successors = [A]
    arc.ringChanged()
    ring.suspects.add(P.peer)
    arc.ringChanged()
    assert.equal(told.lost, 1, 'the suspected predecessor left the neighbours')
    assert.equal(arc.follow(), P.id, 'it has successors: not alone, the arc still starts at it')
    ring.successors = [A, SELF]
    arc.ringChanged()
    assert.equal(arc.follow(), P.id, 'a list that also names itself is not alone')
  })

  test('losses while no predecessor is known are followed without one', () => {
    const { arc, ring, told } = arcOf()
    ring.successors = [A, B]
    arc.ringChanged()
    ring.suspects.add(A.peer)
    ring.successors = [B]
    arc.ringChanged()
    assert.equal(told.lost, 1)
    ring.predecessor = P
    arc.ringChanged()
    ring.successors = [SELF]
    ring.suspects.add(P.peer)
    arc.ringChanged()
    assert.equal(arc.follow(), SELF.id, 'P lost')
    ring.predecessor = undefined
    arc.ringChanged()
    assert.equal(arc.follow(), undefined)
  })
})
