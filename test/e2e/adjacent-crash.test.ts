import assert from 'node:assert/strict'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { PeerProcess } from '../../src/cli/peer-process.js'
import { ControlClient } from '../../src/control/client.js'
import { ask, tempDir } from '../utils/control.js'
import { waitFor } from '../utils/network.js'
import { ringIdeal } from '../utils/process-ring.js'

/**
 * The scenario that once answered NOT_FOUND for acknowledged keys: 8 peers
 * as processes (LevelDB), 1000 keys put through one peer's socket all at
 * once (each twice, so a stale answer would show), two ring-adjacent peers
 * killed with SIGKILL, and every key read at once through the first peer,
 * before the ring has noticed. Repeated on fresh rings: each run places the
 * keys and picks the killed pair differently.
 */

const RUNS = 10
const KEYS = 1000
const ENV = {
  CHORDKV_SUCCESSORS: '4',
  CHORDKV_STABILIZE_INTERVAL_MS: '100',
  CHORDKV_FIX_FINGERS_INTERVAL_MS: '100',
  CHORDKV_CHECK_PREDECESSOR_INTERVAL_MS: '200'
}


/** Sends every request at once on one connection; returns the responses in order. */
async function pipelined (socket: string, requests: ReadonlyArray<Record<string, unknown>>): Promise<Array<Record<string, unknown>>> {
  const client = await ControlClient.connect(socket)
  try {
    return await Promise.all(requests.map(async r => client.request(r)))
  } finally {
    client.close()
  }
}

describe(`8 peer processes, ${KEYS} keys put through one, two ring-adjacent peers killed, every key read at once (${RUNS} runs)`, () => {
  for (let run = 1; run <= RUNS; run++) {
    test(`run ${run}: no NOT_FOUND, no stale value`, async t => {
      const dir = await tempDir('chordkv-e2e-adjacent-')
      const peers: PeerProcess[] = []
      const t0 = performance.now()
      const phases: string[] = []
      const phase = (name: string): void => { phases.push(`${name} ${((performance.now() - t0) / 1000).toFixed(1)} s`) }
      try {
        const first = await PeerProcess.start({ name: 'p1', dataDir: join(dir, 'p1'), env: ENV })
        peers.push(first)
        const bootstrap = await first.waitFor(/^listening: (.*)$/)
        peers.push(...await Promise.all(Array.from({ length: 7 }, async (_, i) => PeerProcess.start({ name: `p${i + 2}`, dataDir: join(dir, `p${i + 2}`), bootstrap, env: ENV }))))
        await Promise.all(peers.map(async p => p.waitFor(/^(founded a new ring|joined the ring)/)))
        phase('joined')
        let statuses: Array<Record<string, unknown>> = []
        await waitFor(async () => ringIdeal(statuses = await Promise.all(peers.map(async p => ask(p.socket, { op: 'status' })))), 30_000, () => 'the ring did not settle')

        phase('ring settled')
        const keys = Array.from({ length: KEYS }, (_, i) => `run-${run}-key-${i}`)
        for (const round of ['first', 'second']) {
          const puts = await pipelined(first.socket, keys.map((key, i) => ({ op: 'put', key, value: `${round}-${i}` })))
          assert.ok(puts.every(r => r.ok === true), JSON.stringify(puts.find(r => r.ok !== true)))
        }

        phase('written')
        // A different adjacent pair each run, never the peer read through.
        const order = statuses.map((s, i) => ({ ringId: s.ringId as string, peer: peers[i] as PeerProcess })).sort((a, b) => (a.ringId < b.ringId ? -1 : 1))
        const at = order.findIndex(o => o.peer === first)
        const victims = [1, 2].map(d => (order[(at + d + (run % 6)) % 8] as { peer: PeerProcess }).peer)
        await Promise.all(victims.map(async v => v.stop('SIGKILL')))

        const reads = await pipelined(first.socket, keys.map(key => ({ op: 'get', key })))
        const notFound = reads.filter(r => (r.error as { code?: string } | undefined)?.code === 'NOT_FOUND').length
        const stale = reads.filter((r, i) => r.ok === true && r.value !== `second-${i}`).length
        const failed = reads.flatMap((r, i) => (r.ok !== true && (r.error as { code: string }).code !== 'NOT_FOUND' ? [i] : []))
        phase('read')
        t.diagnostic(phases.join(', '))
        t.diagnostic(`NOT_FOUND ${notFound}, stale ${stale}, retryable errors ${failed.length} (${[...new Set(failed.map(i => (reads[i]?.error as { code: string }).code))].join(', ')})`)
        assert.equal(notFound, 0, 'no acknowledged key answered NOT_FOUND')
        assert.equal(stale, 0, 'no key answered an older value')
        // An error is not a wrong answer, but it must be one a client retries, and the retry must answer.
        for (const i of failed) assert.ok(['UNREACHABLE', 'TIMEOUT', 'REPLICAS_UNAVAILABLE'].includes((reads[i]?.error as { code: string }).code))
        const retried = await pipelined(first.socket, failed.map(i => ({ op: 'get', key: keys[i] })))
        assert.deepEqual(retried.map(r => r.value), failed.map(i => `second-${i}`))
      } finally {
        await Promise.all(peers.map(async p => p.stop('SIGKILL')))
        await rm(dir, { recursive: true, force: true })
      }
    })
  }
})
