import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { after, before, describe, test } from 'node:test'
import { PeerProcess } from '../../src/cli/peer-process.js'
import { TRANSPORT } from '../../src/defaults.js'
import { ask, tempDir } from '../utils/control.js'
import { Hosts, hostsOffered, hostsUnavailable, type Host } from '../utils/hosts.js'
import { waitFor } from '../utils/network.js'
import { waitForIdealSockets } from '../utils/process-ring.js'
import { skipUnlessAvailable } from '../utils/required.js'

/**
 * A resting peer sends its successor a request only every 32 s; what finds
 * a neighbour whose host went silent (no FIN, no RST: a lost machine, a cut
 * cable) sooner is the kernel's TCP keep-alive on the connection. Two hosts,
 * one peer each; every periodic request is slowed far past the bound here,
 * so only the keep-alive can notice the cut in time.
 */

const PORT = 4001
const skip = skipUnlessAvailable('network-namespace hosts', await hostsUnavailable(), await hostsOffered())
/** Far past the bound, so that no stabilize round falls between the cut and the kernel's verdict. */
const STABILIZE_MS = 120_000
const quiet = {
  DEBUG: '',
  CHORDKV_STABILIZE_INTERVAL_MS: String(STABILIZE_MS),
  CHORDKV_FIX_FINGERS_INTERVAL_MS: '600000',
  CHORDKV_CHECK_PREDECESSOR_INTERVAL_MS: '600000',
  CHORDKV_REPAIR_INTERVAL_MS: '600000'
}
/** The kernel's verdict: idle this long, then 10 unanswered probes a second apart; and a margin for a busy machine. */
const KERNEL_BOUND_MS = TRANSPORT.keepAliveIdleMs + 10_000 + 4_000

const addressOf = (host: Host): string => `/ip4/${host.ip}/tcp/${PORT}`

/**
 * The host's established TCP connections with their kernel timers (`ss`):
 * `keepalive` on one at rest, `on` (retransmission) on one whose data the
 * other end has not acknowledged yet. The kernel probes only a connection at
 * rest; one cut off with data in flight retransmits instead, for minutes,
 * and its peer is noticed at the next stabilize round (README: Failure
 * detection).
 */
async function connectionTimers (host: Host): Promise<string[]> {
  const { stdout } = await promisify(execFile)('ip', ['netns', 'exec', host.netns, 'ss', '-tnoH', 'state', 'established'])
  return stdout.split('\n').filter(line => line.trim() !== '')
}

describe('a neighbour whose host goes silent is dropped within the keep-alive bound, while stabilize rests', { skip }, () => {
  let hosts: Hosts
  let peers: PeerProcess[] = []

  before(async () => {
    hosts = await Hosts.create(2, 2)
    const dir = await tempDir('chordkv-silent-')
    const start = async (host: Host, bootstrap: string[]): Promise<PeerProcess> => PeerProcess.start({
      name: `h${host.index}`, dataDir: join(dir, `h${host.index}`), listen: addressOf(host), bootstrap, wrap: hosts.wrap(host), env: quiet
    })
    const [first, second] = hosts.hosts as [Host, Host]
    const founder = await start(first, [])
    await founder.waitFor(/founded a new ring/)
    peers = [founder, await start(second, [addressOf(first)])]
  })

  after(async () => {
    await Promise.all(peers.map(async p => p.stop('SIGKILL')))
    await hosts?.destroy()
  })

  test('cut between two peers: each drops the other from its successors well before its next stabilize round', async t => {
    // The founder, alone, stabilizes as soon as the joiner notifies it.
    await waitForIdealSockets(peers, 8, 60_000)
    // The joiner probes its bootstrap peer until it has looked like the same ring long enough
    // (RING.splitDoubtMs): a request that could be in flight at the cut. Its passive list empties then.
    let passive: number[] = []
    await waitFor(async () => {
      passive = await Promise.all(peers.map(async p => ((await ask(p.socket, { op: 'status' })).membership as { passive: number }).passive))
      return passive.every(n => n === 0)
    }, 90_000, () => `passive lists still hold ${JSON.stringify(passive)} peers`, 500)
    // The last round's requests and replies acknowledged: both ends' connections at rest, as the promise is stated.
    let timers: string[][] = []
    await waitFor(async () => {
      timers = await Promise.all(hosts.hosts.map(connectionTimers))
      return timers.every(lines => lines.length > 0 && lines.every(line => line.includes('timer:(keepalive')))
    }, 10_000, () => `connections not at rest: ${JSON.stringify(timers)}`, 100)
    const cutAt = Date.now()
    await hosts.partition([[hosts.hosts[0] as Host], [hosts.hosts[1] as Host]])
    const successors = async (): Promise<string[][]> => Promise.all(peers.map(async p => {
      const status = await ask(p.socket, { op: 'status' })
      return (status.successors as Array<{ peerId: string }>).map(s => s.peerId)
    }))
    const ids = await Promise.all(peers.map(async p => (await ask(p.socket, { op: 'status' })).peerId as string))
    let seen: string[][] = []
    await waitFor(async () => {
      seen = await successors()
      // Each peer alone on its side: the other is on neither list.
      return seen.every((list, i) => !list.includes(ids[1 - i] as string))
    }, KERNEL_BOUND_MS, () => `successor lists ${(Date.now() - cutAt) / 1000} s after the cut: ${JSON.stringify(seen)} (peers ${ids.join(', ')})`, 250)
    const tookMs = Date.now() - cutAt
    t.diagnostic(`both peers dropped the other ${(tookMs / 1000).toFixed(1)} s after the cut`)
    // The stabilize path alone would need a whole resting period (at least 24 s) plus a request timeout.
    assert.ok(tookMs < STABILIZE_MS * 0.8, `dropped after ${tookMs} ms, not sooner than a stabilize round could have`)
  })
})
