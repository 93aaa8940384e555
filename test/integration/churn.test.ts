import assert from 'node:assert/strict'
import { after, test } from 'node:test'
import { ringIdOfKey } from '../../src/ring/hash.js'
import { addressOf, crash, FAST_RING, startPeer, startRing, stopAll, waitFor } from '../utils/network.js'
import { InvariantMonitor, expectedReplicas, holdersOf, waitForIdealRing } from '../utils/ring-checks.js'
import type { ChordPeer } from '../../src/chord/peer.js'

const R = 4
const K = 3
const RING = { ...FAST_RING, successors: R, repairIntervalMs: 1000, handoffIntervalMs: 1000 }
const CHURN_MS = 20_000
const text = (s: string): Uint8Array => new TextEncoder().encode(s)
const str = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : new TextDecoder().decode(b))
const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }


let all: ChordPeer[] = []
after(async () => { await stopAll(all) })

test('under churn (joins and crashes, at most k−1 of a replica set down at once) no acknowledged write is lost', async t => {
  all = await startRing(12, RING)
  await waitForIdealRing(all, R, 30_000)
  const dead = new Set<ChordPeer>()
  /** Crash times, to keep recent crashes from covering a whole replica set. */
  const crashedAt = new Map<ChordPeer, number>()
  const live = (): ChordPeer[] => all.filter(p => !dead.has(p))
  const monitor = new InvariantMonitor(() => all, () => dead, R, 100)

  const acked = new Map<string, string>()
  let writesFailed = 0
  /** Reads of acknowledged keys: answered with another value, answered "no such key", or failed (by code; a retry may succeed). */
  let reads = 0
  let stale = 0
  let notFound = 0
  const failed = new Map<string, number>()
  let running = true

  // Four writers at once, so a busy machine still acknowledges enough writes in the churn window.
  const WRITERS = 4
  const writers = Array.from({ length: WRITERS }, async (_, w) => {
    for (let i = w; running; i += WRITERS) {
      const from = live()
      const peer = from[i % from.length] as ChordPeer
      const key = `churn-${i}`
      try {
        await peer.services.chord.put(text(key), text(`v-${i}`))
        acked.set(key, `v-${i}`)
      } catch {
        writesFailed++
      }
    }
  })
  const reader = (async () => {
    for (let i = 0; running; i++) {
      const keys = [...acked.keys()]
      if (keys.length === 0) { await sleep(10); continue }
      const key = keys[(i * 7919) % keys.length] as string
      const from = live()
      reads++
      try {
        const reply = await (from[i % from.length] as ChordPeer).services.chord.get(text(key))
        if (reply.record === undefined) notFound++
        else if (str(reply.record.value) !== acked.get(key)) stale++
      } catch (err) {
        const code = (err as { code?: string }).code ?? (err as Error).name
        failed.set(code, (failed.get(code) ?? 0) + 1)
      }
    }
  })()

  // Alternate joins and crashes. A crash is allowed only if, with the peers
  // crashed in the last 15 s, no k consecutive ring members would be down.
  const started = Date.now()
  let joins = 0
  let crashes = 0
  for (let step = 0; Date.now() - started < CHURN_MS; step++) {
    await sleep(1500)
    if (step % 2 === 0) {
      const via = live()[step % live().length] as ChordPeer
      all.push(await startPeer([addressOf(via)], RING))
      joins++
      continue
    }
    const ring = [...all].sort((a, b) => (a.services.chord.self.id < b.services.chord.self.id ? -1 : 1))
    const recent = (p: ChordPeer): boolean => dead.has(p) && Date.now() - (crashedAt.get(p) ?? 0) < 15_000
    const candidates = ring.filter((p, i) => {
      if (dead.has(p) || !p.services.chord.joined) return false
      for (let start = i - K + 1; start <= i; start++) {
        const window = Array.from({ length: K }, (_, j) => ring[(start + j + ring.length) % ring.length] as ChordPeer)
        if (window.every(q => q === p || recent(q))) return false
      }
      return true
    })
    const victim = candidates[(step * 31) % candidates.length]
    if (victim === undefined || live().length <= R + 2) continue
    dead.add(victim)
    crashedAt.set(victim, Date.now())
    await crash(victim)
    crashes++
  }
  running = false
  await Promise.all([...writers, reader])

  // Let the ring and the replicas settle, then read every acknowledged write.
  await waitForIdealRing(all, R, 60_000, dead)
  monitor.stop()
  const survivors = live()
  const keys = [...acked.keys()]
  await waitFor(async () => {
    for (const key of keys) {
      const k = text(key)
      if ((await holdersOf(survivors, k)).length < Math.min(K, survivors.length)) return false
    }
    return true
  }, 60_000, () => 'acknowledged writes are not back on k replicas')
  let lost = 0
  for (const [key, value] of acked) {
    const reply = await (survivors[0] as ChordPeer).services.chord.get(text(key))
    if (str(reply.record?.value) !== value) lost++
  }
  const failures = [...failed].map(([code, n]) => `${n} ${code}`).join(', ') || 'none'
  t.diagnostic(`${joins} joins, ${crashes} crashes in ${CHURN_MS / 1000} s; ${acked.size} writes acknowledged, ${writesFailed} refused, ${lost} lost; ${reads} reads during the churn: ${stale} stale, ${notFound} NOT_FOUND, failed: ${failures}; ${monitor.snapshots} invariant snapshots`)
  assert.equal(lost, 0, 'acknowledged writes lost')
  assert.equal(stale, 0, 'reads during the churn returned another value than the acknowledged one')
  assert.equal(notFound, 0, 'reads during the churn answered NOT_FOUND for an acknowledged key')
  assert.ok(acked.size > 100, `only ${acked.size} writes acknowledged`)
  assert.ok(crashes >= 3 && joins >= 3, `${crashes} crashes, ${joins} joins`)
  assert.deepEqual(monitor.violations, [])
  // Surplus copies are handed on and dropped: every key ends on exactly its replica set.
  let misplaced: string[] = []
  await waitFor(async () => {
    misplaced = []
    for (const key of keys) {
      const holders = (await holdersOf(survivors, text(key))).join()
      if (holders !== expectedReplicas(survivors, ringIdOfKey(text(key)), K).join()) misplaced.push(key)
    }
    return misplaced.length === 0
  }, 60_000, () => `${misplaced.length} keys not on exactly their replica set, e.g. ${misplaced.slice(0, 5).join(', ')}`, 500)
})
