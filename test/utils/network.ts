import { generateKeyPair } from '@libp2p/crypto/keys'
import { createPeer, type ChordPeer } from '../../src/peer.js'
import type { ChordServiceInit } from '../../src/service.js'
import type { NodeSnapshot, Snapshot } from '../../src/ring/invariants.js'

/** Fast maintenance so convergence takes seconds in tests. */
export const FAST_RING: Omit<ChordServiceInit, 'bootstrap'> = {
  stabilizeIntervalMs: 100,
  fixFingersIntervalMs: 100,
  checkPredecessorIntervalMs: 200,
  suspectMs: 2000,
  joinRetryMs: { initial: 100, max: 1000 },
  rpcTimeout: { initialMs: 1000, minMs: 300, maxMs: 2000 }
}

/** Many peers on one host: lift libp2p's per-IP inbound rate limits. */
const LOCAL_CONNECTIONS = { inboundConnectionThreshold: 10_000, maxIncomingPendingConnections: 1000 }

/** Starts a real libp2p peer on an ephemeral loopback port. */
export async function startPeer (bootstrap: readonly string[], chord: Omit<ChordServiceInit, 'bootstrap'> = FAST_RING): Promise<ChordPeer> {
  return createPeer({
    listen: ['/ip4/127.0.0.1/tcp/0'],
    bootstrap,
    privateKey: await generateKeyPair('Ed25519'),
    chord,
    connectionManager: LOCAL_CONNECTIONS
  })
}

/** The first multiaddr of a peer, with its `/p2p/` suffix. */
export function addressOf (peer: ChordPeer): string {
  const addr = peer.getMultiaddrs()[0]
  if (addr === undefined) throw new Error('peer has no address')
  return addr.toString()
}

/** Starts `n` peers: the first founds the ring, the rest join through it; resolves once all joined. */
export async function startRing (n: number, chord: Omit<ChordServiceInit, 'bootstrap'> = FAST_RING): Promise<ChordPeer[]> {
  const first = await startPeer([], chord)
  const rest = await Promise.all(Array.from({ length: n - 1 }, async () => startPeer([addressOf(first)], chord)))
  const peers = [first, ...rest]
  await waitFor(() => peers.every(p => p.services.chord.joined), 30_000, () => `${peers.filter(p => !p.services.chord.joined).length} peers still joining`)
  return peers
}

/** A global snapshot for the invariant checker; stopped peers are listed as dead. */
export function snapshotOf (peers: readonly ChordPeer[], stopped: ReadonlySet<ChordPeer> = new Set()): Snapshot {
  const snap = new Map<string, NodeSnapshot>()
  for (const p of peers) {
    const node = p.services.chord.node
    snap.set(node.self.peer, { ...node.snapshot(), alive: !stopped.has(p) })
  }
  return snap
}

/**
 * Polls `check` until it returns true or the deadline passes; `describe`
 * explains the last state on failure. Tests wait on state, never on sleeps.
 */
export async function waitFor (check: () => boolean | Promise<boolean>, timeoutMs: number, describe: () => string, pollMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (true) {
    if (await check()) return
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`)
    await new Promise(resolve => setTimeout(resolve, pollMs))
  }
}

/** Stops peers, ignoring errors from ones already stopped. */
export async function stopAll (peers: readonly ChordPeer[]): Promise<void> {
  await Promise.all(peers.map(async p => {
    try {
      await p.stop()
    } catch {}
  }))
}
