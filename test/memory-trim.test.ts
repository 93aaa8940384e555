import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { PeerProcess } from '../src/cli/peer-process.js'
import { ControlClient } from '../src/control/client.js'
import { MiB } from '../src/defaults.js'
import { MemoryTrim, trimDecision } from '../src/memory-trim.js'
import { tempDir } from './utils/control.js'
import { waitFor } from './utils/network.js'
import { waitForIdealSockets } from './utils/process-ring.js'

const SETTINGS = { checkMs: 5, quietUtilisation: 0.05, growthBytes: 16 * MiB }

describe('giving a burst\'s memory back', () => {
  test('trims only when quiet and grown by the threshold; the level follows the memory down, not up', () => {
    const level = 100 * MiB
    assert.deepEqual(trimDecision({ rss: 116 * MiB, utilisation: 0.01 }, level, SETTINGS), { trim: true, level })
    assert.deepEqual(trimDecision({ rss: 115 * MiB, utilisation: 0.01 }, level, SETTINGS), { trim: false, level }, 'grown by less than the threshold')
    assert.deepEqual(trimDecision({ rss: 300 * MiB, utilisation: 0.5 }, level, SETTINGS), { trim: false, level }, 'busy: the pause would land on requests')
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

  test('with --expose-gc it trims with V8\'s collection; without, it has nothing to trim with and never checks', async () => {
    const given = globalThis.gc
    try {
      let collected = 0
      globalThis.gc = Object.assign(() => { collected++ }, {}) as unknown as typeof globalThis.gc
      let rss = 100 * MiB
      const exposed = new MemoryTrim({ settings: SETTINGS, rss: () => rss, utilisation: () => 0 })
      assert.equal(exposed.enabled, true)
      exposed.start()
      rss = 200 * MiB
      await waitFor(() => exposed.count === 1, 5000, () => 'no trim')
      exposed.stop()
      assert.equal(collected, 1)

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

  test('a chordkv start peer given a burst of puts gives memory back once quiet, and serves on', async () => {
    const dir = await tempDir('chordkv-trim-')
    const peers: PeerProcess[] = []
    try {
      for (const name of ['a', 'b']) {
        peers.push(await PeerProcess.start({ name, dataDir: join(dir, name), bootstrap: name === 'a' ? undefined : await (peers[0] as PeerProcess).waitFor(/^listening: (.*)$/) }))
      }
      await waitForIdealSockets(peers, 8, 60_000)
      const target = peers[0] as PeerProcess
      const client = await ControlClient.connect(target.socket)
      try {
        // 64 MiB of values through the peer, 8 at a time: its heap grows well past the threshold.
        let next = 0
        await Promise.all(Array.from({ length: 8 }, async () => {
          while (next < 256) {
            const i = next++
            const reply = await client.request({ op: 'put', key: `burst-${i}`, value: randomBytes(128 * 1024).toString('base64') })
            assert.equal(reply.ok, true, JSON.stringify(reply))
          }
        }))
        const trimmed = (): string | undefined => target.lines.find(l => l.startsWith('memory: quiet after a burst'))
        await waitFor(() => trimmed() !== undefined, 60_000, () => `no trim in:\n${target.lines.slice(-20).join('\n')}`, 500)
        const line = trimmed() as string
        const [, before, after] = /resident (\d+) → (\d+) MiB/.exec(line) ?? []
        assert.ok(Number(after) < Number(before), line)
        const reply = await client.request({ op: 'get', key: 'burst-7' })
        assert.equal(reply.ok, true, JSON.stringify(reply))
      } finally {
        client.close()
      }
    } finally {
      await Promise.all(peers.map(async p => p.stop('SIGKILL')))
      await rm(dir, { recursive: true, force: true })
    }
  })
})
