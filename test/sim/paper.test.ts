import assert from 'node:assert/strict'
import { test } from 'node:test'
import { churn } from '../../bench/sim/experiments/churn.js'
import { joinConvergence } from '../../bench/sim/experiments/join-convergence.js'
import { loadBalance } from '../../bench/sim/experiments/load-balance.js'
import { massFailure } from '../../bench/sim/experiments/mass-failure.js'
import { pathLength } from '../../bench/sim/experiments/path-length.js'
import { replicaLoss } from '../../bench/sim/experiments/replica-loss.js'
import { staticFailure } from '../../bench/sim/experiments/static-failure.js'
import { gammaQuantile } from '../../bench/sim/gamma.js'
import { mean } from '../../bench/stats.js'

/**
 * Small runs of the simulator (npm run sim; docs/scale.md has the large
 * ones), asserting the shapes the Chord papers report, each within a
 * stated tolerance. Every run is seeded, so a failure here is a change in
 * behaviour, not bad luck.
 */

test('SIGCOMM\'01 Fig. 10: hops before the last one average ½·log2 N within ±0.5 (r = 1), and r = 8 only shortens routes', async () => {
  const rows = [
    ...await pathLength({ minExp: 8, maxExp: 8, lookups: 1000, successors: [1, 8], seed: 1 }),
    ...await pathLength({ minExp: 10, maxExp: 10, lookups: 1000, successors: [1, 8], seed: 1 })
  ]
  for (const n of [256, 1024]) {
    const fingersOnly = rows.find(x => x.n === n && x.r === 1)
    const withList = rows.find(x => x.n === n && x.r === 8)
    assert.ok(fingersOnly !== undefined && withList !== undefined)
    assert.ok(Math.abs(mean(fingersOnly.before) - Math.log2(n) / 2) <= 0.5, `N = ${n}: ${mean(fingersOnly.before)}`)
    assert.ok(mean(withList.hops) < mean(fingersOnly.hops))
  }
  assert.equal(rows.reduce((sum, x) => sum + x.wrong, 0), 0)
})

test('SIGCOMM\'01 §6.4: after 20 % of 256 nodes fail (r = 2·log2 N), stabilization restores the ideal ring; lookups fail only where the owner died (≈ p), none names a wrong owner, and every key with a live holder (k = 3) reaches one', async () => {
  const [row] = await massFailure({ n: 256, fractions: [0.2], lookups: 1000, replicas: 3, seed: 1 })
  assert.ok(row !== undefined)
  assert.ok(row.idealAfterS !== undefined && row.idealAfterS < 60, `ideal after ${row.idealAfterS} s`)
  assert.equal(row.violations, 0)
  for (const phase of [row.during, row.after]) {
    assert.equal(phase.wrong, 0)
    assert.equal(phase.errors, 0)
  }
  assert.ok(Math.abs(row.after.ownerDied / row.after.lookups - 0.2) < 0.06, `failed ${row.after.ownerDied / row.after.lookups}`)
  assert.equal(row.missedHolders, 0)
})

test('SIGCOMM\'01 §6.4 with records: no acknowledged key is lost unless all k = 3 of its holders died', async () => {
  const [row] = await replicaLoss({ n: 150, keys: 600, fractions: [0.4], seed: 1 })
  assert.ok(row !== undefined)
  assert.equal(row.acknowledged, 600)
  assert.equal(row.underReplicated, 0)
  assert.equal(row.lostWithLiveHolder, 0)
  assert.equal(row.lost, row.allHoldersDead)
})

test('ToN\'03 Table II: with stabilization halted, lookups still reach the live successor; path and timeouts grow with the fraction failed', async () => {
  const rows = await staticFailure({ n: 1000, r: 20, fractions: [0, 0.2, 0.4], lookups: 400, seed: 1 })
  const path = rows.map(x => mean(x.results.map(y => y.hops)))
  const timeouts = rows.map(x => mean(x.results.map(y => y.timeouts)))
  // The paper's 3.8 (chord-correctness §2.3), within ±0.3.
  assert.ok(Math.abs((path[0] as number) - 3.84) <= 0.3, `path at 0 %: ${path[0]}`)
  for (let i = 1; i < rows.length; i++) {
    assert.ok((path[i] as number) > (path[i - 1] as number), `path ${path.join(', ')}`)
    assert.ok((timeouts[i] as number) > (timeouts[i - 1] as number), `timeouts ${timeouts.join(', ')}`)
  }
  assert.equal(timeouts[0], 0)
  assert.equal(rows.reduce((sum, x) => sum + x.wrong + x.errors, 0), 0)
})

test('ToN\'03 Table III, briefly: under Poisson joins and crashes lookups keep a path near 4 and no wrong owner', async () => {
  const [row] = await churn({ n: 200, r: 20, rates: [0.2], departures: ['crash'], paces: ['paper'], measureS: 300, warmupS: 60, seed: 1 })
  assert.ok(row !== undefined)
  const hops = mean(row.results.filter(x => x.owner !== undefined).map(x => x.hops))
  assert.ok(hops > 2.5 && hops < 4.5, `path ${hops}`)
  assert.ok(mean(row.results.map(x => x.timeouts)) < 1)
  assert.equal(row.wrong, 0)
  assert.ok(row.errors <= 1, `${row.errors} lookups failed`)
})

test('a ring grown through the production join from an ideal seed of r+1 keeps Zave\'s invariants and converges', async () => {
  const [row] = await joinConvergence({ sizes: [100], rate: 10, seed: 1, lookups: 500 })
  assert.ok(row !== undefined)
  assert.equal(row.violations, 0)
  assert.ok(row.idealAfterS !== undefined && row.fingersAfterS !== undefined)
  assert.equal(row.wrong, 0)
})

test('SIGCOMM\'01 §6.2: the ring share per peer follows Gamma(v): p99/mean within 5 % of its quantile, over 10^4 peers', () => {
  const rows = loadBalance({ n: 10_000, keys: 10_000, virtual: [1, 5, 20], replicas: 3, seed: 1 })
  for (const row of rows) {
    const expected = gammaQuantile(row.v, 0.99)
    assert.ok(Math.abs(row.share.p99 / expected - 1) < 0.05, `v = ${row.v}: p99/mean ${row.share.p99}, Gamma ${expected}`)
    assert.ok(Math.abs(row.heldShare.p99 / gammaQuantile(3 * row.v, 0.99) - 1) < 0.05, `v = ${row.v}, k = 3: p99/mean ${row.heldShare.p99}`)
  }
})
