import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { idSpace, type IdSpace, type RingId } from '../../src/ring/ids.js'
import { closestPreceding, nextHop, type Claim, type NextHop, type RoutingView } from '../../src/ring/routing.js'
import { idealView, ref, trueSuccessor } from '../utils/ring-fixtures.js'

const m8 = idSpace(8)
const peersOf = (hop: NextHop): string[] => (hop.kind === 'forward' ? hop.candidates.map(c => c.node.peer) : [])
const ids = [10n, 40n, 100n, 150n, 200n]

describe('next-hop decisions, checked by hand (m = 8, nodes 10 40 100 150 200, r = 2)', () => {
  const view = (self: bigint): RoutingView => idealView(m8, ids, self, 2)

  test('a key in (predecessor, self] is answered here', () => {
    assert.deepEqual(nextHop(view(100n), 70n), { kind: 'self' })
    assert.deepEqual(nextHop(view(10n), 250n), { kind: 'self' })
    assert.deepEqual(nextHop(view(10n), 10n), { kind: 'self' })
  })

  test('a key within the successor list goes straight to its successor, then to known nodes after it', () => {
    // node 10: successors 40 100, fingers 40 100 150, predecessor 200
    const hop = nextHop(view(10n), 70n)
    assert.deepEqual(hop, {
      kind: 'forward',
      candidates: [
        { node: ref(100), claim: { kind: 'successor' } },
        { node: ref(40) },
        { node: ref(150), claim: { kind: 'deadThrough', id: 100n } },
        { node: ref(200), claim: { kind: 'deadThrough', id: 100n } }
      ],
      elseSelf: false
    })
    assert.deepEqual(peersOf(nextHop(view(10n), 40n)), ['n40', 'n100', 'n150', 'n200'])
    assert.deepEqual(peersOf(nextHop(view(10n), 35n)), ['n40', 'n100', 'n150', 'n200'])
  })

  test('a list that runs up to this node lets it take the key when all after the key are dead', () => {
    const small = idealView(m8, [10n, 40n, 100n], 10n, 3)
    assert.deepEqual(nextHop(small, 70n), { kind: 'forward', candidates: [{ node: ref(100), claim: { kind: 'successor' } }], elseSelf: true })
  })

  test('a far key goes to the closest preceding finger first', () => {
    // node 10 fingers: 40 (11..42), 100 (74), 150 (138); key 180 → 150, then 100, then 40
    assert.deepEqual(peersOf(nextHop(view(10n), 180n)), ['n150', 'n100', 'n40', 'n200'])
    assert.deepEqual(closestPreceding(view(10n), 180n).map(n => n.peer), ['n150', 'n100', 'n40'])
  })

  test('a node sent a lookup as the key\'s successor walks back to a newer live predecessor', () => {
    // 150 learned of 120 (its new predecessor); 100 still sends key 110 to 150.
    const successor: Claim = { kind: 'successor' }
    const v: RoutingView = { ...view(150n), predecessor: ref(120) }
    // if 120 dies before answering, the key is 150's: the sender vouched for the gap
    assert.deepEqual(nextHop(v, 110n, successor), { kind: 'forward', candidates: [{ node: ref(120), claim: successor }], elseSelf: true })
    // a live predecessor beyond the arc the sender knows dead is asked first, then plain routing
    const beyond = nextHop(v, 90n, { kind: 'deadThrough', id: 95n })
    assert.ok(beyond.kind === 'forward' && beyond.elseSelf === false)
    assert.deepEqual(beyond.candidates[0], { node: ref(120), claim: { kind: 'deadThrough', id: 95n } })
    assert.ok(beyond.candidates.length > 1)
    assert.deepEqual(nextHop({ ...v, predecessorLive: false }, 110n, successor), { kind: 'self' })
    // the same lookup sent as a plain hop is routed onwards instead
    assert.equal(nextHop({ ...v, predecessorLive: false }, 110n).kind, 'forward')
  })

  test('a dead predecessor inside the dead arc the sender reports makes the key this node\'s', () => {
    const v: RoutingView = { ...view(150n), predecessorLive: false }
    assert.deepEqual(nextHop(v, 90n, { kind: 'deadThrough', id: 100n }), { kind: 'self' })
    // predecessor 100 beyond a reported arc ending at 95: the gap (95, 100) is unknown
    assert.equal(nextHop(v, 90n, { kind: 'deadThrough', id: 95n }).kind, 'forward')
  })

  test('a node alone answers everything', () => {
    const alone: RoutingView = { space: m8, self: ref(5), predecessorLive: true, successors: [], successorsWrap: true, fingers: [] }
    assert.deepEqual(nextHop(alone, 200n), { kind: 'self' })
  })
})

describe('owner hints (m = 8, nodes 10 40 100 150 200, r = 2)', () => {
  const view = (self: bigint, hint?: number): RoutingView => ({ ...idealView(m8, ids, self, 2), ownerHint: hint === undefined ? undefined : ref(hint) })

  test('a far key goes to the hinted owner first, then to the closest preceding fingers', () => {
    const hop = nextHop(view(10n, 200), 180n)
    assert.deepEqual(peersOf(hop), ['n200', 'n150', 'n100', 'n40'])
    // sent without a claim: the hinted node decides by its own predecessor
    assert.deepEqual(hop.kind === 'forward' ? hop.candidates[0] : undefined, { node: ref(200) })
  })

  test('a key within the successor list ignores the hint: the list is exact', () => {
    assert.deepEqual(nextHop(view(10n, 150), 70n), nextHop(view(10n), 70n))
  })

  test('a key this node owns, or a hint naming this node, leaves the decision as it was', () => {
    assert.deepEqual(nextHop(view(100n, 150), 70n), { kind: 'self' })
    assert.deepEqual(nextHop(view(10n, 10), 180n), nextHop(view(10n), 180n))
  })
})

/** Follows next-hop decisions from `start`, skipping dead candidates, as the service does. */
function route (views: Map<RingId, RoutingView>, alive: (id: RingId) => boolean, start: RingId, key: RingId, limit: number): { owner: RingId, hops: number } | undefined {
  let at = start
  let claim: Claim | undefined
  for (let hops = 0; hops <= limit; hops++) {
    const decision = nextHop(views.get(at) as RoutingView, key, claim)
    if (decision.kind === 'self') return { owner: at, hops }
    const next = decision.candidates.find(c => alive(c.node.id))
    if (next === undefined) return decision.elseSelf ? { owner: at, hops } : undefined
    claim = next.claim
    at = next.node.id
  }
  return undefined
}

function ringArbitrary (space: IdSpace, maxNodes: number): fc.Arbitrary<RingId[]> {
  return fc.uniqueArray(fc.bigInt({ min: 0n, max: space.size - 1n }), { minLength: 1, maxLength: maxNodes })
}

describe('routing properties', () => {
  test('on a converged ring every lookup from every node ends at the key\'s successor within m + 1 hops', () => {
    const m12 = idSpace(12)
    fc.assert(fc.property(ringArbitrary(m12, 40), fc.bigInt({ min: 0n, max: m12.size - 1n }), fc.integer({ min: 1, max: 6 }), (nodes, key, r) => {
      const views = new Map(nodes.map(id => [id, idealView(m12, nodes, id, r)]))
      const expected = trueSuccessor(m12, nodes, key)
      for (const start of nodes) {
        const result = route(views, () => true, start, key, m12.bits + 1)
        assert.ok(result !== undefined, 'lookup did not finish')
        assert.equal(result.owner, expected)
      }
    }), { numRuns: 60 })
  })

  /** Ideal views of `nodes` in which the nodes flagged in `deadMask` (by sorted position) died unnoticed. */
  function crashed (space: IdSpace, nodes: RingId[], deadMask: boolean[], r: number): { views: Map<RingId, RoutingView>, dead: Set<RingId>, live: RingId[] } {
    const sorted = [...nodes].sort((a, b) => (a < b ? -1 : 1))
    const dead = new Set(sorted.filter((_, i) => deadMask[i] === true))
    const views = new Map(sorted.map(id => {
      const v = idealView(space, sorted, id, r)
      return [id, { ...v, predecessorLive: v.predecessor === undefined || !dead.has(v.predecessor.id) }]
    }))
    return { views, dead, live: sorted.filter(id => !dead.has(id)) }
  }

  test('with isolated dead nodes every lookup ends at the first live successor, before stabilization', () => {
    const m12 = idSpace(12)
    fc.assert(fc.property(ringArbitrary(m12, 40), fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), fc.bigInt({ min: 0n, max: m12.size - 1n }), (nodes, deadMask, key) => {
      const sorted = [...nodes].sort((a, b) => (a < b ? -1 : 1))
      const mask = sorted.map((_, i) => deadMask[i] === true && deadMask[(i + sorted.length - 1) % sorted.length] !== true && (i > 0 || deadMask[sorted.length - 1] !== true))
      fc.pre(mask.some(d => !d) && sorted.length > 2)
      const { views, dead, live } = crashed(m12, sorted, mask, 3)
      const expected = trueSuccessor(m12, live, key)
      for (const start of live) {
        const result = route(views, id => !dead.has(id), start, key, 2 * m12.bits)
        assert.ok(result !== undefined, `lookup of ${key} from ${start} failed`)
        assert.equal(result.owner, expected)
      }
    }), { numRuns: 150 })
  })

  test('with runs of dead nodes (inside A1) a lookup never names a wrong owner', () => {
    const m12 = idSpace(12)
    fc.assert(fc.property(ringArbitrary(m12, 40), fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), fc.bigInt({ min: 0n, max: m12.size - 1n }), (nodes, deadMask, key) => {
      const r = 3
      const { views, dead, live } = crashed(m12, nodes, deadMask, r)
      // assumption A1: every live node keeps a live successor entry
      fc.pre(live.length > 0 && live.every(id => (views.get(id) as RoutingView).successors.some(s => !dead.has(s.id))))
      const expected = trueSuccessor(m12, live, key)
      for (const start of live) {
        const result = route(views, id => !dead.has(id), start, key, 2 * m12.bits)
        if (result !== undefined) assert.equal(result.owner, expected, `lookup of ${key} from ${start}`)
      }
    }), { numRuns: 300 })
  })
})

test('mean hops on an ideal ring of 64 nodes is close to ½·log2 N + 1', () => {
  const m32 = idSpace(32)
  let seed = 12345
  const rand = (): bigint => {
    seed = (seed * 1103515245 + 12345) % 2147483648
    return BigInt(seed) * 2n + BigInt(seed & 1)
  }
  const nodes = Array.from({ length: 64 }, rand)
  const views = new Map(nodes.map(id => [id, idealView(m32, nodes, id, 1)]))
  let total = 0
  let count = 0
  for (let i = 0; i < 2000; i++) {
    const start = nodes[i % nodes.length] as RingId
    const result = route(views, () => true, start, rand(), 40)
    assert.ok(result !== undefined)
    total += result.hops
    count++
  }
  const mean = total / count
  // ½·log2 64 = 3 forwarding hops, plus the final hop to the owner.
  assert.ok(mean > 2.5 && mean < 4.3, `mean hops ${mean}`)
})
