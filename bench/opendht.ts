/**
 * chordkv beside OpenDHT (Debian's python3-opendht and dhtnode), the same
 * workload on the same machine in one invocation. For every size N both
 * systems form a network of N peers on loopback, rest, measure idle CPU,
 * put the same keys one at a time (key i through peer i mod N), get each
 * through peer (i + ⌈N/2⌉) mod N, rest and measure RSS and idle CPU again.
 * Which system goes first alternates from one size (and run) to the next.
 *
 *   OpenDHT  one Python process, a DhtRunner per node (bench/opendht-worker.py)
 *   chordkv  one ring over --workers Node.js processes (bench/chordkv-run.ts)
 *
 * Then one peer per process, as in a container: the idle RSS of one
 * `chordkv start` and of one `dhtnode`.
 *
 *   npm run bench:opendht                          N = 10, 25, 50
 *   npm run bench:opendht -- --sizes 10 --keys 50 --idle-ms 2000 --settle-ms 1000
 *
 * Writes bench/results/opendht.{md,json}. Without OpenDHT (and no root to
 * install it) it says so in one line and exits 0.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { runChordkv } from './chordkv-run.js'
import { ensureOpenDht, openDhtVersion, runOpenDht } from './opendht-run.js'
import { singlePeerRss } from './single-peer-rss.js'
import { median, table } from './stats.js'
import type { SystemReport } from './system-report.js'

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10,25,50' },
    keys: { type: 'string', default: '200' },
    /** chordkv's worker processes; default one per core. */
    workers: { type: 'string', default: String(availableParallelism()) },
    /** Repetitions of every size, the order still alternating. */
    runs: { type: 'string', default: '1' },
    seed: { type: 'string', default: `${Date.now()}` },
    'idle-ms': { type: 'string', default: '30000' },
    'settle-ms': { type: 'string', default: '30000' },
    /** How long the single peers idle before their RSS is read. */
    'single-idle-ms': { type: 'string', default: '10000' },
    out: { type: 'string', default: 'bench/results' }
  }
})
const sizes = (values.sizes as string).split(',').map(Number)
const keys = Number(values.keys)
const workers = Number(values.workers)
const runs = Number(values.runs)
const positive = (x: number, min: number): boolean => Number.isInteger(x) && x >= min
if (!sizes.every(n => positive(n, 2)) || !positive(keys, 1) || !positive(workers, 1) || !positive(runs, 1)) {
  throw new Error('--sizes takes integers ≥ 2; --keys, --workers and --runs integers ≥ 1')
}
const seed = values.seed as string
const idleMs = Number(values['idle-ms'])
const settleMs = Number(values['settle-ms'])
const command = `npm run bench:opendht${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`

const missing = ensureOpenDht()
if (missing !== undefined) {
  process.stdout.write(`bench:opendht skipped: ${missing}\n`)
  process.exit(0)
}

const started = performance.now()
// The machine may be shared: the load when the run began goes in the report.
const loadAtStart = loadavg()[0] as number
const reports: Array<SystemReport & { run: number, first: boolean }> = []
let turn = 0
for (let run = 1; run <= runs; run++) {
  for (const n of sizes) {
    const order: Array<SystemReport['system']> = turn++ % 2 === 0 ? ['opendht', 'chordkv'] : ['chordkv', 'opendht']
    for (const system of order) {
      const report = system === 'opendht'
        ? await runOpenDht({ n, keys, seed, idleMs, settleMs })
        : await runChordkv({ n, keys, seed, workers, idleMs, settleMs, formTimeoutMs: 180_000 })
      reports.push({ ...report, run, first: system === order[0] })
    }
  }
}
const single = await singlePeerRss(Number(values['single-idle-ms']))
const minutes = (performance.now() - started) / 60_000

const pct = (ok: number): string => `${(100 * ok / keys).toFixed(1)} %`
const NAMES = { chordkv: 'chordkv', opendht: 'OpenDHT' }
const resultsTable = table(
  ['system', 'N', ...(runs > 1 ? ['run'] : []), 'ran', 'serves s', 'form s', 'put p50 ms', 'put p95 ms', 'put p99 ms', 'get p50 ms', 'get p95 ms', 'get p99 ms', 'gets correct', 'RSS/peer MiB', 'RSS total MiB', 'idle CPU % core', 'idle CPU after ops', 'idle requests/peer/s', 'processes', 'threads'],
  reports.map(r => [NAMES[r.system], r.n, ...(runs > 1 ? [r.run] : []), r.first ? 'first' : 'second', r.servingMs / 1000, r.formMs / 1000, r.put.p50, r.put.p95, r.put.p99, r.get.p50, r.get.p95, r.get.p99, pct(r.getCorrect),
    r.rssPerPeerMiB, r.rssTotalMiB, r.idleCpuFormedPct, r.idleCpuPct, r.idleRequestsPerPeerPerS, r.processes, r.threads])
)

/** chordkv ÷ OpenDHT for each N, from the medians over the runs. */
const ratioColumns: Array<[string, (r: SystemReport) => number]> = [
  ['put p50', r => r.put.p50], ['put p95', r => r.put.p95], ['get p50', r => r.get.p50], ['get p95', r => r.get.p95],
  ['RSS/peer', r => r.rssPerPeerMiB], ['idle CPU', r => r.idleCpuFormedPct], ['idle CPU after ops', r => r.idleCpuPct], ['idle requests', r => r.idleRequestsPerPeerPerS],
  ['time to serve', r => r.servingMs], ['time to form', r => r.formMs]
]
const middle = (system: SystemReport['system'], n: number, metric: (r: SystemReport) => number): number =>
  median(reports.filter(r => r.system === system && r.n === n).map(metric))
const ratioTable = table(['N', ...ratioColumns.map(([name]) => name)],
  sizes.map(n => [n, ...ratioColumns.map(([, metric]) => {
    const opendht = middle('opendht', n, metric)
    return opendht === 0 ? '— (OpenDHT 0)' : middle('chordkv', n, metric) / opendht
  })]))

const singleTable = table(['process', `RSS MiB after ${single.idleMs / 1000} s idle`], [
  ['`chordkv start --storage memory` (founds a ring alone)', single.chordkvMiB],
  ['`dhtnode -s -p 0` (no bootstrap)', single.dhtnodeMiB ?? 'dhtnode not installed']
])

const version = openDhtVersion()
const machine = `${availableParallelism()} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.version}, OpenDHT ${version} (Debian python3-opendht and dhtnode)`
const threadsAt = (system: SystemReport['system']): string => reports.filter(r => r.system === system && r.run === 1).map(r => `${r.threads} at N = ${r.n}`).join(', ')
const markdown = `# chordkv beside OpenDHT

\`${command}\` on ${machine}, ${new Date().toISOString().slice(0, 10)}; the whole run took ${minutes.toFixed(0)} min,
the 1-minute load average was ${loadAtStart.toFixed(1)} when it began.

Both systems run the same workload on loopback, one system at a time, the order alternating with N:
${keys} keys (the first 16 bytes of sha256(seed:key:i), bench/workload.ts) with 80-byte values, put one at a time
through peer i mod N, then got through peer (i + ⌈N/2⌉) mod N; each operation is timed by the process that runs it.
Before the first idle window and again after the operations the network rests ${settleMs / 1000} s; idle CPU is the CPU of
all the system's processes over ${idleMs / 1000} s of idleness, as % of one core.

- **OpenDHT**: all N nodes in one Python process, one \`DhtRunner\` each (UDP, its own threads: ${threadsAt('opendht')}),
  bootstrapped to the first node. Serves: a probe value put through the first node is got through every node.
  Formed: besides, every routing table lists at least min(N − 1, 8) nodes (OpenDHT fills them lazily). A put is done
  when the 8 closest nodes acknowledged it; a get is timed until the value arrives (the search is then stopped), or
  until the search ends without it. OpenDHT's keys are SHA-1 of the 16-byte keys (160-bit ids).
- **chordkv**: one ring of N peers (TCP + Noise + Yamux, default settings: k = 3 replicas, W = 2)
  ${workers === 1 ? 'in one Node.js worker process (`--workers 1`, default one per core' : `spread over ${workers} Node.js worker processes (\`--workers\`, default one per core; peer p in process p mod ${workers}`}; threads: ${threadsAt('chordkv')}),
  the first peer founding and the others joining through it. Serves: every peer joined the ring. Formed: the ring is
  ideal (every successor list and predecessor right, checked over all processes' snapshots). A put returns once every
  live replica answered; a get once the owner answered.

RSS/peer: the processes' RSS growth from before the first peer to after the operations, divided by N;
RSS total: the processes' whole RSS then (runtime included). Idle requests: requests each peer sent per second
over the second idle window (OpenDHT: \`getNodeMessageStats\`, chordkv: every \`/chordkv/1.0.0\` request).

${resultsTable}

## chordkv ÷ OpenDHT${runs > 1 ? ` (medians over ${runs} runs)` : ''}

Below 1: chordkv is faster, smaller or quieter.

${ratioTable}

## One peer per process

${singleTable}
`

await mkdir(values.out as string, { recursive: true })
await writeFile(join(values.out as string, 'opendht.md'), markdown)
await writeFile(join(values.out as string, 'opendht.json'), JSON.stringify({ command, machine, loadAtStart, seed, keys, workers, idleMs, settleMs, minutes, reports, single }, null, 2) + '\n')
process.stdout.write(markdown)
process.stdout.write(`\nWrote ${join(values.out as string, 'opendht.md')} and opendht.json\n`)
