import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test, type TestContext } from 'node:test'
import { VERSION } from '../../src/version.js'
import { waitFor } from '../utils/network.js'
import { build, docker, image, leftovers, PREFIX, removeAll, ROOT } from './docker.js'
import { buildAs, readmeBlocks, runBlock } from './readme.js'
import { buildPreviousRelease, PREVIOUS_RELEASE } from './previous-release.js'
import { countsSince, SteadyLoad, total, type LoadCounts } from './steady-load.js'
import { describeRoll, handedOnLeaving, joinSwarm, leaveSwarm, RollWatch, Stack, STACK_FILE, type TaskStatus } from './swarm.js'

/**
 * deploy/swarm/stack.yaml on a one-node Docker Swarm, as an operator runs
 * it: README.md's Swarm blocks as written (the stack, its image and its
 * volumes given this run's names) deploy it and remove it; in between,
 * `docker service scale` 3 → 8 → 4 and a rolling update to a new build
 * (`docker service update --image`), each while a client puts and gets
 * steadily, lose no acknowledged write. A ring of the previous release
 * rolls to this one, peer by peer, under the same load. Each step reports
 * its figures (time until the ring is ideal, records moved, reads that
 * failed) as test diagnostics.
 *
 * The swarm is initialised here when the engine is in none, and left
 * afterwards only then. An engine that cannot be a swarm manager fails
 * these tests: they are never skipped once a Docker engine answers.
 */

const RING_MS = 240_000
const UPDATE_MS = 600_000
/** Repair and hand-off count as done once the records they moved stayed the same this long (ms). */
const QUIET_MS = 10_000
const VERIFY_MS = 120_000

/**
 * A ring of the previous release, in Swarm: its image's health check means
 * "can take writes", under which Swarm lists no starting task under
 * tasks.peer and replaces a lone founder, so its tasks check liveness with
 * the command both releases have, start one at a time, and the first founds
 * once tasks.peer lists only itself.
 */
const PREVIOUS_RELEASE_OVERRIDE = `version: "3.8"
services:
  peer:
    healthcheck:
      test: ["CMD", "chordkv", "status", "--timeout", "4s"]
    deploy:
      replicas: 1
`

describe('Docker Swarm: deploy/swarm/stack.yaml', () => {
  const group = `${PREFIX}-swarm-`
  const ring = new Stack(`${group}ring`)
  const upgrade = new Stack(`${group}upgrade`)
  let swarm = { created: false }
  let dir: string | undefined
  let blocks: string[] = []
  /** The image the README's block builds, as CHORDKV_IMAGE tells the stack file. */
  const readmeImage = `${group}image`

  /** A README block with this run's names: the stack chordkv is `ring`, the image chordkv `readmeImage`. */
  function localise (script: string): string {
    const mapped = buildAs(script, readmeImage)
      .replace(/\bchordkv(?=_peer)/g, ring.name)
      .replace(/(stack deploy -c \S+|stack rm|namespace=) ?chordkv\b/g, (_, before: string) => `${before}${before.endsWith('=') ? '' : ' '}${ring.name}`)
    const stray = mapped.replaceAll(ring.name, '').replaceAll(readmeImage, '').match(/\bchordkv\b(?! (health|put|get)\b)/g)
    assert.equal(stray, null, `a name in this README block is not mapped:\n${script}`)
    return mapped
  }

  async function runReadme (i: number): Promise<string> {
    return (await runBlock(localise(blocks[i] as string), { env: { CHORDKV_IMAGE: readmeImage }, timeoutMs: RING_MS })).out
  }
  /** Every client so far, by stack: each test reads back the writes of all of its stack's. */
  const loads = new Map<Stack, SteadyLoad[]>()
  const refreshers: Array<ReturnType<typeof setInterval>> = []

  /** A steady client of the stack's running peers (their list looked up every 2 s). */
  async function steadyLoad (stack: Stack, prefix: string): Promise<SteadyLoad> {
    let sockets = await stack.sockets()
    refreshers.push(setInterval(() => { stack.sockets().then(s => { sockets = s }, () => {}) }, 2000))
    const load = new SteadyLoad(() => sockets, { prefix })
    loads.set(stack, [...(loads.get(stack) ?? []), load])
    load.start()
    await waitFor(() => load.snapshot().acked >= 20, 60_000, () => `the client got no 20 writes acknowledged: ${JSON.stringify(load.snapshot())}`, 250)
    return load
  }

  /** Reads back every acknowledged write of every client of `stack` so far. */
  async function assertNothingLost (t: TestContext, stack: Stack): Promise<void> {
    for (const load of loads.get(stack) ?? []) {
      const found = await load.verify(VERIFY_MS)
      t.diagnostic(`read back ${found.checked} acknowledged writes: ${found.notFound.length} NOT_FOUND, ${found.wrong.length} other values, ${found.unread.length} unread`)
      assert.deepEqual([found.notFound, found.wrong, found.unread], [[], [], []], 'every acknowledged write reads back with its value')
    }
  }

  /** What the client saw, checked: no acknowledged key read as absent or stale, no put given up. */
  function assertLoad (counts: LoadCounts, load: SteadyLoad, logs = ''): void {
    assert.equal(counts.failedReads.NOT_FOUND ?? 0, 0, 'no acknowledged key was ever NOT_FOUND')
    assert.equal(counts.staleReads, 0, 'no read returned another value')
    // A fault a peer logged (INTERNAL is logged with its stack) names the cause of a put given up.
    const faults = (logs.match(/^.* failed - .*$/gm) ?? []).slice(0, 3)
    assert.deepEqual(counts.putsFailed, {}, `no put was given up: ${load.givenUp.join('; ')}${faults.length > 0 ? `; the peers logged: ${faults.join(' | ')}` : ''}`)
  }

  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`
  const describeFailedLeaves = (failed: readonly string[]): string => failed.length === 0 ? '' : ` (${failed.join('; ')})`
  const describeCounts = (c: LoadCounts): string =>
    `${c.acked} writes acknowledged (${total(c.putRetries)} put attempts retried ${JSON.stringify(c.putRetries)}), ${c.reads} reads right, ${total(c.failedReads)} failed ${JSON.stringify(c.failedReads)}`

  /** Waits until repair and hand-off have moved nothing for QUIET_MS; resolves with the records they moved since `before`. */
  async function settle (stack: Stack, before: ReadonlyMap<string, number>): Promise<number> {
    let moved = -1
    let since = Date.now()
    await waitFor(async () => {
      const now = [...(await stack.moved())].reduce((sum, [peer, n]) => sum + n - (before.get(peer) ?? 0), 0)
      if (now !== moved) {
        moved = now
        since = Date.now()
      }
      return Date.now() - since >= QUIET_MS
    }, RING_MS, () => `repair kept moving records (${moved} so far)`, 1000)
    return moved
  }

  /** The versions the stack's peers run now, each with how many peers run it. */
  async function versions (stack: Stack): Promise<string> {
    const counts = new Map<string, number>()
    for (const s of await stack.statuses()) counts.set(s.version, (counts.get(s.version) ?? 0) + 1)
    return [...counts].sort().map(([v, n]) => `${n}×${v}`).join(' + ')
  }

  before(async () => {
    await removeAll(group)
    swarm = await joinSwarm()
    dir = await mkdtemp(join(tmpdir(), group))
    blocks = await readmeBlocks('test/containers/swarm.container.ts')
    assert.equal(blocks.length, 2, 'deploy; remove')
  })

  after(async () => {
    refreshers.forEach(clearInterval)
    const all = [...loads.values()].flat()
    await Promise.all(all.map(async l => l.stop()))
    all.forEach(l => { l.close() })
    await ring.remove()
    await upgrade.remove()
    await removeAll(group, { images: true })
    await leaveSwarm(swarm.created)
    if (dir !== undefined) await rm(dir, { recursive: true, force: true })
  })

  test('the README\'s docker stack deploy forms one ring of 3 through tasks.peer that takes a put: one founder, each task announcing its slot\'s name', async t => {
    const started = Date.now()
    const out = await runReadme(0)
    // W = 2 replicas acknowledge; the third normally too (README, Guarantees).
    assert.match(out, /^stored on [23] replicas\nworld$/m)
    const statuses = await ring.waitForRing(3, RING_MS)
    t.diagnostic(`3 tasks started at once: writable, and one ideal ring, ${seconds(Date.now() - started)} after the block started (its docker build included)`)
    const founders = (await ring.logs()).match(/^founded a new ring .*$/gm) ?? []
    assert.equal(founders.length, 1, `one task founds, the others join: ${founders.join('; ')}`)
    const tasks = await ring.tasks()
    statuses.forEach((s, i) => {
      assert.ok(s.addrs.some(a => a.startsWith(`/dns4/peer-${tasks[i]?.slot}/tcp/4001/p2p/`)), `task ${tasks[i]?.slot} announces ${JSON.stringify(s.addrs)}`)
    })
  })

  test('docker service scale 3 → 8 → 4 under steady load: no acknowledged write lost, the ring ideal after each step', async t => {
    const load = await steadyLoad(ring, 'scale')
    for (const [from, to] of [[3, 8], [8, 4]] as const) {
      const movedBefore = await ring.moved()
      const countsBefore = load.snapshot()
      const logs = ring.followLogs()
      t.after(async () => { await logs.stop() })
      const started = Date.now()
      await ring.scale(to)
      await ring.waitForRing(to, RING_MS)
      const idealMs = Date.now() - started
      const moved = await settle(ring, movedBefore)
      const settledMs = Date.now() - started
      await logs.stop()
      const leaving = handedOnLeaving(logs.text())
      const counts = countsSince(countsBefore, load.snapshot())
      t.diagnostic(`scale ${from} → ${to}: ring ideal after ${seconds(idealMs)}, repair quiet after ${seconds(settledMs)}; ` +
        `${moved} records moved by repair and hand-off, ${leaving.records} handed on by ${leaving.leaves} of ${leaving.started} leaving peers as their logs show${describeFailedLeaves(leaving.failed)}; meanwhile ${describeCounts(counts)}`)
      assertLoad(counts, load, logs.text())
      assert.deepEqual(await ring.replacedTasks(), [], 'Swarm replaced no task')
      assert.equal(leaving.started, Math.max(0, from - to), 'every removed task began a graceful leave, and no other')
    }
    const counts = await load.stop()
    t.diagnostic(`the client in all: ${describeCounts(counts)}`)
    assertLoad(counts, load)
    await assertNothingLost(t, ring)
  })

  test('a rolling update to a new build, one task at a time, under steady load: no acknowledged write lost, failed reads counted, the ring ideal at the end', async t => {
    // A new build: the image under test with one more layer, so Swarm sees a new image.
    const next = `${group}chordkv:next`
    await build(next, ROOT, { dockerfile: `FROM ${image()}\nLABEL org.chordkv.test-build=next\n` })
    const replicas = (await ring.tasks()).length
    const load = await steadyLoad(ring, 'roll')
    const countsBefore = load.snapshot()
    const logs = ring.followLogs()
    const watch = new RollWatch(ring)
    // Stopped here too when an assertion fails first: a follower or sampler left running keeps the runner alive.
    t.after(async () => { await Promise.all([logs.stop(), watch.stop()]) })
    const started = Date.now()
    await docker(['service', 'update', '--detach', '--image', next, ring.service])
    await ring.waitForUpdate(UPDATE_MS)
    const rolledMs = Date.now() - started
    await ring.waitForRing(replicas, RING_MS)
    const idealMs = Date.now() - started
    await logs.stop()
    const replaced = await watch.stop()
    const counts = countsSince(countsBefore, await load.stop())
    const leaving = handedOnLeaving(logs.text())
    t.diagnostic(`rolling update of ${replicas} tasks: done after ${seconds(rolledMs)}, ring ideal after ${seconds(idealMs)}; ${describeRoll(replaced)}; ` +
      `${leaving.records} records handed on by ${leaving.leaves} of ${leaving.started} leaving peers as their logs show${describeFailedLeaves(leaving.failed)}; during the roll ${describeCounts(counts)}`)
    assert.equal(replaced.length, replicas, 'every task was replaced, and its peer rejoined')
    assertLoad(counts, load, logs.text())
    assert.equal(leaving.started, replicas, 'every replaced task began a graceful leave')
    const running = (await docker(['service', 'inspect', '--format', '{{.Spec.TaskTemplate.ContainerSpec.Image}}', ring.service])).out.trim()
    assert.ok(running.startsWith(next), running)
    await assertNothingLost(t, ring)

    // The README's removal: nothing of the stack is left (and the next test has the cores).
    await runReadme(1)
    const left = await leftovers(`${ring.name}_`)
    assert.deepEqual([left.services, left.containers, left.networks, left.volumes], [[], [], [], []])
  })

  test(`a ring of the previous release (${PREVIOUS_RELEASE.version}) rolls to this one (${VERSION}) with docker stack deploy, peer by peer, under steady load: no acknowledged write lost`, async t => {
    const old = `${group}chordkv:${PREVIOUS_RELEASE.version}`
    const builtIn = await buildPreviousRelease(old)
    t.diagnostic(`built ${old} from ${PREVIOUS_RELEASE.tag} in ${seconds(builtIn * 1000)}`)
    const override = join(dir as string, 'previous-release.yaml')
    await writeFile(override, PREVIOUS_RELEASE_OVERRIDE)
    await upgrade.deploy([STACK_FILE, override], old)
    await waitFor(async () => (await upgrade.statuses().catch(() => [])).some(s => s.state === 'joined'), RING_MS, () => 'the first task of the previous release founded no ring', 1000)
    await upgrade.scale(3)
    await upgrade.waitForRing(3, RING_MS)
    assert.equal(await versions(upgrade), `3×${PREVIOUS_RELEASE.version}`)

    // The upgrade as an operator makes it: the new image, the stack file as shipped, deployed again.
    const load = await steadyLoad(upgrade, 'upgrade')
    const countsBefore = load.snapshot()
    const started = Date.now()
    const seen = new Set<string>()
    const sampling = setInterval(() => { versions(upgrade).then(v => { seen.add(v) }, () => {}) }, 1000)
    const watch = new RollWatch(upgrade)
    t.after(async () => { await watch.stop() })
    try {
      await upgrade.deploy([STACK_FILE], image())
      await upgrade.waitForUpdate(UPDATE_MS)
    } finally {
      clearInterval(sampling)
    }
    const rolledMs = Date.now() - started
    const statuses: TaskStatus[] = await upgrade.waitForRing(3, RING_MS)
    const idealMs = Date.now() - started
    const replaced = await watch.stop()
    const counts = countsSince(countsBefore, await load.stop())
    t.diagnostic(`rolling upgrade ${PREVIOUS_RELEASE.version} → ${VERSION} of 3 tasks: done after ${seconds(rolledMs)}, ring ideal after ${seconds(idealMs)}; ${describeRoll(replaced)}; ` +
      `rings seen meanwhile: ${[...seen].join(', ')}; during the roll ${describeCounts(counts)}`)
    assertLoad(counts, load)
    assert.deepEqual(statuses.map(s => s.version), [VERSION, VERSION, VERSION])
    assert.ok([...seen].some(v => v.includes(PREVIOUS_RELEASE.version) && v.includes(VERSION)), 'both releases served one ring at some point')
    await assertNothingLost(t, upgrade)
  })
})
