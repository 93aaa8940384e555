/**
 * A peer process's memory, as an operator sees it (`npm run bench:memory`):
 * three `chordkv start` peers on loopback (LevelDB, every setting at its
 * default, started as the demo starts them), and the RSS of the one the
 * client talks to:
 *
 *   idle         15 s after the ring formed
 *   10k puts     10,000 puts of 1 KiB values through it (64 in flight), 10 s later
 *   flood peak   512 puts of 1 MiB values over 8 connections at once (many answered BUSY)
 *   flood +60 s  60 s after the flood's last answer
 *
 * VmRSS counts the pages of the Node.js binary this process touched (file
 * pages, shared by every peer on the host); RssAnon is its own memory.
 *
 *   node dist/bench/memory.js [--flood 512] [--puts 10000] [--out bench/results/memory.md]
 */
import { randomBytes } from 'node:crypto'
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { PeerProcess } from '../src/cli/peer-process.js'
import { ControlClient } from '../src/control/client.js'
import { tempDir } from '../test/utils/control.js'
import { waitForIdealSockets } from '../test/utils/process-ring.js'
import { procStatus, sleep, table } from './stats.js'

interface Sample { vmRss: number, anon: number }

const { values } = parseArgs({
  options: {
    flood: { type: 'string', default: '512' },
    puts: { type: 'string', default: '10000' },
    out: { type: 'string', default: 'bench/results/memory.md' }
  }
})

function sample (pid: number): Sample {
  return { vmRss: procStatus('VmRSS', pid) / 1024, anon: procStatus('RssAnon', pid) / 1024 }
}

/** Sends `count` puts of `size`-byte values over `connections` connections, `inFlight` at a time on each; counts the answers by outcome. */
async function putMany (socket: string, count: number, size: number, connections: number, inFlight: number): Promise<Record<string, number>> {
  const outcomes: Record<string, number> = {}
  let next = 0
  await Promise.all(Array.from({ length: connections }, async () => {
    const client = await ControlClient.connect(socket)
    try {
      await Promise.all(Array.from({ length: inFlight }, async () => {
        while (next < count) {
          const i = next++
          const reply = await client.request({ op: 'put', encoding: 'base64', key: Buffer.from(`k-${size}-${i}`).toString('base64'), value: randomBytes(size).toString('base64') })
          const outcome = reply.ok === true ? 'ok' : (reply.error as { code: string }).code
          outcomes[outcome] = (outcomes[outcome] ?? 0) + 1
        }
      }))
    } finally {
      client.close()
    }
  }))
  return outcomes
}

const dir = await tempDir('chordkv-memory-')
const peers: PeerProcess[] = []
try {
  let bootstrap: string | undefined
  for (let i = 1; i <= 3; i++) {
    const peer = await PeerProcess.start({ name: `peer${i}`, dataDir: join(dir, `peer${i}`), bootstrap })
    peers.push(peer)
    bootstrap ??= await peer.waitFor(/^listening: (.*)$/)
  }
  await waitForIdealSockets(peers, 8, 60_000)
  const target = peers[0] as PeerProcess
  const pid = target.child.pid as number
  /** Memory trims the peer has logged so far (src/memory-trim.ts). */
  const trims = (): number => target.lines.filter(line => line.includes('memory: quiet after a burst')).length
  await sleep(15_000)
  const idle = sample(pid)
  console.error(`idle: ${idle.vmRss.toFixed(1)} MiB (anon ${idle.anon.toFixed(1)})`)

  const puts = await putMany(target.socket, Number(values.puts), 1024, 4, 16)
  await sleep(10_000)
  const afterPuts = sample(pid)
  const trimsAfterPuts = trims()
  console.error(`after ${values.puts} puts of 1 KiB ${JSON.stringify(puts)}: ${afterPuts.vmRss.toFixed(1)} MiB (anon ${afterPuts.anon.toFixed(1)}), ${trimsAfterPuts} trims so far`)
  // A peer trims once it has been quiet for a check period (5 s), which the puts' replication and repair can delay.
  await sleep(20_000)
  const restedAfterPuts = sample(pid)
  const trimsRested = trims()
  console.error(`30 s after the puts: ${restedAfterPuts.vmRss.toFixed(1)} MiB (anon ${restedAfterPuts.anon.toFixed(1)}), ${trimsRested} trims so far`)

  const before = sample(pid)
  const trimsBefore = trims()
  let peak = before
  const sampler = setInterval(() => {
    const now = sample(pid)
    if (now.vmRss > peak.vmRss) peak = now
  }, 100)
  const started = performance.now()
  const flood = await putMany(target.socket, Number(values.flood), 1024 * 1024, 8, 8)
  const floodS = (performance.now() - started) / 1000
  clearInterval(sampler)
  console.error(`flood of ${values.flood} × 1 MiB in ${floodS.toFixed(1)} s ${JSON.stringify(flood)}: peak ${peak.vmRss.toFixed(1)} MiB`)
  await sleep(60_000)
  const after = sample(pid)
  const trimsAfter = trims()
  console.error(`60 s after the flood: ${after.vmRss.toFixed(1)} MiB (anon ${after.anon.toFixed(1)}), ${trimsAfter} trims so far`)

  const rows = [
    ['idle, 15 s after the ring formed', idle.vmRss, idle.anon, ''],
    [`after ${values.puts} puts of 1 KiB, 10 s later`, afterPuts.vmRss, afterPuts.anon, Object.entries(puts).map(([k, v]) => `${k} ${v}`).join(', ') + `; ${trimsAfterPuts} memory trims since start`],
    [`after ${values.puts} puts of 1 KiB, 30 s later`, restedAfterPuts.vmRss, restedAfterPuts.anon, `${trimsRested} memory trims since start`],
    ['before the flood', before.vmRss, before.anon, ''],
    [`flood peak (${values.flood} puts of 1 MiB, 8 connections, ${floodS.toFixed(1)} s)`, peak.vmRss, peak.anon, Object.entries(flood).map(([k, v]) => `${k} ${v}`).join(', ')],
    ['60 s after the flood', after.vmRss, after.anon, `${(after.vmRss - before.vmRss).toFixed(1)} MiB above before the flood; ${trimsAfter - trimsBefore} memory trims since`]
  ]
  const report = `# One peer process's memory\n\n\`npm run bench:memory\`, ${new Date().toISOString().slice(0, 10)}, Node.js ${process.version}: three \`chordkv start\` peers on loopback (LevelDB, defaults), the client talking to one of them.\n\n` +
    table(['moment', 'VmRSS MiB', 'RssAnon MiB', 'answers'], rows) + '\n'
  await writeFile(values.out as string, report)
  process.stdout.write(report)
  process.stdout.write(JSON.stringify({ idle, afterPuts, restedAfterPuts, before, peak, after, puts, flood, trimsAfterPuts, trimsAfter }) + '\n')
} finally {
  await Promise.all(peers.map(async p => p.stop('SIGKILL')))
  await rm(dir, { recursive: true, force: true })
}
