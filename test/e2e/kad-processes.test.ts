import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { PeerProcess } from '../../src/cli/peer-process.js'
import { ControlClient } from '../../src/control/client.js'
import { MAIN } from '../utils/cli.js'
import { ask, readAll, tempDir } from '../utils/control.js'
import { waitFor } from '../utils/network.js'

const KAD_ENV = { CHORDKV_OVERLAY: 'kad', CHORDKV_STORAGE: 'leveldb' }
const PEERS = 4

/** Runs one `chordkv` command and collects its exit status and output (killed after 15 s). */
async function chordkv (args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null, out: string, err: string }> {
  const child = spawn(process.execPath, [MAIN, ...args], { env: { HOME: process.env.HOME, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { err += chunk.toString() })
  const timer = setTimeout(() => { child.kill('SIGKILL') }, 15_000)
  const [code] = await once(child, 'close') as [number | null]
  clearTimeout(timer)
  return { code, out, err }
}

/** Whether every live peer's routing table holds every other live peer. */
async function tablesFull (peers: readonly PeerProcess[]): Promise<boolean> {
  const statuses = await Promise.all(peers.map(async p => ask(p.socket, { op: 'status' })))
  return statuses.every(s => s.state === 'joined' && s.routingTable === peers.length - 1)
}

describe(`${PEERS} kad-mode peers as separate processes through the CLI`, () => {
  let dir: string
  let bootstrap: string
  const peers: PeerProcess[] = []
  const keys = Array.from({ length: 50 }, (_, i) => `key-${i}`)
  const expected = keys.map((_, i) => `value-${i}`)
  const peer = (i: number): PeerProcess => peers[i] as PeerProcess

  before(async () => {
    dir = await tempDir('chordkv-kad-e2e-')
    for (let i = 1; i <= PEERS; i++) {
      const p = await PeerProcess.start({ name: `k${i}`, dataDir: join(dir, `k${i}`), bootstrap: i === 1 ? undefined : bootstrap, env: KAD_ENV })
      peers.push(p)
      if (i === 1) bootstrap = await p.waitFor(/^listening: (.*)$/)
    }
    await Promise.all(peers.map(async p => p.waitFor(/^(started a new kad network|joined the kad network)/)))
    await waitFor(async () => tablesFull(peers), 20_000, () => 'the routing tables did not fill')
  })

  after(async () => {
    await Promise.all(peers.map(async p => p.stop('SIGKILL')))
  })

  test('chordkv put through one peer, chordkv get through another', async () => {
    const put = await chordkv(['put', 'greeting', 'hello kad', '--socket', peer(0).socket])
    assert.equal(put.code, 0, put.err)
    const get = await chordkv(['get', 'greeting', '--socket', peer(PEERS - 1).socket])
    assert.equal(get.code, 0, get.err)
    assert.equal(get.out, 'hello kad')
  })

  test('chordkv del exits 1 with NOT_SUPPORTED, and the value stays', async () => {
    const del = await chordkv(['del', 'greeting', '--socket', peer(1).socket])
    assert.equal(del.code, 1)
    assert.match(del.err, /NOT_SUPPORTED: del is not supported by the kad overlay/)
    assert.equal((await chordkv(['get', 'greeting', '--socket', peer(2).socket])).out, 'hello kad')
  })

  test('chordkv status and lookup describe the kad overlay', async () => {
    const status = await chordkv(['status', '--socket', peer(1).socket])
    assert.equal(status.code, 0, status.err)
    assert.match(status.out, /^overlay\s+kad$/m)
    assert.match(status.out, new RegExp(`^routing\\s+${PEERS - 1} peers in the routing table$`, 'm'))
    const lookup = await chordkv(['lookup', 'greeting', '--json', '--socket', peer(1).socket])
    assert.equal(lookup.code, 0, lookup.err)
    const body = JSON.parse(lookup.out) as { kadKey: string, closest: string[], queried: number }
    assert.equal(body.kadKey, '/chordkv/m5zgkzlunfxgo')
    assert.equal(body.closest.length, PEERS - 1)
    assert.ok(body.queried >= 1)
  })

  test(`${keys.length} keys put through one socket are read through every other socket`, async () => {
    const client = await ControlClient.connect(peer(0).socket)
    const puts = await Promise.all(keys.map(async (key, i) => client.request({ op: 'put', key, value: expected[i] })))
    client.close()
    assert.ok(puts.every(r => r.ok === true), JSON.stringify(puts.find(r => r.ok !== true)))
    for (const p of peers.slice(1)) assert.deepEqual(await readAll(p.socket, keys), expected)
  })

  test('with one peer stopped, every key is still read; restarted on its data directory it keeps its ID and records', async () => {
    const victim = peer(2)
    const oldId = await victim.waitFor(/^peer id: (\S+)/)
    assert.equal(await victim.stop('SIGTERM'), 0)
    const live = peers.filter(p => p !== victim)
    for (const p of live) assert.deepEqual(await readAll(p.socket, keys), expected)

    const restarted = await PeerProcess.start({ name: 'k3-again', dataDir: victim.dataDir, bootstrap, env: KAD_ENV })
    peers[2] = restarted
    assert.equal(await restarted.waitFor(/^peer id: (\S+)/), oldId)
    await restarted.waitFor(/^joined the kad network/)
    const status = await ask(restarted.socket, { op: 'status' })
    assert.ok((status.keys as number) >= keys.length, `the restarted peer holds ${String(status.keys)} records`)
    assert.deepEqual(await readAll(restarted.socket, keys), expected)
  })

  test('a value limit beyond what kad-dht messages carry is refused at start, naming the setting', async () => {
    const start = await chordkv(['start', '--data-dir', join(dir, 'too-big'), '--overlay', 'kad'], { CHORDKV_MAX_VALUE_BYTES: '8000000' })
    assert.equal(start.code, 1)
    assert.match(start.err, /limits\.maxValueBytes is 8000000 but the kad overlay carries at most \d+ bytes/)
    assert.match(start.err, /CHORDKV_MAX_VALUE_BYTES/)
  })
})
