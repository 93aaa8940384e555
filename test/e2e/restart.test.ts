import assert from 'node:assert/strict'
import { join } from 'node:path'
import { rm } from 'node:fs/promises'
import { after, describe, test } from 'node:test'
import { PeerProcess } from '../../src/cli/peer-process.js'
import { ControlClient } from '../../src/control/client.js'
import { assertExit, chordkv } from '../utils/cli.js'
import { readAll, tempDir } from '../utils/control.js'
import { waitFor } from '../utils/network.js'
import { waitForIdealSockets } from '../utils/process-ring.js'

/** r as chordkv's default: the README's ring runs on defaults. */
const R = 8

/** Starts the README walkthrough's peer `n` exactly as printed there: peer1 alone, the others with peer1's address. */
async function readmePeer (dir: string, n: number, bootstrap?: string, env: NodeJS.ProcessEnv = {}): Promise<PeerProcess> {
  return PeerProcess.start({ name: `peer${n}`, dataDir: join(dir, `peer${n}`), bootstrap, env })
}

async function putAll (socket: string, keys: readonly string[]): Promise<void> {
  const client = await ControlClient.connect(socket)
  try {
    const puts = await Promise.all(keys.map(async key => client.request({ op: 'put', key, value: `v-${key}` })))
    assert.ok(puts.every(r => r.ok === true), JSON.stringify(puts.find(r => r.ok !== true)))
  } finally {
    client.close()
  }
}

/** Whether every peer reads every key as written. */
async function everyKeyEverywhere (peers: readonly PeerProcess[], keys: readonly string[]): Promise<boolean> {
  for (const peer of peers) {
    const values = await readAll(peer.socket, keys).catch(() => [])
    if (!keys.every((key, i) => values[i] === `v-${key}`)) return false
  }
  return true
}

describe('restarts that just work', () => {
  const dirs: string[] = []
  const running: PeerProcess[] = []
  const start = async (run: Promise<PeerProcess>): Promise<PeerProcess> => {
    const peer = await run
    running.push(peer)
    return peer
  }

  after(async () => {
    await Promise.all(running.map(async p => p.stop('SIGKILL')))
    await Promise.all(dirs.map(async d => rm(d, { recursive: true, force: true })))
  })

  test('the README\'s three peers, stopped with Ctrl-C together and started again with the same commands, are one ring with every key within 60 s', async () => {
    const dir = await tempDir('chordkv-restart-')
    dirs.push(dir)
    const keys = Array.from({ length: 60 }, (_, i) => `key-${i}`)
    const peer1 = await start(readmePeer(dir, 1))
    const address = await peer1.waitFor(/^listening: (\S+)$/)
    const first = [peer1, await start(readmePeer(dir, 2, address)), await start(readmePeer(dir, 3, address))]
    await waitForIdealSockets(first, R, 60_000)
    await putAll(peer1.socket, keys)

    // Ctrl-C in every terminal at once: every peer hands its keys on or says why it need not, and exits 0.
    const codes = await Promise.all(first.map(async p => p.stop('SIGINT')))
    assert.deepEqual(codes, [0, 0, 0])
    for (const p of first) {
      const failures = p.lines.filter(l => /graceful leave failed|could not take over/.test(l))
      assert.deepEqual(failures, [], `${p.name} printed a failure on leaving:\n${p.lines.join('\n')}`)
    }

    const restarted = performance.now()
    const again1 = await start(readmePeer(dir, 1))
    assert.equal(await again1.waitFor(/^listening: (\S+)$/), address, 'peer1 listens where its ring and the README\'s commands expect it')
    const again = [again1, await start(readmePeer(dir, 2, address)), await start(readmePeer(dir, 3, address))]
    await waitForIdealSockets(again, R, 60_000)
    await waitFor(async () => everyKeyEverywhere(again, keys), 60_000 - (performance.now() - restarted), () => 'not every key was read through every peer')
    const tookS = (performance.now() - restarted) / 1000
    assert.ok(tookS <= 60, `one ring with every key after ${tookS.toFixed(1)} s`)
    console.log(`one ring with every key ${tookS.toFixed(1)} s after the restart`)
    await Promise.all(again.map(async p => p.stop('SIGTERM')))
  })

  test('a peer that remembers members but reaches none answers REPLICAS_UNAVAILABLE (exit 5), not NOT_FOUND, until it is back among them', async () => {
    const dir = await tempDir('chordkv-alone-')
    dirs.push(dir)
    const env = { CHORDKV_FOUND_AFTER_MS: '1000', CHORDKV_NOT_FOUND_GRACE_MS: '5000', CHORDKV_STABILIZE_INTERVAL_MS: '200', CHORDKV_CHECK_PREDECESSOR_INTERVAL_MS: '200', CHORDKV_REPAIR_INTERVAL_MS: '1000' }
    const peer1 = await start(readmePeer(dir, 1, undefined, env))
    const address = await peer1.waitFor(/^listening: (\S+)$/)
    const peers = [peer1, await start(readmePeer(dir, 2, address, env)), await start(readmePeer(dir, 3, address, env))]
    await waitForIdealSockets(peers, R, 60_000)
    const keys = Array.from({ length: 30 }, (_, i) => `held-${i}`)
    await putAll(peer1.socket, keys)
    // peer3 leaves gracefully (its keys go to the others), then the others crash.
    const peer3 = peers[2] as PeerProcess
    assert.equal(await peer3.stop('SIGTERM'), 0)
    await Promise.all(peers.slice(0, 2).map(async p => p.stop('SIGKILL')))

    const alone = await start(readmePeer(dir, 3, address, env))
    await alone.waitFor(/^founded a new ring/, 30_000)
    const env2 = { HOME: dir }
    for (const key of keys.slice(0, 5)) {
      const get = await chordkv(['get', key, '--data-dir', alone.dataDir], { env: env2 })
      assertExit(get, 5)
      assert.match(get.stderr, /founded its ring while the peers it knew were out of reach/)
    }
    const health = await chordkv(['health', '--json', '--data-dir', alone.dataDir], { env: env2 })
    assertExit(health, 1)
    assert.match(health.out, /none of the \d+ peers? it knows .* answers; it keeps trying them/)

    // The others come back on their data directories: one ring, every key read through the peer that was alone.
    const back = [await start(readmePeer(dir, 1, undefined, env)), await start(readmePeer(dir, 2, address, env)), alone]
    await waitForIdealSockets(back, R, 60_000)
    await waitFor(async () => everyKeyEverywhere([alone], keys), 60_000, () => 'the peer that was alone does not read every key')
    // And once it has compared its arc with the others, a key nobody wrote is vouched absent.
    await waitFor(async () => (await chordkv(['get', 'never-written', '--data-dir', alone.dataDir], { env: env2 })).code === 1, 60_000, () => 'an absent key never answered NOT_FOUND')
  })
})
