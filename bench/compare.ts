/**
 * Overlay comparison: chord against kad (@libp2p/kad-dht as kad mode runs
 * it), and chord with kad-dht running alongside. For every size N and
 * overlay a worker process (`compare-worker.ts`) starts N peers in one
 * process on loopback TCP + Noise + Yamux, waits until the network has
 * formed, puts the same random keys, gets each through another peer, and
 * measures RSS and idle CPU. All runs happen in one invocation, one after
 * another, so their ratios are comparable.
 *
 *   npm run bench:compare                          N = 10, 25, 50
 *   npm run bench:compare -- --sizes 10,50 --keys 100
 *   npm run bench:compare -- --overlays chord,kad  skip chord+kad
 *
 * Writes bench/results/compare.{md,svg,json} and prints the table and the
 * ratios against the targets at N = 50.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { availableParallelism, cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { runJsonChild } from './json-child.js'
import { table } from './stats.js'
import { barChart } from './svg-chart.js'
import type { Overlay, SwarmReport } from './compare-worker.js'

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10,25,50' },
    keys: { type: 'string', default: '200' },
    overlays: { type: 'string', default: 'chord,kad,chord+kad,kad-quiet' },
    seed: { type: 'string', default: `${Date.now()}` },
    'idle-ms': { type: 'string', default: '30000' },
    'settle-ms': { type: 'string', default: '30000' },
    out: { type: 'string', default: 'bench/results' }
  }
})
const sizes = (values.sizes as string).split(',').map(Number)
const overlays = (values.overlays as string).split(',') as Overlay[]
const keys = Number(values.keys)
if (sizes.some(n => !Number.isInteger(n) || n < 2) || !Number.isInteger(keys) || keys < 1) throw new Error('--sizes takes integers ≥ 2 and --keys an integer ≥ 1')
const WORKER = fileURLToPath(new URL('./compare-worker.js', import.meta.url))
const command = `npm run bench:compare${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`

/** Runs one worker; its last stdout line is its report. */
async function runWorker (overlay: Overlay, n: number): Promise<SwarmReport> {
  const args = ['--expose-gc', WORKER, '--overlay', overlay, '--n', String(n), '--keys', String(keys), '--seed', values.seed as string, '--idle-ms', values['idle-ms'] as string, '--settle-ms', values['settle-ms'] as string]
  return runJsonChild<SwarmReport>(process.execPath, args, `worker ${overlay} N=${n}`)
}

const reports: SwarmReport[] = []
for (const n of sizes) {
  for (const overlay of overlays) reports.push(await runWorker(overlay, n))
}

const find = (overlay: Overlay, n: number): SwarmReport | undefined => reports.find(r => r.overlay === overlay && r.n === n)
const pct = (ok: number): string => `${(100 * ok / keys).toFixed(1)} %`

const resultsTable = table(
  ['overlay', 'N', 'form s', 'put p50 ms', 'put p95 ms', 'get p50 ms', 'get p95 ms', 'gets correct', 'peers/put', 'peers/get', 'requests/put', 'requests/get', 'RSS/peer MiB', 'idle CPU % core', 'idle CPU after ops', 'conns/peer'],
  reports.map(r => [r.overlay, r.n, r.formMs / 1000, r.put.p50, r.put.p95, r.get.p50, r.get.p95, pct(r.getSuccess), r.put.peers, r.get.peers, r.put.requests, r.get.requests, r.rssPerPeerMiB, r.idleCpuFormedPct, r.idleCpuPct, r.connectionsPerPeer])
)

const at = sizes.includes(50) ? 50 : Math.max(...sizes)
const chordAt = find('chord', at)
const kadAt = find('kad', at)
const targets: Array<[string, (r: SwarmReport) => number, number, string]> = [
  ['get p50', r => r.get.p50, 0.1, '≤ 1/10'],
  ['put p50', r => r.put.p50, 0.1, '≤ 1/10'],
  ['RSS per peer', r => r.rssPerPeerMiB, 0.5, '≤ 1/2'],
  ['idle swarm CPU', r => r.idleCpuFormedPct, 0.1, '≤ 1/10']
]
const ratioRows = chordAt === undefined || kadAt === undefined
  ? []
  : targets.map(([name, metric, limit, target]) => {
    const ratio = metric(chordAt) / metric(kadAt)
    return [name, metric(chordAt), metric(kadAt), ratio, target, ratio <= limit ? 'met' : 'MISSED']
  })
// The idle target compares with kad-dht as the issue measured it (libp2p's
// default keep-alives); the same ratio against kad with chord's keep-alive
// settings is shown too, so the share due to those settings is visible.
const quietAt = find('kad-quiet', at)
if (chordAt !== undefined && quietAt !== undefined) {
  const ratio = chordAt.idleCpuFormedPct / quietAt.idleCpuFormedPct
  ratioRows.push(['idle swarm CPU vs kad-quiet', chordAt.idleCpuFormedPct, quietAt.idleCpuFormedPct, ratio, '(no target)', ratio <= 1 ? 'chord lower' : 'chord higher'])
}
const ratioTable = ratioRows.length === 0 ? '(needs chord and kad at the same N)' : table(['metric', 'chord', 'kad', 'chord ÷ kad', 'target', 'result'], ratioRows)

const alongside = sizes.map(n => [n, find('chord', n), find('chord+kad', n)] as const)
  .filter((x): x is readonly [number, SwarmReport, SwarmReport] => x[1] !== undefined && x[2] !== undefined)
const alongsideTable = alongside.length === 0
  ? '(needs chord and chord+kad runs)'
  : table(['N', 'RSS/peer chord', 'RSS/peer chord+kad', 'extra MiB/peer', 'idle CPU chord', 'idle CPU chord+kad', 'idle CPU after ops chord', 'idle CPU after ops chord+kad', 'conns/peer chord', 'conns/peer chord+kad'],
    alongside.map(([n, c, ck]) => [n, c.rssPerPeerMiB, ck.rssPerPeerMiB, ck.rssPerPeerMiB - c.rssPerPeerMiB, c.idleCpuFormedPct, ck.idleCpuFormedPct, c.idleCpuPct, ck.idleCpuPct, c.connectionsPerPeer, ck.connectionsPerPeer]))

const machine = `${availableParallelism()} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.version}`
const markdown = `# Overlay comparison: chord and kad

\`${command}\` on ${machine}, ${new Date().toISOString().slice(0, 10)}.
N peers in one process per run (loopback TCP + Noise + Yamux); ${keys} random 16-byte keys with 80-byte values,
put one at a time through peer i mod N, then read through peer (i + N/2) mod N.
chord: \`startRing\` with the default maintenance periods, formed = ideal ring; kad: kad mode's kad-dht settings,
formed = every peer joined (bootstrap peer in its routing table, self-lookup done); chord+kad: the chord ring
with kad-dht running alongside (LAN settings), serving nothing; kad-quiet: kad with chord's keep-alive settings
(no Yamux keep-alive, no libp2p connection monitor). Peers/op: chord counts the route (origin
included), kad the peers queried; requests/op: chord hops, kad messages sent. RSS/peer: RSS growth over
the run after a GC, divided by N. Idle CPU: process CPU over ${Number(values['idle-ms']) / 1000} s of idleness ${Number(values['settle-ms']) / 1000} s after forming
(and again after the operations), as % of one core.

${resultsTable}

## Targets at N = ${at} (chord ÷ kad)

${ratioTable}

## Running kad-dht alongside chord (for peer routing)

${alongsideTable}
`

await mkdir(values.out as string, { recursive: true })
const colours = { chord: '#1f77b4', kad: '#ff7f0e', 'chord+kad': '#2ca02c' }
const series = (pick: (r: SwarmReport) => number, which: readonly Overlay[]): Map<string, Array<number | undefined>> =>
  new Map(which.filter(o => overlays.includes(o)).map(o => [o, sizes.map(n => { const r = find(o, n); return r === undefined ? undefined : pick(r) })]))
const svg = barChart({
  title: `chordkv overlays: chord vs kad-dht, ${keys} keys, one process per swarm`,
  groups: sizes.map(n => `N = ${n}`),
  colours,
  panels: [
    { title: 'get p50', unit: 'ms', series: series(r => r.get.p50, ['chord', 'kad']) },
    { title: 'put p50', unit: 'ms', series: series(r => r.put.p50, ['chord', 'kad']) },
    { title: 'RSS per peer', unit: 'MiB', series: series(r => r.rssPerPeerMiB, ['chord', 'kad', 'chord+kad']) },
    { title: 'idle swarm CPU', unit: '% of one core', series: series(r => r.idleCpuFormedPct, ['chord', 'kad', 'chord+kad']) }
  ]
})
await writeFile(join(values.out as string, 'compare.md'), markdown)
await writeFile(join(values.out as string, 'compare.svg'), svg)
await writeFile(join(values.out as string, 'compare.json'), JSON.stringify({ command, machine, seed: values.seed, keys, reports }, null, 2) + '\n')
process.stdout.write(markdown)
process.stdout.write(`\nWrote ${join(values.out as string, 'compare.md')}, compare.svg and compare.json\n`)
