import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { PeerProcess } from '../../src/cli/peer-process.js'
import { ControlClient } from '../../src/control/client.js'
import { ask, tempDir } from '../utils/control.js'
import { Hosts, hostsOffered, hostsUnavailable, type Host } from '../utils/hosts.js'
import { waitFor } from '../utils/network.js'
import { invariantViolations, snapshotOfSockets, waitForIdealSockets } from '../utils/process-ring.js'
import { skipUnlessAvailable } from '../utils/required.js'
import { checkIdeal } from '../../src/ring/invariants.js'

/**
 * chordkv as deployed: six hosts (network namespaces with their own IPs on
 * one switch), one peer process on each, every setting at its default,
 * peers connecting by multiaddr. Partitions cut the switch.
 */

const R = 8
const PORT = 4001
const skip = skipUnlessAvailable('network-namespace hosts', await hostsUnavailable(), await hostsOffered())

const addressOf = (host: Host): string => `/ip4/${host.ip}/tcp/${PORT}`

/** Starts the peer of `host`; `bootstrap` as given on its command line. */
async function startOn (hosts: Hosts, host: Host, dir: string, bootstrap: readonly string[] = []): Promise<PeerProcess> {
  return PeerProcess.start({
    name: `h${host.index}`,
    dataDir: join(dir, `h${host.index}`),
    listen: addressOf(host),
    bootstrap,
    wrap: hosts.wrap(host),
    // Keep logs quiet; the socket path is short enough under the temp dir.
    env: { DEBUG: '' }
  })
}

/** Puts keys through one peer's socket, pipelined; resolves with the keys whose write was acknowledged. */
async function putAll (socket: string, entries: ReadonlyArray<readonly [string, string]>): Promise<string[]> {
  const client = await ControlClient.connect(socket)
  try {
    const replies = await Promise.all(entries.map(async ([key, value]) => client.request({ op: 'put', key, value })))
    return entries.filter((_, i) => replies[i]?.ok === true).map(([key]) => key)
  } finally {
    client.close()
  }
}

/** The values (or error codes) one peer reads for the keys. */
async function readAll (socket: string, keys: readonly string[]): Promise<string[]> {
  const client = await ControlClient.connect(socket)
  try {
    const replies = await Promise.all(keys.map(async key => client.request({ op: 'get', key })))
    return replies.map(r => (r.ok === true ? String(r.value) : `error:${String((r.error as { code: string }).code)}`))
  } finally {
    client.close()
  }
}

/** Waits until every peer reads every key as expected; explains the first differences. */
async function waitForReads (peers: readonly PeerProcess[], expected: ReadonlyMap<string, string>, timeoutMs: number): Promise<void> {
  const keys = [...expected.keys()]
  let wrong: string[] = []
  await waitFor(async () => {
    wrong = []
    for (const peer of peers) {
      const values = await readAll(peer.socket, keys).catch((err: Error) => keys.map(() => `error:${err.message}`))
      values.forEach((v, i) => { if (v !== expected.get(keys[i] as string)) wrong.push(`${peer.name} ${keys[i]}: ${v} (expected ${expected.get(keys[i] as string)})`) })
    }
    return wrong.length === 0
  }, timeoutMs, () => `${wrong.length} reads differ, e.g.\n${wrong.slice(0, 8).join('\n')}`, 500)
}

describe('six hosts, one peer each, joined by multiaddr: ring, data and a founder restart', { skip }, () => {
  let hosts: Hosts
  let dir: string
  let peers: PeerProcess[] = []
  let founderId = ''

  before(async () => {
    hosts = await Hosts.create(6)
    dir = await tempDir('chordkv-hosts-')
    const [first, ...rest] = hosts.hosts as [Host, ...Host[]]
    const founder = await startOn(hosts, first, dir)
    founderId = await founder.waitFor(/^peer id: (\S+)/)
    await founder.waitFor(/^founded a new ring/)
    // Bootstrap entries with and without the founder's peer ID.
    const others = await Promise.all(rest.map(async (host, i) => startOn(hosts, host, dir, [i % 2 === 0 ? addressOf(first) : `${addressOf(first)}/p2p/${founderId}`])))
    peers = [founder, ...others]
  })

  after(async () => {
    await Promise.all(peers.map(async p => p.stop('SIGKILL')))
    await hosts?.destroy()
  })

  test('the six peers form one ideal ring over their own IPs; 500 keys put through one host read back through another', async () => {
    await waitForIdealSockets(peers, R, 60_000)
    assert.deepEqual(await invariantViolations(peers, R), [])
    const status = await ask((peers[3] as PeerProcess).socket, { op: 'status' })
    assert.ok((status.addrs as string[]).some(a => a.startsWith(`${addressOf(hosts.hosts[3] as Host)}/p2p/`)), JSON.stringify(status.addrs))
    const entries = Array.from({ length: 500 }, (_, i) => [`key-${i}`, `value-${i}`] as const)
    const acked = await putAll((peers[1] as PeerProcess).socket, entries)
    assert.equal(acked.length, 500)
    assert.deepEqual(await readAll((peers[4] as PeerProcess).socket, entries.map(([k]) => k)), entries.map(([, v]) => v))
  })

  test('the founder, SIGKILLed and restarted with its original command (no bootstrap), holds its records before it reaches the ring, then rejoins the same ring; its keys read through it', async () => {
    const [first, ...rest] = hosts.hosts as [Host, ...Host[]]
    const held = (await ask((peers[0] as PeerProcess).socket, { op: 'status' })).keys as number
    assert.ok(held > 0)
    await (peers[0] as PeerProcess).stop('SIGKILL')
    // Cut off, nothing can refill its store: what it holds is what LevelDB kept.
    await hosts.partition([[first], rest])
    const restarted = await startOn(hosts, first, dir)
    peers[0] = restarted
    assert.equal(await restarted.waitFor(/^peer id: (\S+)/), founderId)
    await restarted.waitFor(/^control socket:/)
    const cutOff = await ask(restarted.socket, { op: 'status' })
    assert.deepEqual([cutOff.state, cutOff.keys], ['joining', held])
    await hosts.heal()
    const how = await restarted.waitFor(/^((founded a new ring|joined the ring).*)$/)
    assert.match(how, /^joined the ring through/)
    await waitForIdealSockets(peers, R, 60_000)
    const keys = Array.from({ length: 500 }, (_, i) => `key-${i}`)
    assert.deepEqual(await readAll(restarted.socket, keys), keys.map((_, i) => `value-${i}`))
    const health = await ask(restarted.socket, { op: 'health' })
    assert.equal(health.healthy, true, JSON.stringify(health))
  })
})

describe('six hosts started at once with one shared bootstrap list; partitions 3|3 and 2|2|2 heal into one ring', { skip }, () => {
  let hosts: Hosts
  let dir: string
  let peers: PeerProcess[] = []
  const written = new Map<string, string>()

  before(async () => {
    hosts = await Hosts.create(6)
    dir = await tempDir('chordkv-hosts-')
    const shared = hosts.hosts.map(addressOf)
    peers = await Promise.all(hosts.hosts.map(async host => startOn(hosts, host, dir, shared)))
  })

  after(async () => {
    await Promise.all(peers.map(async p => p.stop('SIGKILL')))
    await hosts?.destroy()
  })

  test('every peer skips its own entry, and the six form one ideal ring with one tag', async t => {
    await waitForIdealSockets(peers, R, 60_000)
    const how = await Promise.all(peers.map(async p => p.waitFor(/^((founded a new ring|joined the ring).*)$/)))
    // Normally one founds; two that founded at the same moment have merged by now.
    t.diagnostic(`${how.filter(line => line.startsWith('founded')).length} peer(s) founded a ring`)
    const statuses = await Promise.all(peers.map(async p => ask(p.socket, { op: 'status' })))
    assert.equal(new Set(statuses.map(s => (s.ring as { tag: string }).tag)).size, 1, 'one ring tag')
    assert.ok(peers.every(p => !p.lines.some(l => /dial self/i.test(l))), 'no peer dialled itself')
    const entries = Array.from({ length: 100 }, (_, i) => [`pre-${i}`, `before-${i}`] as const)
    assert.equal((await putAll((peers[0] as PeerProcess).socket, entries)).length, 100)
    for (const [k, v] of entries) written.set(k, v)
  })

  test('cut 3|3 for 20 s with writes on both sides (some to the same keys), then healed: one ideal ring, every acknowledged write readable everywhere, the later write winning', async t => {
    const sideA = peers.slice(0, 3)
    const sideB = peers.slice(3)
    const cutAt = Date.now()
    await hosts.partition([hosts.hosts.slice(0, 3), hosts.hosts.slice(3)])
    // Each side becomes a ring of its own and keeps accepting writes (AP).
    await Promise.all([waitForIdealSockets(sideA, R, 60_000), waitForIdealSockets(sideB, R, 60_000)])
    for (const side of [sideA, sideB]) assert.deepEqual(await invariantViolations(side, R), [])
    const onA = Array.from({ length: 50 }, (_, i) => [`a-${i}`, `from-a-${i}`] as const)
    const onB = Array.from({ length: 50 }, (_, i) => [`b-${i}`, `from-b-${i}`] as const)
    const bothA = Array.from({ length: 20 }, (_, i) => [`both-${i}`, `a-wrote-${i}`] as const)
    const bothB = Array.from({ length: 20 }, (_, i) => [`both-${i}`, `b-wrote-${i}`] as const)
    const ackedA = await putAll((sideA[0] as PeerProcess).socket, [...onA, ...bothA])
    const ackedB = await putAll((sideB[1] as PeerProcess).socket, [...onB, ...bothB])
    t.diagnostic(`acknowledged during the cut: ${ackedA.length} of ${onA.length + bothA.length} on one side, ${ackedB.length} of ${onB.length + bothB.length} on the other`)
    // Three peers a side, W = 2: each side takes every write.
    assert.deepEqual([ackedA.length, ackedB.length], [onA.length + bothA.length, onB.length + bothB.length], 'both sides took every write')
    // Every acknowledged write must survive; for keys written on both sides the later (B's) write wins.
    for (const [k, v] of [...onA, ...bothA]) if (ackedA.includes(k)) written.set(k, v)
    for (const [k, v] of [...onB, ...bothB]) if (ackedB.includes(k)) written.set(k, v)
    await waitFor(() => Date.now() - cutAt >= 20_000, 30_000, () => 'the cut lasted 20 s')
    const healedAt = Date.now()
    await hosts.heal()
    await waitForIdealSockets(peers, R, 60_000)
    const mergedIn = Date.now() - healedAt
    assert.deepEqual(await invariantViolations(peers, R), [])
    await waitForReads(peers, written, 60_000)
    t.diagnostic(`one ideal ring ${(mergedIn / 1000).toFixed(1)} s after the heal; every read agrees ${((Date.now() - healedAt) / 1000).toFixed(1)} s after it`)
    const statuses = await Promise.all(peers.map(async p => ask(p.socket, { op: 'status' })))
    assert.equal(new Set(statuses.map(s => (s.ring as { tag: string }).tag)).size, 1, 'one ring tag')
  })

  test('cut 2|2|2 and healed at once: the three rings merge into one ideal ring', async t => {
    await hosts.partition([hosts.hosts.slice(0, 2), hosts.hosts.slice(2, 4), hosts.hosts.slice(4)])
    const sides = [peers.slice(0, 2), peers.slice(2, 4), peers.slice(4)]
    await Promise.all(sides.map(async side => waitForIdealSockets(side, R, 60_000)))
    // The sides keep the ring's tag (a loss raises none); on each, the peer
    // whose successor was across the cut watches it, silent, for a split.
    type Seen = { ring: { tag: string }, membership: { vanished: number } }
    const statuses = async (side: readonly PeerProcess[]): Promise<Seen[]> => await Promise.all(side.map(async p => await ask(p.socket, { op: 'status' }) as unknown as Seen))
    await waitFor(async () => (await Promise.all(sides.map(statuses))).every(side => side.some(s => s.membership.vanished > 0)), 30_000, () => 'a peer on each side watches a lost successor', 250)
    assert.equal(new Set((await statuses(peers)).map(s => s.ring.tag)).size, 1, 'three rings under one tag')
    const healedAt = Date.now()
    await hosts.heal()
    await waitForIdealSockets(peers, R, 60_000)
    t.diagnostic(`one ideal ring ${((Date.now() - healedAt) / 1000).toFixed(1)} s after the heal`)
    assert.deepEqual(checkIdeal(await snapshotOfSockets(peers), R), [])
    await waitForReads(peers, written, 60_000)
    // Once merged, health is green again everywhere.
    await waitFor(async () => (await Promise.all(peers.map(async p => ask(p.socket, { op: 'health' })))).every(h => h.healthy === true), 30_000, () => 'health did not recover')
  })
})
