import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { after, before, describe, test } from 'node:test'
import { logger } from '@libp2p/logger'
import { chordControlApi } from '../../src/chord/control-api.js'
import { ControlServer } from '../../src/control/server.js'
import { FAST_RING, startRing, stopAll, waitFor } from '../utils/network.js'
import { waitForIdealRing } from '../utils/ring-checks.js'
import { tempDir } from '../utils/control.js'
import type { ChordPeer } from '../../src/chord/peer.js'

const run = promisify(execFile)
/** Each one-liner runs this many times: one lost reply fails the test. */
const RUNS = 20
const NC_AT_ONCE = 5

/** The README's shell one-liners for the control socket, exactly as printed there. */
async function readmeOneLiners (): Promise<{ socat: string, nc: string }> {
  const readme = await readFile(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8')
  const lines = readme.split('\n')
  const socat = lines.find(l => l.includes('| socat - UNIX-CONNECT:'))
  const nc = lines.find(l => l.includes('| nc -U'))
  assert.ok(socat !== undefined && nc !== undefined, 'the README shows a socat and an nc one-liner')
  return { socat, nc }
}

/**
 * The README's one-liners, run verbatim with the real socat and netcat
 * (Debian's socat and netcat-openbsd): both half-close the connection right
 * after writing, and every run must still print every reply.
 */
describe('the README\'s socat and nc one-liners', () => {
  let peers: ChordPeer[] = []
  let servers: ControlServer[] = []
  /** Holds peer1/chordkv.sock … peer3/chordkv.sock, as in the README's walkthrough. */
  let cwd: string

  before(async () => {
    cwd = await tempDir('chordkv-shell-')
    peers = await startRing(3, FAST_RING)
    await waitForIdealRing(peers, 3, 20_000)
    servers = await Promise.all(peers.map(async (p, i) => {
      await mkdir(join(cwd, `peer${i + 1}`))
      const server = new ControlServer(chordControlApi(p, () => ({ handoff: true, done: Promise.resolve() })), {
        path: join(cwd, `peer${i + 1}`, 'chordkv.sock'),
        maxLineBytes: 64 * 1024,
        log: logger('test')
      })
      await server.listen()
      return server
    }))
  })

  after(async () => {
    await Promise.all(servers.map(async s => s.close()))
    await stopAll(peers)
  })

  test(`echo … | socat prints the put's reply, ${RUNS} runs of ${RUNS}`, async () => {
    const { socat } = await readmeOneLiners()
    for (let i = 0; i < RUNS; i++) {
      const { stdout } = await run('sh', ['-c', socat], { cwd, timeout: 10_000 })
      assert.equal(stdout, '{"id":1,"ok":true,"replicas":3}\n', `run ${i + 1}`)
    }
  })

  test('the expiring put\'s one-liner stores a value every peer reads until its instant, and none after', async () => {
    const readme = await readFile(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8')
    const line = readme.split('\n').find(l => l.includes('"ttlMs"') && l.includes('| socat - UNIX-CONNECT:'))
    assert.ok(line !== undefined, 'the README shows an expiring put\'s one-liner')
    const ttlMs = Number(/"ttlMs":(\d+)/.exec(line)?.[1])
    const key = new TextEncoder().encode(JSON.parse(/'(\{.*\})'/.exec(line)?.[1] ?? '{}').key as string)
    const startedMs = Date.now()
    const { stdout } = await run('sh', ['-c', line], { cwd, timeout: 10_000 })
    assert.equal(stdout, '{"id":1,"ok":true,"replicas":3}\n')
    const writtenMs = Date.now()
    const reads = async (): Promise<Array<Uint8Array | undefined>> => Promise.all(peers.map(async p => (await p.services.chord.get(key)).record?.value))
    const early = await reads()
    // Read right away: on a machine slow enough for the reads to take longer than the time to live, they would not see it.
    if (Date.now() - writtenMs < ttlMs) assert.ok(early.every(v => v !== undefined), 'every peer reads the value before its instant')
    await waitFor(async () => (await reads()).every(v => v === undefined), ttlMs + 10_000, () => 'the value still reads after its instant')
    // Stamped after the one-liner started, the value cannot expire sooner than this.
    assert.ok(Date.now() >= startedMs + ttlMs, 'not gone before its instant')
  })

  test('the watch one-liner waits for the next change of the key, prints it and runs the next command', async () => {
    const readme = await readFile(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8')
    const line = readme.split('\n').find(l => l.startsWith('chordkv watch --once '))
    assert.ok(line !== undefined, 'the README shows a watch one-liner')
    const key = /--once (\S+)/.exec(line)?.[1] as string
    const registrations = (): number => peers.reduce((n, p) => n + p.services.chord.testing.data.server.watchers.count, 0)
    const before = registrations()
    const bin = fileURLToPath(new URL('../../../bin', import.meta.url))
    const done = run('sh', ['-c', line], { cwd, timeout: 30_000, env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` } })
    await waitFor(() => registrations() >= before + 3, 20_000, () => `${registrations() - before} of the key's 3 replicas hold the watch`)
    await (peers[0] as ChordPeer).services.chord.put(new TextEncoder().encode(key), new TextEncoder().encode('reloaded'))
    const { stdout } = await done
    assert.equal(stdout, 'reloaded\nconfig changed\n')
  })

  test(`printf … | nc -U -q1 prints both pipelined replies, ${RUNS} runs of ${RUNS}`, async () => {
    const { socat, nc } = await readmeOneLiners()
    await run('sh', ['-c', socat], { cwd, timeout: 10_000 })
    // nc lingers for its -q1 second after stdin ends: run a few at a time
    const outputs: string[] = []
    for (let i = 0; i < RUNS; i += NC_AT_ONCE) {
      const batch = await Promise.all(Array.from({ length: NC_AT_ONCE }, async () => run('sh', ['-c', nc], { cwd, timeout: 10_000 })))
      outputs.push(...batch.map(b => b.stdout))
    }
    assert.equal(outputs.length, RUNS)
    outputs.forEach((stdout, i) => {
      const replies = stdout.split('\n').filter(l => l !== '').map(l => JSON.parse(l) as Record<string, unknown>)
      assert.equal(replies.length, 2, `run ${i + 1}: ${stdout}`)
      assert.deepEqual(replies.find(r => r.id === 1), { id: 1, ok: true, value: 'v' }, `run ${i + 1}`)
      const status = replies.find(r => r.id === 2)
      assert.equal(status?.ok, true, `run ${i + 1}`)
      assert.equal(status?.peerId, (peers[2] as ChordPeer).peerId.toString(), `run ${i + 1}`)
    })
  })
})
