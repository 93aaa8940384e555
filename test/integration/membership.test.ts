import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { FAST_RING, crash, startPeer, stopAll, waitFor } from '../utils/network.js'
import { waitForIdealRing } from '../utils/ring-checks.js'
import type { ChordPeer } from '../../src/chord/peer.js'
import type { MemberStore, RememberedMember } from '../../src/node/member-book.js'
import type { PrivateKey } from '@libp2p/interface'

const R = 4
const RING = { ...FAST_RING, successors: R, foundAfterMs: 30_000 }

/** Free loopback TCP ports (bound and released at once; the peers take them right after). */
async function freePorts (n: number): Promise<number[]> {
  return Promise.all(Array.from({ length: n }, async () => new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => { resolve(port) })
    })
  })))
}

/** A member store in memory that outlives the peer using it (a data directory across a restart). */
class MemoryMembers implements MemberStore {
  saved: RememberedMember[] = []
  async load (): Promise<RememberedMember[]> { return this.saved }
  async save (members: readonly RememberedMember[]): Promise<void> { this.saved = [...members] }
}

/** The distinct ring tags the peers carry. */
function tagsOf (peers: readonly ChordPeer[]): Set<string> {
  return new Set(peers.map(p => { const t = p.services.chord.status().tag; return t === undefined ? 'none' : `${t.epoch}-${t.nonce}` }))
}

/** Whether any peer found a member of another ring, or was invited to merge: a second ring existed. */
function anyMerge (peers: readonly ChordPeer[]): boolean {
  return peers.some(p => p.services.chord.status().merges.splitsFound + p.services.chord.status().merges.invitations > 0)
}

test('peers started at once with one shared bootstrap list naming all of them by peer ID form one ring; exactly one founds', async () => {
  const ports = await freePorts(5)
  const keys: PrivateKey[] = await Promise.all(ports.map(async () => generateKeyPair('Ed25519')))
  const shared = ports.map((port, i) => `/ip4/127.0.0.1/tcp/${port}/p2p/${peerIdFromPrivateKey(keys[i] as PrivateKey).toString()}`)
  const peers = await Promise.all(ports.map(async (port, i) => startPeer(shared, RING, { listen: `/ip4/127.0.0.1/tcp/${port}`, privateKey: keys[i] })))
  try {
    await waitForIdealRing(peers, R, 20_000)
    // One founder and four joiners: one tag, and no second ring ever had to be merged.
    assert.equal(tagsOf(peers).size, 1)
    assert.equal(anyMerge(peers), false)
  } finally {
    await stopAll(peers)
  }
})

test('peers started at once with one shared list, some entries without /p2p/ (each peer skips its own), form one ring', async () => {
  const ports = await freePorts(5)
  const keys: PrivateKey[] = await Promise.all(ports.map(async () => generateKeyPair('Ed25519')))
  const shared = ports.map((port, i) => `/ip4/127.0.0.1/tcp/${port}${i % 2 === 0 ? '' : `/p2p/${peerIdFromPrivateKey(keys[i] as PrivateKey).toString()}`}`)
  const peers = await Promise.all(ports.map(async (port, i) => startPeer(shared, RING, { listen: `/ip4/127.0.0.1/tcp/${port}`, privateKey: keys[i] })))
  try {
    // A peer whose lower neighbour's address names no ID may found beside it; the rings then merge.
    await waitForIdealRing(peers, R, 30_000)
    await waitFor(() => tagsOf(peers).size === 1, 10_000, () => `ring tags: ${[...tagsOf(peers)].join(', ')}`)
  } finally {
    await stopAll(peers)
  }
})

test('two rings founded apart merge into one ideal ring once a peer knows a member of each', async () => {
  const a = await startPeer([], RING)
  const b = await startPeer([], RING)
  const c = await startPeer([a.getMultiaddrs()[0]?.toString() ?? '', b.getMultiaddrs()[0]?.toString() ?? ''], RING)
  const d = await startPeer([b.getMultiaddrs()[0]?.toString() ?? ''], RING)
  const peers = [a, b, c, d]
  try {
    await waitForIdealRing(peers, R, 30_000)
    assert.equal(tagsOf(peers).size, 1, 'one ring tag')
    assert.ok(anyMerge(peers), 'the second ring was found by probing and merged')
  } finally {
    await stopAll(peers)
  }
})

test('a founder restarted without bootstrap rejoins its ring through the members it remembers', async () => {
  const [port] = await freePorts(1)
  const key = await generateKeyPair('Ed25519')
  const stores = Array.from({ length: 4 }, () => new MemoryMembers())
  const listen = `/ip4/127.0.0.1/tcp/${port}`
  const founder = await startPeer([], { ...RING, memberStore: stores[0], memberSaveIntervalMs: 100 }, { listen, privateKey: key })
  const others = await Promise.all([1, 2, 3].map(async i => startPeer([`${listen}`], { ...RING, memberStore: stores[i] })))
  let peers = [founder, ...others]
  try {
    await waitForIdealRing(peers, R, 20_000)
    // Remembered members reach the store without a write per stabilize round.
    await waitFor(() => (stores[0] as MemoryMembers).saved.length === 3, 10_000, () => `remembered: ${(stores[0] as MemoryMembers).saved.length}`)
    await crash(founder)
    const restarted = await startPeer([], { ...RING, memberStore: stores[0] }, { listen, privateKey: key, start: false })
    const how = new Promise<{ via?: string, why?: string }>(resolve => {
      restarted.services.chord.addEventListener('joined', evt => { resolve(evt.detail) }, { once: true })
    })
    await restarted.start()
    peers = [restarted, ...others]
    // It joined through a member it remembered, rather than founding a second ring (merged later).
    const joined = await how
    assert.ok(joined.via !== undefined && others.some(p => p.peerId.toString() === joined.via), `it founded a ring: ${joined.why ?? '?'}`)
    await waitForIdealRing(peers, R, 30_000)
    assert.equal(restarted.peerId.toString(), founder.peerId.toString())
    assert.equal(tagsOf(peers).size, 1)
  } finally {
    await stopAll(peers)
  }
})
