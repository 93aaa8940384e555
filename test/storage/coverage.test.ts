import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { idSpace } from '../../src/ring/ids.js'
import { Coverage } from '../../src/storage/coverage.js'

// m = 8, nodes in ring order: 10 40 100 150 200. With k = 3 node 150 replicates
// the arcs of 100, (40, 100], and of 40, (10, 40]; it owns (100, 150].
const m8 = idSpace(8)
const TTL = 1000
const LOSS = 10_000
const GRACE = 60_000

function coverageAt150 (now: () => number): Coverage {
  return new Coverage(m8, 150n, { replicaTtlMs: TTL, lossGraceMs: LOSS, graceMs: GRACE, factor: 3 }, now)
}

function node150 (): { coverage: Coverage, clock: { now: number } } {
  const clock = { now: 0 }
  const coverage = coverageAt150(() => clock.now)
  coverage.received(100n)
  coverage.replicaOf('node-100', 40n, 100n)
  coverage.replicaOf('node-40', 10n, 40n)
  return { coverage, clock }
}

/** The identifiers of the whole circle that `coverage` vouches for, as runs "from-to". */
function held (coverage: Coverage): string {
  const runs: string[] = []
  let start: number | undefined
  for (let id = 0; id <= 256; id++) {
    const inside = id < 256 && coverage.covers(BigInt(id))
    if (inside && start === undefined) start = id
    if (!inside && start !== undefined) {
      runs.push(`${start}-${id - 1}`)
      start = undefined
    }
  }
  return runs.join(' ')
}

describe('where and when a peer can vouch that a key it lacks does not exist (m = 8, nodes 10 40 100 150 200, k = 3)', () => {
  test('nowhere before the peer was handed its arc or founded the ring', () => {
    const coverage = coverageAt150(() => 0)
    assert.equal(held(coverage), '')
    coverage.holdWhole()
    assert.equal(held(coverage), '0-255')
  })

  test('its own arc, handed over at the join; the arcs it replicates belong to live owners', () => {
    assert.equal(held(node150().coverage), '101-150')
  })

  test('a peer joining in front shrinks the arc; all of what is left is still held', () => {
    const { coverage } = node150()
    coverage.predecessorIs(120n)
    assert.equal(held(coverage), '121-150')
  })

  test('after two adjacent crashes it holds the arcs it replicated, but vouches for nothing while a lost neighbour may be partitioned away', () => {
    const { coverage, clock } = node150()
    // 40 and 100 crash, or are cut off: the predecessor becomes 10.
    coverage.neighbourLost()
    coverage.predecessorIs(10n)
    assert.ok(coverage.recentlyTaken(70n))
    assert.ok(!coverage.recentlyTaken(120n))
    clock.now = LOSS - 1
    assert.equal(held(coverage), '')
    clock.now = LOSS
    assert.equal(held(coverage), '11-150')
    clock.now = 10 * GRACE
    assert.equal(held(coverage), '11-150')
  })

  test('after three adjacent crashes the first one\'s arc, never replicated here, is held only after the grace period', () => {
    const { coverage, clock } = node150()
    // 10, 40 and 100 go: the predecessor becomes 200. 10's replicas were 40 and 100.
    coverage.predecessorIs(200n)
    assert.equal(held(coverage), '11-150')
    clock.now = GRACE - 1
    assert.ok(!coverage.covers(5n) && !coverage.covers(201n))
    clock.now = GRACE
    assert.equal(held(coverage), '0-150 201-255')
  })

  test('an owner further back than k−1 arcs no longer counts, though its word is fresh: this peer stopped being its replica', () => {
    const { coverage, clock } = node150()
    // While the ring formed, 10 had this peer among its first two successors and said so.
    coverage.replicaOf('node-10', 200n, 10n)
    // 10, 40 and 100 crash: the predecessor becomes 200.
    coverage.predecessorIs(200n)
    assert.equal(held(coverage), '11-150')
    clock.now = GRACE
    assert.equal(held(coverage), '0-150 201-255')
  })

  test('what an owner said stops counting unless repeated', () => {
    const { coverage, clock } = node150()
    clock.now = TTL + 1
    coverage.predecessorIs(10n)
    assert.equal(held(coverage), '101-150')
    clock.now = TTL + 1 + GRACE
    assert.equal(held(coverage), '11-150')
  })

  test('the side of a partition that took over others\' arcs holds only its own again once they are back', () => {
    const { coverage } = node150()
    coverage.predecessorIs(200n)
    coverage.predecessorIs(100n)
    assert.equal(held(coverage), '101-150')
  })

  test('a repair pass that started after the takeover ends the window in which reads ask the other replicas', () => {
    const { coverage, clock } = node150()
    clock.now = 5
    coverage.predecessorIs(10n)
    coverage.repaired(4, 2)
    assert.ok(coverage.recentlyTaken(70n), 'a pass started before the takeover does not count')
    coverage.repaired(5, 2)
    assert.ok(!coverage.recentlyTaken(70n))
  })

  test('a founder that could not vouch holds nothing until a repair pass with another replica, then its own arc', () => {
    const clock = { now: 0 }
    const coverage = coverageAt150(() => clock.now)
    coverage.holdNothingYet()
    assert.equal(held(coverage), '')
    assert.match(coverage.uncovered(120n) ?? '', /founded its ring while the peers it knew were out of reach/)
    // Peers join it: its arc shrinks to (100, 150], still unvouched.
    coverage.predecessorIs(100n)
    assert.equal(held(coverage), '')
    // A pass alone (no other replica answered) earns nothing.
    coverage.repaired(clock.now, 0)
    assert.equal(held(coverage), '')
    coverage.repaired(clock.now, 2)
    assert.equal(held(coverage), '101-150')
  })

  test('a founder that could not vouch holds the whole circle once the grace period passed with nobody back', () => {
    const clock = { now: 0 }
    const coverage = coverageAt150(() => clock.now)
    coverage.holdNothingYet()
    clock.now = GRACE - 1
    assert.equal(held(coverage), '')
    clock.now = GRACE
    assert.equal(held(coverage), '0-255')
  })

  test('a founder that could not vouch holds its arc as soon as a join hands it over', () => {
    const coverage = coverageAt150(() => 0)
    coverage.holdNothingYet()
    coverage.received(100n)
    assert.equal(held(coverage), '101-150')
  })

  test('an owner that replicates the whole circle to this peer (a ring of k or fewer) covers any arc taken over', () => {
    const clock = { now: 0 }
    const coverage = coverageAt150(() => clock.now)
    coverage.received(100n)
    coverage.replicaOf('node-100', 100n, 100n)
    coverage.predecessorIs(10n)
    assert.equal(held(coverage), '11-150')
  })

  test('a takeover in two steps is held as far back as the replica arcs reach, and read with care from its far end to the first arc taken', () => {
    const { coverage, clock } = node150()
    coverage.predecessorIs(40n)
    assert.equal(held(coverage), '41-150')
    assert.ok(coverage.recentlyTaken(41n) && coverage.recentlyTaken(100n) && !coverage.recentlyTaken(40n) && !coverage.recentlyTaken(101n))
    clock.now = 1
    coverage.predecessorIs(10n)
    assert.equal(held(coverage), '11-150')
    assert.ok(coverage.recentlyTaken(11n) && coverage.recentlyTaken(100n) && !coverage.recentlyTaken(101n))
    // Told again of the same predecessor: nothing changes.
    coverage.predecessorIs(10n)
    assert.ok(coverage.recentlyTaken(100n))
  })

  test('owners\' word expires: a stale arc is dropped when another owner speaks, and only fresh arcs carry a takeover', () => {
    const clock = { now: 0 }
    const coverage = coverageAt150(() => clock.now)
    coverage.received(100n)
    coverage.replicaOf('node-40', 10n, 40n)
    clock.now = TTL
    coverage.replicaOf('node-100', 40n, 100n)
    // node-40's word is exactly TTL old: still good.
    coverage.predecessorIs(10n)
    assert.equal(held(coverage), '11-150')
  })

  test('at most 64 owners are remembered: the oldest word goes first', () => {
    const clock = { now: 0 }
    const coverage = coverageAt150(() => clock.now)
    coverage.received(100n)
    coverage.replicaOf('node-100', 40n, 100n)
    for (let i = 0; i < 64; i++) coverage.replicaOf(`far-${i}`, 200n, 201n)
    coverage.predecessorIs(40n)
    assert.equal(held(coverage), '101-150', 'node-100\'s word was forgotten')
  })

  test('the founder holds the whole circle until a peer joins in front of it', () => {
    const coverage = coverageAt150(() => 0)
    coverage.holdWhole()
    assert.equal(held(coverage), '0-255')
    coverage.predecessorIs(100n)
    assert.equal(held(coverage), '101-150')
  })

  test('it replicates back from its predecessor over the fresh arcs of at most k−1 owners that meet end to end', () => {
    const { coverage, clock } = node150()
    assert.equal(coverage.replicatedFrom(100n), 10n)
    // A third owner's word reaches no further with k = 3.
    coverage.replicaOf('node-10', 200n, 10n)
    assert.equal(coverage.replicatedFrom(100n), 10n)
    // A peer joined at 120 and said so: its arc, then node-100's.
    coverage.replicaOf('node-120', 100n, 120n)
    assert.equal(coverage.replicatedFrom(120n), 40n)
    clock.now = TTL + 1
    assert.equal(coverage.replicatedFrom(120n), 120n, 'words not repeated within the TTL no longer count')
  })
})
