import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { ControlClient } from '../control/client.js'
import { packageFile } from '../package-files.js'
import { PeerProcess } from './peer-process.js'
import { UsageError, type ParsedCommand } from './args.js'
import { EXIT } from './commands.js'

/** A second Ctrl-C within this window is the first one arriving twice (terminal and npm), not a request to hurry (ms). */
const REPEAT_WINDOW_MS = 1000

/**
 * `chordkv demo`: a local ring of N peers, each a `chordkv start` process on
 * loopback with its own data directory and control socket. The peers run in
 * their own process groups, so a Ctrl-C reaches only the demo, which asks
 * each peer once to leave (SIGTERM) and, once all have, removes the
 * temporary directory.
 */
export async function demo ({ values }: ParsedCommand): Promise<number> {
  const n = Number(values.peers ?? '3')
  if (!Number.isInteger(n) || n < 1 || n > 32) throw new UsageError(`--peers must be an integer from 1 to 32, got "${String(values.peers)}"`)
  const overlay = (values.overlay as string | undefined) ?? process.env.CHORDKV_OVERLAY ?? 'chord'
  if (overlay !== 'chord' && overlay !== 'kad') throw new UsageError(`--overlay must be chord or kad, got "${overlay}"`)
  const keep = values.dir !== undefined
  const dir = keep ? values.dir as string : await mkdtemp(join(tmpdir(), 'chordkv-demo-'))

  const peers: PeerProcess[] = []
  let first: number | undefined
  const stopAll = (signal: NodeJS.Signals): void => {
    if (first !== undefined && Date.now() - first < REPEAT_WINDOW_MS) return
    first ??= Date.now()
    for (const p of peers) void p.stop(signal === 'SIGINT' ? 'SIGTERM' : signal)
  }
  process.on('SIGINT', stopAll)
  process.on('SIGTERM', stopAll)
  let failure: unknown
  try {
    let bootstrap: string | undefined
    for (let i = 1; i <= n && first === undefined; i++) {
      const peer = await PeerProcess.start({ name: `peer${i}`, dataDir: join(dir, `peer${i}`), bootstrap, echo: true, detached: true, env: { CHORDKV_OVERLAY: overlay } })
      peers.push(peer)
      const address = await peer.waitFor(/^listening: (.*)$/)
      await peer.waitFor(/^(founded a new ring|joined the ring|started a new kad network|joined the kad network)/)
      bootstrap ??= address
    }
    // The commands it suggests work once every peer can take writes (a ring of two or more settles in a few rounds).
    if (first === undefined && n > 1) await untilHealthy(peers.map(p => p.socket), () => first !== undefined)
    if (first === undefined) process.stdout.write(hints(overlay, dir, peers.map(p => p.socket)))
  } catch (err) {
    failure = err
    stopAll('SIGTERM')
  }
  // The peers run until Ctrl-C (or until each is told to leave).
  const exits = await Promise.all(peers.map(async p => p.exited))
  process.off('SIGINT', stopAll)
  process.off('SIGTERM', stopAll)
  if (!keep) await rm(dir, { recursive: true, force: true })
  if (failure !== undefined) throw failure
  return exits.every(code => code === 0) ? EXIT.OK : EXIT.FAILED
}

/** How long the demo waits for its ring to take writes before it prints the commands anyway (ms). */
const HEALTHY_WITHIN_MS = 30_000

/** Waits until every peer answers `health` healthy (or the time is up, or `stopped`). */
async function untilHealthy (sockets: readonly string[], stopped: () => boolean): Promise<void> {
  const deadline = Date.now() + HEALTHY_WITHIN_MS
  const healthy = async (socket: string): Promise<boolean> => {
    const client = await ControlClient.connect(socket)
    try {
      const answer = await client.call({ op: 'health' })
      return answer.ok && answer.healthy
    } finally {
      client.close()
    }
  }
  while (Date.now() < deadline && !stopped()) {
    const all = await Promise.all(sockets.map(async s => healthy(s).catch(() => false)))
    if (all.every(Boolean)) return
    await new Promise(resolve => setTimeout(resolve, 200))
  }
}

/** The chordkv command, as a path that runs from the current directory (bin/chordkv in the checkout). */
function command (): string {
  const bin = relative(process.cwd(), packageFile('bin/chordkv'))
  return bin.includes('/') ? bin : `./${bin}`
}

/** What to try once the ring is up; every command runs as printed from the directory the demo was started in. */
function hints (overlay: string, dir: string, sockets: readonly string[]): string {
  const chordkv = command()
  const what = overlay === 'kad' ? `A kad network of ${sockets.length} peer${sockets.length === 1 ? '' : 's'}` : `A ring of ${sockets.length} peer${sockets.length === 1 ? '' : 's'}`
  return `\n${what} is running in ${dir}.\n` +
    sockets.map((s, i) => `  peer${i + 1}: ${chordkv} status --socket ${s}\n`).join('') +
    '\nTry, in another terminal:\n' +
    `  ${chordkv} put hello world --socket ${sockets[0]}\n` +
    `  ${chordkv} get hello --socket ${sockets.at(-1)}\n` +
    (overlay === 'chord' ? `  ${chordkv} ring --socket ${sockets[0]}\n` : '') +
    `  echo '{"id":1,"op":"get","key":"hello"}' | socat - UNIX-CONNECT:${sockets.at(-1)}\n` +
    `Ctrl-C stops the peers (${overlay === 'kad' ? 'records stay on the peers closest to their keys' : 'each hands its keys on and leaves'})${dir.includes('chordkv-demo-') ? ' and removes the directory' : ''}.\n\n`
}
