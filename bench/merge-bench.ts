/**
 * Merge benchmark: N peers as separate processes on N hosts (network
 * namespaces, own IPs, every setting at its default), started at once with
 * one shared bootstrap list. Keys are written, the hosts are cut in two
 * halves for `--cut` seconds with writes on both sides (some to the same
 * keys), then healed. Measured from the heal: time to one ideal ring, time
 * until three peers read every key as expected, and what repair and
 * hand-off moved. Needs root and `ip netns`.
 *
 *   node dist/bench/merge-bench.js [--sizes 6,12,24] [--cut 20] [--keys 1000]
 */
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { PeerProcess } from '../src/cli/peer-process.js'
import { ControlClient } from '../src/control/client.js'
import { ask, tempDir } from '../test/utils/control.js'
import { Hosts, hostsUnavailable } from '../test/utils/hosts.js'
import { waitForIdealSockets } from '../test/utils/process-ring.js'
import { sleep, table } from './stats.js'

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '6,12,24' }, cut: { type: 'string', default: '20' }, keys: { type: 'string', default: '1000' } } })
const sizes = (values.sizes ?? '').split(',').map(Number)
const cutMs = Number(values.cut) * 1000
const keyCount = Number(values.keys)
const R = 8

const unavailable = await hostsUnavailable()
if (unavailable !== undefined) {
  console.error(`merge-bench needs network-namespace hosts: ${unavailable}`)
  process.exit(1)
}

async function putAll (socket: string, entries: ReadonlyArray<readonly [string, string]>): Promise<number> {
  const client = await ControlClient.connect(socket)
  try {
    const replies = await Promise.all(entries.map(async ([key, value]) => client.request({ op: 'put', key, value })))
    return replies.filter(r => r.ok === true).length
  } finally {
    client.close()
  }
}

/** Reads that differ from what was written last (empty when all agree). */
async function wrongReads (socket: string, expected: ReadonlyMap<string, string>): Promise<string[]> {
  const client = await ControlClient.connect(socket)
  try {
    const keys = [...expected.keys()]
    const replies = await Promise.all(keys.map(async key => client.request({ op: 'get', key })))
    return replies.flatMap((r, i) => (r.ok === true && r.value === expected.get(keys[i] as string) ? [] : [`${keys[i]}: ${JSON.stringify(r.ok === true ? r.value : r.error)}`]))
  } finally {
    client.close()
  }
}

/** Records repair moved and records handed on, summed over the peers. */
async function moved (peers: readonly PeerProcess[]): Promise<{ records: number, bytes: number }> {
  let records = 0
  let bytes = 0
  for (const p of peers) {
    const status = await ask(p.socket, { op: 'status' })
    const m = (status.replication as { moved: { pushed: number, pulled: number, bytes: number, handedOn: number } }).moved
    records += m.pushed + m.pulled + m.handedOn
    bytes += m.bytes
  }
  return { records, bytes }
}

async function until (check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const start = Date.now()
  while (!(await check().catch(() => false))) {
    if (Date.now() - start > timeoutMs) return Number.NaN
    await sleep(250)
  }
  return Date.now() - start
}

async function run (n: number): Promise<Array<string | number>> {
  const hosts = await Hosts.create(n, 2)
  const dir = await tempDir('chordkv-merge-bench-')
  const shared = hosts.hosts.map(h => `/ip4/${h.ip}/tcp/4001`)
  const peers = await Promise.all(hosts.hosts.map(async h => PeerProcess.start({
    name: `h${h.index}`, dataDir: join(dir, `h${h.index}`), listen: `/ip4/${h.ip}/tcp/4001`, bootstrap: shared, wrap: hosts.wrap(h)
  })))
  try {
    await waitForIdealSockets(peers, R, 300_000)
    const expected = new Map<string, string>()
    const before = Array.from({ length: keyCount }, (_, i) => [`k-${i}`, `v-${i}`] as const)
    await putAll((peers[0] as PeerProcess).socket, before)
    for (const [k, v] of before) expected.set(k, v)
    const half = Math.floor(n / 2)
    await hosts.partition([hosts.hosts.slice(0, half), hosts.hosts.slice(half)])
    const cutAt = Date.now()
    const sides = [peers.slice(0, half), peers.slice(half)]
    const splitMs = await until(async () => { await Promise.all(sides.map(async s => waitForIdealSockets(s, R, 0))); return true }, 120_000)
    for (const [i, side] of sides.entries()) {
      const writes = [
        ...Array.from({ length: 100 }, (_, j) => [`side${i}-${j}`, `s${i}-${j}`] as const),
        ...Array.from({ length: 20 }, (_, j) => [`both-${j}`, `side${i}-wrote-${j}`] as const)
      ]
      await putAll((side[0] as PeerProcess).socket, writes)
      for (const [k, v] of writes) expected.set(k, v)
    }
    await sleep(Math.max(0, cutMs - (Date.now() - cutAt)))
    const movedBefore = await moved(peers)
    await hosts.heal()
    const ringMs = await until(async () => { await waitForIdealSockets(peers, R, 0); return true }, 300_000)
    const readers = [peers[0], peers[half], peers[n - 1]] as PeerProcess[]
    let wrong: string[] = []
    const readMs = await until(async () => {
      wrong = (await Promise.all(readers.map(async p => wrongReads(p.socket, expected)))).flat()
      return wrong.length === 0
    }, 120_000)
    if (wrong.length > 0) console.error(`N = ${n}: ${wrong.length} reads still differ, e.g. ${wrong.slice(0, 5).join('; ')}`)
    // Let hand-off finish before counting what moved.
    await sleep(5000)
    const movedAfter = await moved(peers)
    return [n, splitMs / 1000, ringMs / 1000, (ringMs + readMs) / 1000, movedAfter.records - movedBefore.records, Math.round((movedAfter.bytes - movedBefore.bytes) / 1024)]
  } finally {
    await Promise.all(peers.map(async p => p.stop('SIGKILL')))
    await hosts.destroy()
  }
}

const rows: Array<Array<string | number>> = []
for (const n of sizes) {
  console.error(`N = ${n} …`)
  rows.push(await run(n))
}
console.log(`Cut in two halves for ${cutMs / 1000} s, ${keyCount} keys before, 120 written on each side (20 to the same keys); default settings.\n`)
console.log(table(['peers', 'cut → two rings (s)', 'heal → one ideal ring (s)', 'heal → reads agree (s)', 'records moved', 'KiB moved by repair'], rows))
