import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { PeerProcess } from '../../src/cli/peer-process.js'
import { ControlClient } from '../../src/control/client.js'
import { tempDir } from '../utils/control.js'
import { waitFor } from '../utils/network.js'
import { waitForIdealSockets } from '../utils/process-ring.js'

// The trim's logic is tested in test/memory-trim.test.ts; here it runs in a real peer process with the runtime's flags.
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
