import assert from 'node:assert/strict'
import { createConnection } from 'node:net'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { PeerProcess } from '../../src/cli/peer-process.js'
import { ControlClient } from '../../src/control/client.js'
import { ringIdOfKey } from '../../src/ring/hash.js'
import { idToHex, SHA256_SPACE } from '../../src/ring/ids.js'
import { assertExit, chordkv } from '../utils/cli.js'
import { ask, readAll, tempDir } from '../utils/control.js'
import { waitFor } from '../utils/network.js'

/** Quick maintenance for a test ring (the settings users would put in CHORDKV_… variables). */
const FAST_ENV = {
  CHORDKV_STORAGE: 'leveldb',
  CHORDKV_SUCCESSORS: '3',
  CHORDKV_STABILIZE_INTERVAL_MS: '100',
  CHORDKV_FIX_FINGERS_INTERVAL_MS: '100',
  CHORDKV_CHECK_PREDECESSOR_INTERVAL_MS: '200'
}

/** Whether something accepts TCP connections on the loopback port. */
async function acceptsConnections (port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = createConnection({ host: '127.0.0.1', port })
    socket.once('connect', () => { socket.destroy(); resolve(true) })
    socket.once('error', () => { resolve(false) })
  })
}

/** Whether the ring seen from the peers' status is one cycle through all of them. */
async function ringClosed (peers: readonly PeerProcess[]): Promise<boolean> {
  const statuses = await Promise.all(peers.map(async p => ask(p.socket, { op: 'status' })))
  const next = new Map(statuses.map(s => [s.peerId as string, ((s.successors as Array<{ peerId: string }>)[0])?.peerId]))
  let at = statuses[0]?.peerId as string
  for (let i = 0; i < peers.length; i++) at = next.get(at) as string
  const seen = new Set<string>()
  for (let i = 0; i < peers.length; i++) {
    seen.add(at)
    at = next.get(at) as string
  }
  return seen.size === peers.length && statuses.every(s => s.state === 'joined')
}

describe('five peers as separate processes through the CLI', () => {
  let dir: string
  const peers: PeerProcess[] = []
  const keys = Array.from({ length: 100 }, (_, i) => `key-${i}`)
  const expected = keys.map((_, i) => `value-${i}`)

  before(async () => {
    dir = await tempDir('chordkv-e2e-')
    let bootstrap: string | undefined
    for (let i = 1; i <= 5; i++) {
      const peer = await PeerProcess.start({ name: `p${i}`, dataDir: join(dir, `p${i}`), bootstrap, env: FAST_ENV })
      peers.push(peer)
      bootstrap ??= await peer.waitFor(/^listening: (.*)$/)
    }
    await Promise.all(peers.map(async p => p.waitFor(/^(founded a new ring|joined the ring)/)))
    await waitFor(async () => ringClosed(peers), 20_000, () => 'the ring did not close')
  })

  after(async () => {
    await Promise.all(peers.map(async p => p.stop('SIGKILL')))
  })

  test('100 keys put through one socket are read through every other socket', async () => {
    const client = await ControlClient.connect((peers[0] as PeerProcess).socket)
    const puts = await Promise.all(keys.map(async (key, i) => client.request({ op: 'put', key, value: expected[i] })))
    client.close()
    assert.ok(puts.every(r => r.ok === true), JSON.stringify(puts.find(r => r.ok !== true)))
    for (const peer of peers.slice(1)) assert.deepEqual(await readAll(peer.socket, keys), expected)
  })

  test('after one peer is stopped with SIGTERM every key is still read', async () => {
    const victim = peers[2] as PeerProcess
    assert.equal(await victim.stop('SIGTERM'), 0)
    assert.ok(victim.lines.some(l => /leaving the ring/.test(l)), 'it left gracefully')
    const live = peers.filter(p => p !== victim)
    for (const peer of live) assert.deepEqual(await readAll(peer.socket, keys), expected)
  })

  test('restarted on its data directory, the peer rejoins with the same peer ID', async () => {
    const old = peers[2] as PeerProcess
    const oldId = await old.waitFor(/^peer id: (\S+)/)
    const restarted = await PeerProcess.start({ name: 'p3-again', dataDir: old.dataDir, bootstrap: await (peers[0] as PeerProcess).waitFor(/^listening: (.*)$/), env: FAST_ENV })
    peers[2] = restarted
    assert.equal(await restarted.waitFor(/^peer id: (\S+)/), oldId)
    assert.ok(!restarted.lines.some(l => l.includes('new identity')))
    await restarted.waitFor(/^joined the ring/)
    await waitFor(async () => ringClosed(peers), 20_000, () => 'the ring did not close around the restarted peer')
    const status = await ask(restarted.socket, { op: 'status' })
    assert.equal(status.peerId, oldId)
    assert.deepEqual(await readAll(restarted.socket, keys), expected)
  })

  test('chordkv ring, run from any peer, lists the 5 processes in ring order', async () => {
    const ring = await chordkv(['ring', '--json', '--socket', (peers[1] as PeerProcess).socket], { env: { HOME: dir } })
    assertExit(ring, 0)
    const view = JSON.parse(ring.out) as { closed: boolean, warnings: string[], members: Array<{ peerId: string, ringId: string, keysOwned: number }> }
    assert.deepEqual(view.warnings, [])
    assert.equal(view.closed, true)
    const ids = await Promise.all(peers.map(async p => (await ask(p.socket, { op: 'status' })).peerId as string))
    assert.deepEqual(new Set(view.members.map(m => m.peerId)), new Set(ids))
    // ring order: ring ids ascend once round from the walking peer
    const ringIds = view.members.map(m => m.ringId)
    const wraps = ringIds.filter((id, i) => i > 0 && id < (ringIds[i - 1] as string)).length
    assert.ok(wraps <= 1, ringIds.join(' '))
    assert.equal(view.members.reduce((sum, m) => sum + m.keysOwned, 0), keys.length)
  })

  test('chordkv leave --wait returns once the hand-off is done; the peer exits 0 and every key is still read', async () => {
    const leaving = peers[4] as PeerProcess
    const leave = await chordkv(['leave', '--wait', '--socket', leaving.socket], { env: { HOME: dir } })
    assertExit(leave, 0)
    assert.equal(leave.out, 'the peer handed its keys to its successor and stopped\n')
    // "stopped" is true when printed: the peer no longer listens (libp2p has stopped), whether or not the process has exited yet.
    const [, port] = /\/tcp\/(\d+)\//.exec(await leaving.waitFor(/^listening: (.*)$/)) ?? []
    assert.equal(await acceptsConnections(Number(port)), false, 'the peer still listened when leave --wait said it had stopped')
    assert.equal(await leaving.exited, 0)
    for (const peer of peers.slice(0, 4)) assert.deepEqual(await readAll(peer.socket, keys), expected)
  })
})

describe('six peers as processes, two adjacent ones killed with SIGKILL', () => {
  const peers: PeerProcess[] = []
  after(async () => { await Promise.all(peers.map(async p => p.stop('SIGKILL'))) })

  test('every acknowledged write survives (k = 3) and is read through every survivor; a victim restarted alone serves its own store', async () => {
    const dir = await tempDir('chordkv-e2e-kill-')
    let bootstrap: string | undefined
    for (let i = 1; i <= 6; i++) {
      const peer = await PeerProcess.start({ name: `k${i}`, dataDir: join(dir, `k${i}`), bootstrap, env: { ...FAST_ENV, CHORDKV_REPAIR_INTERVAL_MS: '500' } })
      peers.push(peer)
      bootstrap ??= await peer.waitFor(/^listening: (.*)$/)
    }
    await Promise.all(peers.map(async p => p.waitFor(/^(founded a new ring|joined the ring)/)))
    await waitFor(async () => ringClosed(peers), 20_000, () => 'the ring did not close')

    const keys = Array.from({ length: 200 }, (_, i) => `kill-${i}`)
    const client = await ControlClient.connect((peers[0] as PeerProcess).socket)
    const puts = await Promise.all(keys.map(async (key, i) => client.request({ op: 'put', key, value: `value-${i}` })))
    client.close()
    assert.ok(puts.every(r => r.ok === true && (r.replicas as number) >= 2), JSON.stringify(puts.find(r => r.ok !== true)))

    // Written while the ring was still settling, a few records may sit on a peer outside their replica set until
    // hand-off moves them, while repair still brings it some it lacks: wait until every peer holds as many records
    // as its replica arcs have keys, three polls in a row (one poll can match while a surplus and a shortfall cancel).
    let statuses: Array<Record<string, unknown>> = []
    let matched = 0
    const inArcs = (ringIds: readonly string[], ringId: string): number => keys.filter(key => replicaSet(ringIds, key).includes(ringId)).length
    await waitFor(async () => {
      statuses = await Promise.all(peers.map(async p => ask(p.socket, { op: 'status' })))
      const ringIds = statuses.map(s => s.ringId as string).sort()
      matched = statuses.every(s => s.keys === inArcs(ringIds, s.ringId as string)) ? matched + 1 : 0
      return matched >= 3
    }, 60_000, () => `peers hold ${statuses.map(s => s.keys).join(', ')} records; their replica arcs ${statuses.map(s => inArcs(statuses.map(t => t.ringId as string).sort(), s.ringId as string)).join(', ')} keys`, 500)

    // Two ring-adjacent peers die at once, without any goodbye.
    const order = statuses.map((s, i) => ({ ringId: s.ringId as string, peer: peers[i] as PeerProcess })).sort((a, b) => (a.ringId < b.ringId ? -1 : 1))
    const victims = [order[2], order[3]].map(o => (o as { peer: PeerProcess }).peer)
    await Promise.all(victims.map(async v => v.stop('SIGKILL')))
    const survivors = peers.filter(p => !victims.includes(p))
    const expected = keys.map((_, i) => `value-${i}`)
    for (const peer of survivors) assert.deepEqual(await readAll(peer.socket, keys), expected)

    // Durable across SIGKILL: a victim restarted with every other peer gone
    // (nothing can refill its store) still holds, and serves, every record it held.
    const victim = victims[0] as PeerProcess
    const before = statuses[peers.indexOf(victim)] as { ringId: string, keys: number }
    const held = keys.filter(key => replicaSet(order.map(o => o.ringId), key).includes(before.ringId))
    assert.ok(held.length > 0 && before.keys === held.length, `the victim held ${before.keys} records; ${held.length} keys are in its replica arcs`)
    await Promise.all(survivors.map(async p => p.stop('SIGKILL')))
    const restarted = await PeerProcess.start({ name: 'k-restarted', dataDir: victim.dataDir, env: { ...FAST_ENV, CHORDKV_FOUND_AFTER_MS: '2000' } })
    peers.push(restarted)
    await restarted.waitFor(/^control socket:/)
    const joining = await ask(restarted.socket, { op: 'status' })
    assert.equal(joining.state, 'joining')
    // Every record it held; a copy repair sent it in the moment before the kill may come on top.
    assert.ok((joining.keys as number) >= before.keys, `its store, read before it reaches any ring, holds ${String(joining.keys)} records; it held ${before.keys}`)
    // Alone, it founds a ring once its remembered members stay silent, and answers from its own store.
    assert.match(await restarted.waitFor(/^((founded a new ring|joined the ring).*)$/), /^founded a new ring/)
    assert.deepEqual(await readAll(restarted.socket, held), held.map(key => `value-${keys.indexOf(key)}`))
  })
})

/** The ring ids (hex, of peers in ring order) of the k = 3 replicas of `key`: its owner and the next two. */
function replicaSet (ringIds: readonly string[], key: string): string[] {
  const id = idToHex(SHA256_SPACE, ringIdOfKey(new TextEncoder().encode(key)))
  const owner = Math.max(0, ringIds.findIndex(r => r >= id))
  return [0, 1, 2].map(j => ringIds[(owner + j) % ringIds.length] as string)
}
