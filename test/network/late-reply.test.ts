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
  // Requests time out after TIMEOUT_MS once a round trip is measured; a
  // stream still gets the usual 2 s to open on a busy machine.
  const local = await startPeer([bootstrap], { ...FAST_RING, rpcTimeout: { initialMs: 2000, minMs: TIMEOUT_MS, maxMs: TIMEOUT_MS } })
  t.after(async () => { await stopAll([local]) })
  const { node, transport } = local.services.chord.testing
  await waitFor(() => node.state.successor.peer !== node.self.peer, 30_000, () => 'the local peer did not join the remote one')
  const to = node.state.successor
  // The ring lane's stream is open and the round trip measured (on a busy machine a ping may take a few tries).
  await waitFor(async () => transport.ping(to).then(() => true, () => false), 30_000, () => 'the remote peer never answered a ping')

  const outcomes: string[] = []
  for (let trial = 0; trial < 4 * TRIALS && outcomes.length < TRIALS; trial++) {
    let settled = false
    // The ring lane's requests in flight to the remote: whether ours went out.
    const before = await transport.inFlight(to, 'ring')
    const sent = async (): Promise<boolean> => before !== undefined && ((await transport.inFlight(to, 'ring')) ?? 0) > before
    const answer = transport.ping(to).then(
      () => 'answered',
      (err: unknown) => err instanceof RequestTimeoutError ? 'timed out' : `failed: ${(err as Error).message}`
    ).finally(() => { settled = true })
    // Once the request is out (its reply not yet read), this process is busy
    // for several timeouts; the remote answers meanwhile, and its reply waits
    // in the socket while the timer comes due. A trial counts only if the
    // request was on the wire (a stream still opening would send it after).
    await new Promise(resolve => setImmediate(resolve))
    if (settled || !(await sent())) continue
    busy(8 * TIMEOUT_MS)
    outcomes.push(await answer)
  }
  assert.ok(outcomes.length > 0, 'no trial had its request on the wire and its reply unread when this process got busy')
  // A remote slower than the busy stretch times out either way (and a busy
  // machine may fail a trial otherwise); a reply that was here is never
  // taken for a timeout, so at least one trial is answered.
  assert.ok(outcomes.includes('answered'), `replies waiting unread were judged timeouts: ${outcomes.join(', ')}`)
})
