import assert from 'node:assert/strict'
import { readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { generateKey, preSharedKey } from '@libp2p/pnet'
import { encodeFrame, FrameDecoder } from '../../src/network/frames.js'
import { Request, Response, Status } from '../../src/protocol/chord.js'
import { PROTOCOL } from '../../src/protocol/constants.js'
import { readSwarmKey } from '../../src/swarm-key.js'
import { assertExit, chordkv } from '../utils/cli.js'
import { multiaddr } from '@multiformats/multiaddr'
import { PeerProcess } from '../../src/cli/peer-process.js'
import { ask, tempDir } from '../utils/control.js'
import { FAST_RING, addressOf, startPeer, stopAll, waitFor } from '../utils/network.js'
import { waitForIdealRing } from '../utils/ring-checks.js'
import { stockNode } from '../utils/raw-peer.js'
import type { ChordPeer } from '../../src/chord/peer.js'
import type { Libp2p } from 'libp2p'

const RING = { ...FAST_RING, successors: 3 }
const text = (s: string): Uint8Array => new TextEncoder().encode(s)

/** A fresh swarm key file's contents, as @libp2p/pnet writes them. */
function newKey (): Uint8Array {
  const key = new Uint8Array(95)
  generateKey(key)
  return key
}

/** A stock libp2p node, with a swarm key or without. */
async function stockNodeWith (psk?: Uint8Array): Promise<Libp2p> {
  return stockNode(psk === undefined ? undefined : preSharedKey({ psk }))
}

/** Pings a peer over /chordkv/1.0.0 from a stock node: the reply's status. */
async function chordPing (from: Libp2p, to: ChordPeer): Promise<Status> {
  const stream = await from.dialProtocol(to.getMultiaddrs(), PROTOCOL, { signal: AbortSignal.timeout(5000) })
  const decoder = new FrameDecoder(1 << 20)
  const reply = new Promise<Response>((resolve, reject) => {
    stream.addEventListener('message', evt => {
      for (const frame of decoder.push(evt.data)) resolve(Response.decode(frame))
    })
    stream.addEventListener('close', () => { reject(new Error('stream closed before the reply')) })
  })
  stream.send(encodeFrame(Request.encode({ id: 1, ping: {} })))
  const response = await reply
  await stream.close()
  return response.status
}

describe('a private ring (swarm key)', () => {
  const key = newKey()
  let ring: ChordPeer[] = []
  const stock: Libp2p[] = []

  before(async () => {
    const first = await startPeer([], RING, { swarmKey: key })
    const rest = await Promise.all([1, 2].map(async () => startPeer([addressOf(first)], RING, { swarmKey: key })))
    ring = [first, ...rest]
    await waitForIdealRing(ring, RING.successors, 20_000)
  })

  after(async () => {
    await Promise.all(stock.map(async n => { await n.stop() }))
    await stopAll(ring)
  })

  test('peers holding the key form a ring and store values', async () => {
    const [first, , third] = ring as [ChordPeer, ChordPeer, ChordPeer]
    assert.equal((await first.services.chord.put(text('k'), text('v'))).replicas, 3)
    assert.equal(new TextDecoder().decode((await third.services.chord.get(text('k'))).record?.value), 'v')
  })

  test('a stock libp2p node without the key cannot complete a connection, and the ring keeps serving', async () => {
    const outsider = await stockNodeWith()
    stock.push(outsider)
    const target = ring[1] as ChordPeer
    await assert.rejects(outsider.dial(target.getMultiaddrs(), { signal: AbortSignal.timeout(3000) }))
    await assert.rejects(outsider.dialProtocol(target.getMultiaddrs(), PROTOCOL, { signal: AbortSignal.timeout(3000) }))
    assert.equal(target.getConnections(outsider.peerId).length, 0)
    assert.equal(outsider.getConnections().length, 0)
    assert.equal((await (ring[0] as ChordPeer).services.chord.put(text('after'), text('v'))).replicas, 3)
  })

  test('a stock node with another key cannot connect either', async () => {
    const stranger = await stockNodeWith(newKey())
    stock.push(stranger)
    await assert.rejects(stranger.dial((ring[2] as ChordPeer).getMultiaddrs(), { signal: AbortSignal.timeout(3000) }))
    assert.equal(stranger.getConnections().length, 0)
  })

  test('a stock node with the same key connects and speaks the protocol', async () => {
    const holder = await stockNodeWith(key)
    stock.push(holder)
    assert.equal(await chordPing(holder, ring[2] as ChordPeer), Status.OK)
  })

  for (const [who, swarmKey] of [['without the key', undefined], ['with another key', newKey()]] as const) {
    test(`a chordkv peer ${who} cannot join the ring, and its log names the likely cause`, async () => {
      const failures: string[] = []
      const lone = await startPeer([addressOf(ring[0] as ChordPeer)], { ...FAST_RING, foundAfterMs: 60_000 }, { swarmKey, start: false })
      try {
        lone.services.chord.addEventListener('join-failed', evt => { failures.push(evt.detail.error.message) })
        await lone.start()
        await waitFor(() => failures.length >= 2, 20_000, () => `join attempts failed ${failures.length} times`)
        assert.equal(lone.services.chord.joined, false)
        assert.equal(lone.getConnections().length, 0)
        for (const member of ring) assert.ok(!member.services.chord.status().successors.some(s => s.peer === lone.peerId.toString()))
        for (const failure of failures) assert.match(failure, /different or missing swarm key on one side/, failure)
      } finally {
        await lone.stop()
      }
    })
  }
})

describe('chordkv swarm-key and --swarm-key', () => {
  let dir: string

  before(async () => {
    dir = await tempDir('chordkv-swarm-')
  })

  after(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  test('swarm-key FILE writes a valid key readable only by its owner, and never overwrites one', async () => {
    const file = join(dir, 'swarm.key')
    const made = await chordkv(['swarm-key', file], { env: { HOME: dir } })
    assertExit(made, 0)
    assert.match(made.out, /wrote a new swarm key to .*swarm\.key \(mode 0600\)/)
    assert.match(made.out, /chordkv start --swarm-key .*swarm\.key/)
    assert.equal((await stat(file)).mode & 0o777, 0o600)
    const bytes = await readSwarmKey(file)
    assert.match(new TextDecoder().decode(bytes), /^\/key\/swarm\/psk\/1\.0\.0\/\n\/base16\/\n[0-9a-f]{64}\n$/)
    const again = await chordkv(['swarm-key', file], { env: { HOME: dir } })
    assertExit(again, 1)
    assert.match(again.stderr, /it exists; a new key would cut its ring's peers off/)
    assert.deepEqual(await readFile(file), Buffer.from(bytes))
    const other = join(dir, 'other.key')
    assertExit(await chordkv(['swarm-key', other], { env: { HOME: dir } }), 0)
    assert.notDeepEqual(await readFile(other), await readFile(file))
  })

  test('two chordkv start processes with --swarm-key FILE form a ring a stock node without the key cannot reach', async () => {
    const file = join(dir, 'ring.key')
    assertExit(await chordkv(['swarm-key', file], { env: { HOME: dir } }), 0)
    const args = ['--swarm-key', file, '--storage', 'memory']
    const first = await PeerProcess.start({ name: 'k1', dataDir: join(dir, 'k1'), args, env: { HOME: dir } })
    const peers = [first]
    try {
      const address = await first.waitFor(/^listening: (.*)$/)
      peers.push(await PeerProcess.start({ name: 'k2', dataDir: join(dir, 'k2'), bootstrap: address, args, env: { HOME: dir } }))
      await Promise.all(peers.map(async p => p.waitFor(/^(founded a new ring|joined the ring)/, 30_000)))
      await waitFor(async () => (await ask(first.socket, { op: 'put', key: 'k', value: 'v' })).ok === true, 20_000, () => 'the two peers never took a put')
      assert.equal((await ask((peers[1] as PeerProcess).socket, { op: 'get', key: 'k' })).value, 'v')
      const outsider = await stockNodeWith()
      try {
        await assert.rejects(outsider.dial(multiaddr(address), { signal: AbortSignal.timeout(3000) }))
      } finally {
        await outsider.stop()
      }
    } finally {
      await Promise.all(peers.map(async p => p.stop('SIGKILL')))
    }
  })

  test('start with a missing or malformed key file exits 1 naming the file and the problem', async () => {
    const bad = join(dir, 'bad.key')
    await writeFile(bad, '/key/swarm/psk/1.0.0/\n/base16/\nnot-hex\n')
    const cases: Array<[string[], RegExp]> = [
      [['--swarm-key', join(dir, 'absent.key')], /cannot read the swarm key file .*absent\.key/],
      [['--swarm-key', bad], /the swarm key file .*bad\.key must hold 64 hexadecimal digits/]
    ]
    const outcomes = await Promise.all(cases.map(async ([args], i) => chordkv(['start', '--storage', 'memory', '--data-dir', join(dir, `data-${i}`), ...args], { env: { HOME: dir } })))
    outcomes.forEach((outcome, i) => {
      assertExit(outcome, 1)
      assert.match(outcome.stderr, (cases[i] as [string[], RegExp])[1])
    })
  })
})
