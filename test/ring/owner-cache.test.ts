import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { idSpace } from '../../src/ring/ids.js'
import { OwnerCache } from '../../src/ring/owner-cache.js'
import { ref, trueSuccessor } from '../utils/ring-fixtures.js'

const MINUTE = 60_000

describe('owner cache (m = 8 by hand)', () => {
  test('a key in a learned arc names its owner; a key outside it names none', () => {
    const cache = new OwnerCache(16, MINUTE)
    cache.learn(40n, ref(100), 0)
    assert.equal(cache.ownerOf(41n, 0)?.peer, 'n100')
    assert.equal(cache.ownerOf(100n, 0)?.peer, 'n100')
    assert.equal(cache.ownerOf(40n, 0), undefined)
    assert.equal(cache.ownerOf(101n, 0), undefined)
  })

  test('an arc across zero is found from both sides', () => {
    const cache = new OwnerCache(16, MINUTE)
    cache.learn(200n, ref(10), 0)
    cache.learn(10n, ref(40), 0)
    assert.equal(cache.ownerOf(250n, 0)?.peer, 'n10')
    assert.equal(cache.ownerOf(5n, 0)?.peer, 'n10')
    assert.equal(cache.ownerOf(30n, 0)?.peer, 'n40')
    assert.equal(cache.ownerOf(100n, 0), undefined)
  })

  test('learning an arc again refreshes it: it is used for another TTL', () => {
    const cache = new OwnerCache(16, MINUTE)
    cache.learn(40n, ref(100), 0)
    cache.learn(40n, ref(100), MINUTE)
    assert.equal(cache.size, 1)
    assert.equal(cache.ownerOf(70n, 2 * MINUTE)?.peer, 'n100')
  })

  test('frontier: the member where the arcs known from self, end to end, stop; none once they close the circle, and then the cache is complete', () => {
    // The ring 10, 40, 100, 150, 200 seen from 10.
    const cache = new OwnerCache(16, MINUTE)
    const self = ref(10)
    assert.equal(cache.frontier(self, 0), undefined, 'nothing known')
    assert.equal(cache.complete(self, 0), false, 'nothing known')
    cache.learnNeighbours(self, ref(200), [ref(40), ref(100)], 0)
    assert.equal(cache.frontier(self, 0)?.peer, 'n100', 'its successors known up to 100')
    assert.equal(cache.complete(self, 0), false)
    // An arc further on that does not meet the known ones does not move the frontier.
    cache.learn(150n, ref(200), 0)
    assert.equal(cache.frontier(self, 0)?.peer, 'n100')
    cache.learnNeighbours(ref(100), ref(40), [ref(150), ref(200)], 0)
    assert.equal(cache.frontier(self, 0), undefined, '(200, 10] was known: the circle is closed')
    assert.equal(cache.complete(self, 0), true, 'every arc known: the ring has its 5 members')
    assert.equal(cache.size, 5)
    // An arc past its TTL is a gap again.
    cache.learnNeighbours(self, ref(200), [ref(40), ref(100)], MINUTE)
    assert.equal(cache.frontier(self, MINUTE + 1)?.peer, 'n100', '(100, 150] is stale now')
    assert.equal(cache.complete(self, MINUTE + 1), false)
    assert.equal(cache.frontier(self, MINUTE), undefined, 'not yet')
    assert.equal(cache.complete(self, MINUTE), true)
  })

  test('frontier: a newcomer learned inside a known arc leaves a gap after it, until its successor\'s arc is learned', () => {
    const cache = new OwnerCache(16, MINUTE)
    const self = ref(10)
    cache.learnNeighbours(self, ref(200), [ref(40), ref(100), ref(150), ref(200)], 0)
    assert.equal(cache.frontier(self, 0), undefined)
    // A route ends at 120, which joined in (100, 150]: (100, 120] no longer meets (100, 150].
    cache.learn(100n, ref(120), 1)
    assert.equal(cache.frontier(self, 1)?.peer, 'n120')
    assert.equal(cache.ownerOf(130n, 1)?.peer, 'n150', 'the old arc still answers for what lies after the newcomer')
    cache.learn(120n, ref(150), 2)
    assert.equal(cache.frontier(self, 2), undefined)
  })

  test('an arc older than the TTL is not used', () => {
    const cache = new OwnerCache(16, MINUTE)
    cache.learn(40n, ref(100), 0)
    assert.equal(cache.ownerOf(70n, MINUTE)?.peer, 'n100')
    assert.equal(cache.ownerOf(70n, MINUTE + 1), undefined)
  })

  test('a newer arc drops the owners inside it; the arc that reached past its owner keeps only what lies after it', () => {
    const cache = new OwnerCache(16, MINUTE)
    cache.learn(40n, ref(100), 0)
    cache.learn(100n, ref(150), 0)
    // 70 joined: it owns (40, 70], so 100 now owns (70, 100] only.
    cache.learn(40n, ref(70), 1)
    assert.equal(cache.ownerOf(50n, 1)?.peer, 'n70')
    assert.equal(cache.ownerOf(80n, 1)?.peer, 'n100')
    // 150 left: 200 owns (100, 200], which holds no owner but swallows 150's arc.
    cache.learn(100n, ref(200), 2)
    assert.equal(cache.ownerOf(120n, 2)?.peer, 'n200')
    assert.equal(cache.size, 3)
  })

  test('a newer arc across zero drops the owners inside it on both sides of zero, and only them', () => {
    const cache = new OwnerCache(16, MINUTE)
    for (const [from, owner] of [[200, 230], [230, 250], [250, 5], [5, 10], [10, 100], [100, 200]] as const) cache.learn(BigInt(from), ref(owner), 0)
    assert.equal(cache.size, 6)
    // 250 and 5 left: 10 owns (230, 10].
    cache.learn(230n, ref(10), 1)
    assert.equal(cache.size, 4)
    for (const key of [240n, 255n, 0n, 3n, 10n]) assert.equal(cache.ownerOf(key, 1)?.peer, 'n10', `key ${key}`)
    assert.equal(cache.ownerOf(220n, 1)?.peer, 'n230')
    assert.equal(cache.ownerOf(50n, 1)?.peer, 'n100')
    assert.equal(cache.ownerOf(150n, 1)?.peer, 'n200')
  })

  test('an owner learned again replaces its old arc', () => {
    const cache = new OwnerCache(16, MINUTE)
    cache.learn(40n, ref(100), 0)
    cache.learn(80n, ref(100), 1)
    assert.equal(cache.size, 1)
    assert.equal(cache.ownerOf(60n, 1), undefined)
    assert.equal(cache.ownerOf(90n, 1)?.peer, 'n100')
  })

  test('past capacity the arc learned first goes first', () => {
    const cache = new OwnerCache(2, MINUTE)
    cache.learn(10n, ref(20), 0)
    cache.learn(30n, ref(40), 1)
    cache.learn(50n, ref(60), 2)
    assert.equal(cache.size, 2)
    assert.equal(cache.ownerOf(15n, 2), undefined)
    assert.equal(cache.ownerOf(35n, 2)?.peer, 'n40')
    assert.equal(cache.ownerOf(55n, 2)?.peer, 'n60')
  })

  test('capacity 0 keeps nothing; no predecessor or a node alone teaches nothing', () => {
    const none = new OwnerCache(0, MINUTE)
    none.learn(10n, ref(20), 0)
    assert.equal(none.size, 0)
    const cache = new OwnerCache(8, MINUTE)
    cache.learn(undefined, ref(20), 0)
    cache.learn(20n, ref(20), 0)
    assert.equal(cache.size, 0)
  })

  test('a forgotten peer is no longer named', () => {
    const cache = new OwnerCache(8, MINUTE)
    cache.learn(40n, ref(100), 0)
    cache.learn(100n, ref(150), 0)
    cache.forget('n100')
    assert.equal(cache.ownerOf(70n, 0), undefined)
    assert.equal(cache.ownerOf(120n, 0)?.peer, 'n150')
  })

  test('a node\'s neighbours give its arc and each successor\'s, stopping where the list wraps', () => {
    const cache = new OwnerCache(16, MINUTE)
    cache.learnNeighbours(ref(100), ref(40), [ref(150), ref(200), ref(100)], 0)
    assert.equal(cache.ownerOf(41n, 0)?.peer, 'n100')
    assert.equal(cache.ownerOf(120n, 0)?.peer, 'n150')
    assert.equal(cache.ownerOf(199n, 0)?.peer, 'n200')
    assert.equal(cache.size, 3)
  })
})

test('learned true arcs, even after stale ones, never name a wrong owner (property)', () => {
  const space = idSpace(8)
  const ids = fc.uniqueArray(fc.integer({ min: 0, max: 255 }), { minLength: 2, maxLength: 40 })
  fc.assert(fc.property(ids, ids, fc.array(fc.nat(), { maxLength: 60 }), fc.integer({ min: 1, max: 64 }), (before, after, picks, capacity) => {
    const cache = new OwnerCache(capacity, MINUTE)
    const sorted = (xs: number[]): bigint[] => [...xs].sort((a, b) => a - b).map(BigInt)
    const arcs = (xs: bigint[]): Array<[bigint, bigint]> => xs.map((id, i) => [xs[(i + xs.length - 1) % xs.length] as bigint, id])
    // An earlier ring's arcs (stale), then the current ring's, each in some order.
    const old = arcs(sorted(before))
    const now = arcs(sorted(after))
    for (const p of picks) {
      const [from, id] = old[p % old.length] as [bigint, bigint]
      cache.learn(from, ref(id), 0)
    }
    for (const p of [...picks, ...now.keys()]) {
      const [from, id] = now[p % now.length] as [bigint, bigint]
      cache.learn(from, ref(id), 1)
    }
    // Every current arc was learned after every stale one, so whatever the
    // cache names is the true owner (or nothing, if evicted).
    const truth = sorted(after)
    for (let key = 0n; key < 256n; key++) {
      const named = cache.ownerOf(key, 1)
      if (named !== undefined) assert.equal(named.id, trueSuccessor(space, truth, key), `key ${key}`)
    }
  }), { numRuns: 200 })
})
