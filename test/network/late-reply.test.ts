import assert from 'node:assert/strict'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { PeerProcess } from '../../src/cli/peer-process.js'
import { RequestTimeoutError } from '../../src/errors.js'
import { tempDir } from '../utils/control.js'
import { FAST_RING, startPeer, stopAll, waitFor } from '../utils/network.js'

const TIMEOUT_MS = 100
const TRIALS = 5

/** Keeps this event loop busy for `ms`, as a saturated process is. */
function busy (ms: number): void {
  const until = performance.now() + ms
  while (performance.now() < until) { /* nothing: the loop is busy */ }
}

test('a reply that came while this process was busy past the timeout is taken, not a timeout', async (t) => {
  const dir = await tempDir()
  // The peer answering is another process, so it answers while this one is busy.
  const remote = await PeerProcess.start({ name: 'remote', dataDir: join(dir, 'remote') })
  t.after(async () => {
    await remote.stop()
    await rm(dir, { recursive: true, force: true })
  })
  const bootstrap = await remote.waitFor(/^listening: (.*)$/)
  const local = await startPeer([bootstrap], { ...FAST_RING, rpcTimeout: { initialMs: TIMEOUT_MS, minMs: TIMEOUT_MS, maxMs: TIMEOUT_MS } })
  t.after(async () => { await stopAll([local]) })
  const { node, transport } = local.services.chord.testing
  await waitFor(() => node.state.successor.peer !== node.self.peer, 30_000, () => 'the local peer did not join the remote one')
  const to = node.state.successor
  await transport.ping(to) // the stream is open

  const outcomes: string[] = []
  for (let trial = 0; trial < 4 * TRIALS && outcomes.length < TRIALS; trial++) {
    let settled = false
    const answer = transport.ping(to).then(
      () => 'answered',
      (err: unknown) => { if (err instanceof RequestTimeoutError) return 'timed out'; throw err }
    ).finally(() => { settled = true })
    // Once the request is out (its reply not yet read), this process is busy
    // for several timeouts; the remote answers meanwhile, and its reply waits
    // in the socket while the timer comes due.
    await new Promise(resolve => setImmediate(resolve))
    if (settled) continue
    busy(6 * TIMEOUT_MS)
    outcomes.push(await answer)
  }
  assert.ok(outcomes.length > 0, 'every reply was read before this process got busy')
  // A remote slower than the busy stretch times out either way; a reply that
  // was here is never taken for a timeout.
  assert.ok(outcomes.includes('answered'), `replies waiting unread were judged timeouts: ${outcomes.join(', ')}`)
})
