import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { MiB } from '../src/defaults.js'
import { MemoryTrim, trimDecision } from '../src/memory-trim.js'
import { waitFor } from './utils/network.js'

const SETTINGS = { checkMs: 5, quietUtilisation: 0.05, growthBytes: 16 * MiB }

describe('giving a burst\'s memory back', () => {
  test('trims only when quiet and grown by the threshold; the level follows the memory down, not up', () => {
    const level = 100 * MiB
    assert.deepEqual(trimDecision({ rss: 116 * MiB, utilisation: 0.01 }, level, SETTINGS), { trim: true, level })
    assert.deepEqual(trimDecision({ rss: 115 * MiB, utilisation: 0.01 }, level, SETTINGS), { trim: false, level }, 'grown by less than the threshold')
    assert.deepEqual(trimDecision({ rss: 300 * MiB, utilisation: 0.5 }, level, SETTINGS), { trim: false, level }, 'busy: the pause would land on requests')
    assert.deepEqual(trimDecision({ rss: 300 * MiB, utilisation: 0.05 }, level, SETTINGS), { trim: false, level }, 'quiet means under the share, not at it')
    assert.deepEqual(trimDecision({ rss: 80 * MiB, utilisation: 0.01 }, level, SETTINGS), { trim: false, level: 80 * MiB }, 'pages the kernel took back lower the level')
  })

  test('the check collects once per burst, then counts growth from what the trim left', async () => {
    let rss = 100 * MiB
    let busy = 0.5
    const trims: Array<[number, number]> = []
    const trim = new MemoryTrim({
      settings: SETTINGS,
      collect: () => { rss = 104 * MiB },
      rss: () => rss,
      utilisation: () => busy,
      trimmed: (before, after) => { trims.push([before, after]) }
    })
    trim.start()
    try {
      rss = 150 * MiB
      await new Promise(resolve => setTimeout(resolve, 50))
      assert.equal(trim.count, 0, 'no trim while busy')
      busy = 0.01
      await waitFor(() => trim.count === 1, 5000, () => 'no trim once quiet')
      assert.deepEqual(trims, [[150 * MiB, 104 * MiB]])
      rss = 119 * MiB
      await new Promise(resolve => setTimeout(resolve, 50))
      assert.equal(trim.count, 1, 'growth counts from the 104 MiB the trim left: 15 MiB is below the threshold')
      rss = 121 * MiB
      await waitFor(() => trim.count === 2, 5000, () => 'no second trim after 17 MiB more')
    } finally {
      trim.stop()
    }
  })

  test('after the collection the store gives back what it holds; the memory after is read once it has, and a store that cannot is tried again at the next trim', async () => {
    let rss = 100 * MiB
    const trims: Array<[number, number]> = []
    const releases: string[] = []
    let fail = true
    const trim = new MemoryTrim({
      settings: SETTINGS,
      collect: () => { releases.push('collect'); rss -= 10 * MiB },
      release: async () => {
        await new Promise(resolve => setTimeout(resolve, 20))
        releases.push(fail ? 'release failed' : 'released')
        if (fail) throw new Error('in use')
        rss -= 100 * MiB
      },
      rss: () => rss,
      utilisation: () => 0,
      trimmed: (before, after) => { trims.push([before, after]) }
    })
    trim.start()
    try {
      rss = 200 * MiB
      await waitFor(() => trim.count === 1, 5000, () => 'no trim')
      assert.deepEqual(trims, [[200 * MiB, 190 * MiB]], 'a failed release leaves what the collection gave back')
      fail = false
      rss = 250 * MiB
      await waitFor(() => trim.count === 2, 5000, () => 'no second trim')
      assert.deepEqual(trims[1], [250 * MiB, 140 * MiB], 'read after the release')
      assert.deepEqual(releases, ['collect', 'release failed', 'collect', 'released'], 'one trim at a time, the release after the collection')
    } finally {
      trim.stop()
    }
  })

  test('a period is the event loop\'s since start() or since the last trim: what came before, and the collection itself, do not count', async () => {
    // Before start(): busy; the first check: quiet; the collection itself: busy; the second check: quiet; then busy.
    const shares = [0.9, 0, 0.9, 0]
    let reads = 0
    const trimmedAt: number[] = []
    // 100 MiB at start and right after each collection, 200 MiB at every other read.
    let rss = 100 * MiB
    const trim = new MemoryTrim({
      settings: SETTINGS,
      collect: () => { rss = 100 * MiB },
      rss: () => { reads++; const now = rss; rss = 200 * MiB; return now },
      utilisation: () => shares.shift() ?? 0.9,
      trimmed: () => { trimmedAt.push(reads - 1) }
    })
    trim.start()
    try {
      await waitFor(() => trim.count === 2, 5000, () => `trims after reads ${JSON.stringify(trimmedAt)}`)
      // Read 1 is the level; each check reads once and each trim once more: the two trims are the first two checks.
      assert.deepEqual(trimmedAt, [2, 4])
    } finally {
      trim.stop()
    }
  })

  test('a stopped check looks no more, however often it was started', async () => {
    let looked = 0
    const trim = new MemoryTrim({ settings: SETTINGS, collect: () => {}, rss: () => { looked++; return 100 * MiB }, utilisation: () => 0 })
    trim.start()
    trim.start()
    await waitFor(() => looked >= 3, 5000, () => 'no checks')
    trim.stop()
    const seen = looked
    await new Promise(resolve => setTimeout(resolve, 50))
    assert.equal(looked, seen, 'no check after stop()')
  })

  test('by default it reads the process\'s own RSS and CPU time: busy, it waits; quiet again, it trims', async () => {
    const given = globalThis.gc
    const ballast: Buffer[] = []
    try {
      let collected = 0
      globalThis.gc = Object.assign(() => { collected++ }, {}) as unknown as typeof globalThis.gc
      const trim = new MemoryTrim({ settings: { checkMs: 20, quietUtilisation: 0.5, growthBytes: 16 * MiB } })
      trim.start()
      try {
        ballast.push(Buffer.alloc(48 * MiB, 1))
        // busy: the CPU spins 15 ms of every 16, across several checks
        const busyUntil = Date.now() + 400
        while (Date.now() < busyUntil) {
          const spinUntil = Date.now() + 15
          while (Date.now() < spinUntil) { /* busy */ }
          await new Promise(resolve => setTimeout(resolve, 1))
        }
        assert.equal(trim.count, 0, 'no trim while the process is busy')
        await waitFor(() => trim.count >= 1, 5000, () => `no trim after 48 MiB more RSS (${process.memoryUsage.rss()} bytes)`)
        assert.ok(collected >= 1)
      } finally {
        trim.stop()
      }
    } finally {
      globalThis.gc = given
      ballast.length = 0
    }
  })

  test('with --expose-gc it trims with V8\'s collection; without, it has nothing to trim with and never checks', async () => {
    const given = globalThis.gc
    try {
      const collected: unknown[] = []
      globalThis.gc = Object.assign((options: unknown) => { collected.push(options) }, {}) as unknown as typeof globalThis.gc
      let rss = 100 * MiB
      const exposed = new MemoryTrim({ settings: SETTINGS, rss: () => rss, utilisation: () => 0 })
      assert.equal(exposed.enabled, true)
      exposed.start()
      rss = 200 * MiB
      await waitFor(() => exposed.count === 1, 5000, () => 'no trim')
      exposed.stop()
      assert.deepEqual(collected, [{ type: 'major', execution: 'sync', flavor: 'last-resort' }], 'V8\'s last-resort collection: memory-reducing, and at once')

      globalThis.gc = undefined
      let looked = 0
      const bare = new MemoryTrim({ settings: SETTINGS, rss: () => { looked++; return 200 * MiB }, utilisation: () => 0 })
      assert.equal(bare.enabled, false)
      bare.start()
      await new Promise(resolve => setTimeout(resolve, 50))
      bare.stop()
      assert.deepEqual([bare.count, looked], [0, 0])
    } finally {
      globalThis.gc = given
    }
  })
})
