import { startPeer as startTestnetPeer, startRing as startTestnetRing, type PeerPlace, type RingInit } from '../../src/chord/testnet.js'
import type { ChordPeer } from '../../src/chord/peer.js'
import type { NodeSnapshot, Snapshot } from '../../src/ring/invariants.js'

export { addressOf, stopAll } from '../../src/chord/testnet.js'

// The test runner names an error thrown after a test ended by its message alone: its stack tells whose it is.
process.on('uncaughtExceptionMonitor', err => { process.stderr.write(`uncaught exception: ${err.stack ?? String(err)}\n`) })

/** Fast maintenance so convergence takes seconds in tests. */
export const FAST_RING: RingInit = {
  stabilizeIntervalMs: 100,
  fixFingersIntervalMs: 100,
  checkPredecessorIntervalMs: 200,
  suspectMs: 2000,
  probeIntervalMs: 200,
  passive: { capacity: 64, initialMs: 200, maxMs: 2000, patienceMs: 60_000, slowMaxMs: 10_000, forgetMs: 3_600_000 },
  mergeSettleMs: 1000,
  joinRetryMs: { initial: 100, max: 1000 },
  rpcTimeout: { initialMs: 2000, minMs: 1000, maxMs: 5000 },
  watchRenewMs: 1000
}

/** Starts one fast-maintenance peer joining through `bootstrap`. */
export async function startPeer (bootstrap: readonly string[], chord: RingInit = FAST_RING, place: PeerPlace = {}): Promise<ChordPeer> {
  return startTestnetPeer(bootstrap, chord, place)
}

/** Starts a fast-maintenance ring of `n` peers; resolves once all joined. */
export async function startRing (n: number, chord: RingInit = FAST_RING): Promise<ChordPeer[]> {
  return startTestnetRing(n, chord)
}

/** A global snapshot for the invariant checker; stopped peers are listed as dead. */
export function snapshotOf (peers: readonly ChordPeer[], stopped: ReadonlySet<ChordPeer> = new Set()): Snapshot {
  const snap = new Map<string, NodeSnapshot>()
  for (const p of peers) {
    const { chord } = p.services
    snap.set(chord.self.peer, { ...chord.snapshot(), alive: !stopped.has(p) })
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

/** Crashes a peer: its connections are cut without any goodbye, then libp2p stops. */
export async function crash (peer: ChordPeer): Promise<void> {
  for (const connection of peer.getConnections()) connection.abort(new Error('simulated crash'))
  await peer.stop()
}
