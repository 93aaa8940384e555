import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, describe, test } from 'node:test'
import { logger } from '@libp2p/logger'
import { chromium, type Browser } from 'playwright-core'
import { loadConfig } from '../../src/config.js'
import { chordOverlay } from '../../src/chord/overlay.js'
import { startDaemon, type Daemon } from '../../src/daemon.js'
import { ControlClient } from '../../src/control/client.js'
import { ringIdOfKey } from '../../src/ring/hash.js'
import { addressOf, crash, FAST_RING, startPeer, stopAll, waitFor } from '../utils/network.js'
import { expectedOwner, waitForIdealRing } from '../utils/ring-checks.js'
import { tempDir } from '../utils/control.js'
import type { ChordPeer } from '../../src/chord/peer.js'

/** Screenshots land here (gitignored). */
const OUTPUT = fileURLToPath(new URL('../../../test-output/', import.meta.url))
/** Debian's chromium, driven headless; the flags keep it quiet inside containers and CI. */
const CHROMIUM = { executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] }

/** A sample line: `name{label="value",…} number`. */
interface Sample {
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
  readonly value: number
}

/**
 * Prometheus' own parser and linter, promtool (from Debian's prometheus
 * package; .ci/run installs it): fails on any text it cannot parse, and on
 * any lint problem with chordkv's metrics. Returns the samples, read once
 * promtool has accepted the text.
 */
function checkedSamples (text: string): Sample[] {
  const promtool = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' })
  assert.equal(promtool.error, undefined, 'promtool runs (.ci/run installs it)')
  const said = `${promtool.stdout}${promtool.stderr}`
  assert.doesNotMatch(said, /pars(e|ing) error/, said)
  assert.deepEqual(said.split('\n').filter(l => l.startsWith('chordkv_')), [], 'promtool has nothing to say about chordkv\'s metrics')
  return text.split('\n').filter(l => l !== '' && !l.startsWith('#')).map(line => {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    assert.ok(match !== null, `a sample line: ${line}`)
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => [k as string, v as string]))
    return { name: match[1] as string, labels, value: Number(match[3]) }
  })
}

/** The value of the one sample named `name` whose labels include `labels`. */
function value (samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter(s => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
  assert.equal(found.length, 1, `one sample ${name} ${JSON.stringify(labels)}, found ${found.length}`)
  return (found[0] as Sample).value
}

/**
 * A real 5-peer ring on loopback: peer 1 is a daemon as `chordkv start
 * --metrics-listen /ip4/127.0.0.1/tcp/0` runs it, peers 2–5 join through it.
 */
describe('the metrics listener: /metrics and the ring page', () => {
  let daemon: Daemon<ChordPeer>
  let others: ChordPeer[] = []
  let dir: string
  let url: string

  before(async () => {
    dir = await tempDir('chordkv-metrics-')
    const config = await loadConfig({
      env: { CHORDKV_STABILIZE_INTERVAL_MS: '100', CHORDKV_FIX_FINGERS_INTERVAL_MS: '100', CHORDKV_CHECK_PREDECESSOR_INTERVAL_MS: '200', CHORDKV_REPAIR_INTERVAL_MS: '500' },
      flags: new Map<string, string | string[]>([['dataDir', join(dir, 'p1')], ['storage', 'memory'], ['metricsListen', ['/ip4/127.0.0.1/tcp/0']]])
    })
    daemon = await startDaemon(chordOverlay, config, { info () {}, warn () {} }, logger('test'))
    url = daemon.metricsUrls[0] as string
    others = await Promise.all(Array.from({ length: 4 }, async () => startPeer([addressOf(daemon.peer)], FAST_RING)))
    await waitForIdealRing([daemon.peer, ...others], 8, 30_000)
  })

  after(async () => {
    await stopAll(others)
    await daemon.shutdown(false)
    await rm(dir, { recursive: true, force: true })
  })

  test('serves chordkv\'s and libp2p\'s metrics as Prometheus text that promtool accepts', async () => {
    const client = await ControlClient.connect(daemon.config.socket)
    for (let i = 0; i < 20; i++) assert.equal((await client.request({ op: 'put', key: `m${i}`, value: 'v' })).ok, true)
    for (let i = 0; i < 20; i++) assert.equal((await client.request({ op: 'get', key: `m${i}` })).ok, true)
    for (let i = 0; i < 5; i++) assert.equal(((await client.request({ op: 'get', key: `absent${i}` })).error as { code: string }).code, 'NOT_FOUND')
    for (let i = 0; i < 3; i++) assert.equal((await client.request({ op: 'del', key: `m${i}` })).ok, true)
    for (let i = 0; i < 2; i++) assert.equal((await client.request({ op: 'lookup', key: `m${i}` })).ok, true)
    // Repair work to count: records the peer owns and its replicas lack.
    const chord = daemon.peer.services.chord
    const self = daemon.peer.peerId.toString()
    // Random peer IDs may leave this peer a small arc: look among as many keys as it takes.
    const planted = Array.from({ length: 100_000 }, (_, i) => new TextEncoder().encode(`repair-${i}`)).filter(key => expectedOwner([daemon.peer, ...others], ringIdOfKey(key)) === self).slice(0, 3)
    assert.equal(planted.length, 3)
    for (const key of planted) await chord.testing.records.put({ key, value: new Uint8Array(10), version: { timestamp: chord.testing.data.clock.now(), writer: self } })
    await waitFor(() => chord.status().moved.pushed >= 2 * planted.length, 20_000, () => `repair pushed ${chord.status().moved.pushed} records`)

    const status = await client.request({ op: 'status' })
    client.close()
    const repairBefore = chord.status()
    const res = await fetch(`${url}/metrics`)
    assert.equal(res.status, 200)
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/)
    const families = checkedSamples(await res.text())
    assert.equal(value(families, 'chordkv_operations_total', { kind: 'put', outcome: 'ok' }), 20)
    assert.equal(value(families, 'chordkv_operations_total', { kind: 'get', outcome: 'ok' }), 20)
    assert.equal(value(families, 'chordkv_operations_total', { kind: 'get', outcome: 'not_found' }), 5)
    assert.equal(value(families, 'chordkv_operations_total', { kind: 'del', outcome: 'ok' }), 3)
    assert.equal(value(families, 'chordkv_operations_total', { kind: 'lookup', outcome: 'ok' }), 2)
    assert.equal(value(families, 'chordkv_operation_duration_seconds_count', { kind: 'put' }), 20)
    assert.equal(value(families, 'chordkv_operation_hops_count', { kind: 'get' }), 25)
    assert.equal(value(families, 'chordkv_operation_hops_bucket', { kind: 'put', le: '+Inf' }), 20)
    // five peers: a route takes at most 2 hops (½·log2 N rounds up to 2, and the path never exceeds the ring)
    assert.ok(value(families, 'chordkv_operation_hops_bucket', { kind: 'put', le: '4' }) === 20)
    assert.equal(value(families, 'chordkv_keys', { role: 'owned' }), status.keysOwned)
    assert.equal(value(families, 'chordkv_keys', { role: 'replicated' }), status.keysReplicated)
    assert.equal(value(families, 'chordkv_tombstones'), status.tombstones)
    assert.equal(value(families, 'chordkv_joined'), 1)
    assert.equal(value(families, 'chordkv_successor_list_length'), 4)
    assert.equal(value(families, 'chordkv_successor_list_target'), 8)
    assert.equal(value(families, 'chordkv_ring_size_estimate'), 5)
    // Repair totals as the service counts them at the scrape, between what it said just before and just after.
    const repairAfter = chord.status()
    const within = (metric: number, of: (s: typeof repairBefore) => number, name: string): void => {
      assert.ok(metric >= of(repairBefore) && metric <= of(repairAfter), `${name} ${metric}, the service ${of(repairBefore)}…${of(repairAfter)}`)
    }
    within(value(families, 'chordkv_repair_passes_total'), s => s.lastRepair.rounds, 'repair passes')
    within(value(families, 'chordkv_repair_records_total', { direction: 'pushed' }), s => s.moved.pushed, 'records pushed')
    within(value(families, 'chordkv_repair_records_total', { direction: 'pulled' }), s => s.moved.pulled, 'records pulled')
    within(value(families, 'chordkv_repair_bytes_total'), s => s.moved.bytes, 'bytes moved')
    assert.ok(value(families, 'chordkv_repair_passes_total') >= 1)
    assert.ok(value(families, 'chordkv_repair_records_total', { direction: 'pushed' }) >= 2 * planted.length)
    assert.ok(value(families, 'chordkv_repair_bytes_total') >= 2 * planted.length * 10)
    assert.equal(value(families, 'chordkv_ring_events_total', { event: 'split-suspected' }), 0)
    assert.equal(value(families, 'chordkv_ring_events_total', { event: 'merge-done' }), 0)
    assert.equal(value(families, 'chordkv_invariant_violations_total'), 0)
    assert.match(families.find(s => s.name === 'chordkv_info')?.labels.version ?? '', /^\d+\.\d+\.\d+/)
    // libp2p's own metrics, through @libp2p/prometheus-metrics
    assert.ok(families.some(s => s.name === 'libp2p_data_transfer_bytes_total' && s.value > 0), 'libp2p counts the bytes it moved')
    assert.ok(families.some(s => s.name.startsWith('libp2p_connection_manager')), 'libp2p\'s connection manager reports')
    assert.ok(value(families, 'nodejs_memory_usage_bytes', { memory: 'rss' }) > 0)

    // walking the ring (the page does it) counts walks and checks Zave's invariants
    const walk = await (await fetch(`${url}/api/ring`)).json() as { members: unknown[], warnings: string[] }
    assert.equal(walk.members.length, 5)
    const after = checkedSamples(await (await fetch(`${url}/metrics`)).text())
    assert.equal(value(after, 'chordkv_ring_walks_total'), 1)
    assert.equal(value(after, 'chordkv_invariant_violations_total'), 0)
    assert.equal((await fetch(`${url}/nothing`)).status, 404)
    assert.equal((await fetch(`${url}/metrics`, { method: 'POST' })).status, 405)
  })

  test('the ring page draws the 5 members in headless Chromium, shows the selected one\'s fingers and successors, and drops a killed peer', async () => {
    let browser: Browser | undefined
    try {
      browser = await chromium.launch(CHROMIUM)
      const page = await browser.newPage({ viewport: { width: 1100, height: 720 } })
      const errors: string[] = []
      page.on('pageerror', err => { errors.push(err.message) })
      await page.goto(`${url}/`)
      const members = page.locator('#ring .member')
      /** What the page says, for a failure message. */
      let seen = ''
      const shows = async (n: number): Promise<boolean> => {
        seen = `${await members.count()} members; summary: ${await page.textContent('#summary')}; error: ${await page.textContent('#error')}; warnings: ${await page.textContent('#warnings')}`
        return await members.count() === n
      }
      await waitFor(async () => shows(5), 20_000, () => `the page never showed 5 members: ${seen}`)
      assert.equal(await page.textContent('#member-count'), '5')
      assert.match(await page.textContent('#summary') ?? '', /^5 members · walked from …\S+ in \d+ ms · the walk closed$/)
      // the page selects the peer it is served by: its successor list is the 4 others, matching the ring
      const self = daemon.peer.peerId.toString()
      assert.equal(await page.textContent('#details h2'), self)
      assert.match(await page.textContent('#details') ?? '', /Successor list \(4\/4 match the ring\)/)
      assert.equal(await page.locator('#details ol.successors li').count(), 4)
      assert.equal(await page.locator('#details ol.successors li.mismatch').count(), 0)
      // The page redraws every 2 s from a fresh walk: wait for a drawing with the fingers in it.
      await waitFor(async () => await page.locator('#details ol.fingers li').count() > 0 && await page.locator('#ring line.finger').count() > 0, 10_000, () => 'the selected member\'s fingers are not drawn')
      assert.equal(await page.locator('#ring path.successor-link').count(), 4)
      // selecting another member (from the keyboard: two members whose ring ids lie close overlap on the circle,
      // and a click lands on the one drawn on top) shows its details
      const other = others[1] as ChordPeer
      // (A redraw between focusing and the key press would take the focus with it: press again.)
      await waitFor(async () => {
        await page.locator(`#ring .member[data-peer="${other.peerId.toString()}"]`).press('Enter')
        return await page.textContent('#details h2') === other.peerId.toString()
      }, 10_000, () => 'the details did not follow the selection', 500)
      await mkdir(OUTPUT, { recursive: true })
      await page.screenshot({ path: join(OUTPUT, 'ring-page.png') })

      const victim = others[2] as ChordPeer
      await crash(victim)
      await waitFor(async () => shows(4), 30_000, () => `the killed peer stayed on the page: ${seen}`)
      assert.equal(await page.locator(`#ring .member[data-peer="${victim.peerId.toString()}"]`).count(), 0)
      await page.screenshot({ path: join(OUTPUT, 'ring-page-after-crash.png') })

      // the listener goes away: the page says so instead of going blank
      await daemon.shutdown(false)
      await page.waitForSelector('#error:not([hidden])', { timeout: 10_000 })
      assert.match(await page.textContent('#error') ?? '', /^Cannot walk the ring: .+ \(showing the last walk\)$/)
      assert.equal(await page.locator('#ring .member').count(), 4)
      assert.deepEqual(errors, [])
    } finally {
      await browser?.close()
    }
  })
})
