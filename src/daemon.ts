import { mkdir } from 'node:fs/promises'
import { tcpListenAddress, type Config } from './config.js'
import { maxRequestLineBytes } from './control/protocol.js'
import { ControlServer } from './control/server.js'
import { lockDataDir } from './data-dir-lock.js'
import { MiB } from './defaults.js'
import { ConfigError } from './errors.js'
import { loadOrCreateIdentity } from './identity.js'
import { rememberListenPorts, reuseListenPorts } from './listen-ports.js'
import { memoryPlanFor } from './memory-budget.js'
import { MemoryTrim } from './memory-trim.js'
import type { MetricsServer } from './metrics/http-server.js'
import { stackFromConfig, whoMayConnect } from './stack.js'
import { startFailure } from './start-errors.js'
import type { Overlay, Report } from './overlay.js'
import type { Libp2p, Logger } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

export type { Report } from './overlay.js'

/** A running peer with its control socket. */
export interface Daemon<P extends Libp2p = Libp2p> {
  readonly peer: P
  readonly config: Config
  /** Base URLs of the metrics listener (empty when off). */
  readonly metricsUrls: readonly string[]
  /** Resolves when the daemon has shut down (after leave or a signal). */
  readonly done: Promise<void>
  /** Leaves gracefully (chord hands its keys on), then stops everything. */
  shutdown (graceful: boolean): Promise<void>
}

/**
 * Starts a peer of `overlay` as `chordkv start` does: the data directory
 * (one peer per directory), identity and store in it, libp2p with the
 * configured addresses, the control socket and, if configured, the metrics
 * listener.
 */
export async function startDaemon<P extends Libp2p> (overlay: Overlay<P>, config: Config, report: Report, log: Logger): Promise<Daemon<P>> {
  overlay.check(config)
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 })
  const unlock = await lockDataDir(config.dataDir)
  try {
    const listen = await reuseListenPorts(config.dataDir, config.listen)
    try {
      return await run(overlay, config, listen, report, log, unlock)
    } catch (err) {
      // The port it had was taken between the check and the listen: let the system pick one.
      if (!/already in use/.test((err as Error).message) || listen.every((l, i) => l === config.listen[i])) throw err
      return await run(overlay, config, config.listen, report, log, unlock)
    }
  } catch (err) {
    await unlock()
    throw err
  }
}

async function run<P extends Libp2p> (overlay: Overlay<P>, config: Config, listen: readonly string[], report: Report, log: Logger, unlock: () => Promise<void>): Promise<Daemon<P>> {
  const { key, created } = await loadOrCreateIdentity(config.dataDir)
  let started = false
  const held: string[] = []
  const event = (line: string): void => {
    if (started) report.info(line)
    else held.push(line)
  }
  const built = await overlay.open(config, await stackFromConfig({ ...config, listen: [...listen] }, key), { report, event })
  const { peer } = built
  const bound: Multiaddr[] = []
  peer.addEventListener('transport:listening', evt => { bound.push(...evt.detail.getAddrs()) })
  const address = report.address ?? report.info
  address(`peer id: ${peer.peerId.toString()}${created ? ' (new identity)' : ''}`)
  report.info(whoMayConnect(config))
  for (const line of built.banner) report.info(line)
  try {
    await peer.start()
  } catch (err) {
    // libp2p has stopped what it had started.
    await built.stopped(true)
    throw startFailure(err as Error)
  }

  const { promise: done, resolve: finished } = Promise.withResolvers<void>()
  let stopping: Promise<void> | undefined
  const shutdown = async (graceful: boolean): Promise<void> => {
    stopping ??= (async () => {
      if (graceful) await built.leave().catch(() => {})
      trim.stop()
      // New clients find no peer from here on; those connected (a `leave --wait`) see their connection end only once the peer has stopped.
      await control.stopListening()
      await http?.close()
      await peer.stop()
      await built.stopped(false)
      await control.close()
      await unlock()
      report.info('stopped')
      finished()
    })()
    return stopping
  }

  const control = new ControlServer(built.controlApi(() => {
    const leaving = { handoff: built.handsOff(), done: built.leave() }
    void shutdown(true)
    return leaving
  }), {
    path: config.socket,
    maxLineBytes: maxRequestLineBytes(config.limits),
    maxValueBytes: config.limits.maxValueBytes,
    writeLines: memoryPlanFor(config).writeLines,
    log
  })
  const mib = (bytes: number): string => (bytes / MiB).toFixed(0)
  const release = built.release
  const trim = new MemoryTrim({
    release: release === undefined ? undefined : async () => { await release().catch((err: Error) => { report.warn(`memory: the store did not give back its mapped files: ${err.message}`) }) },
    trimmed: (before, after) => { report.info(`memory: quiet after a burst, gave back ${mib(before - after)} MiB (resident ${mib(before)} → ${mib(after)} MiB)`) }
  })
  let http: MetricsServer | undefined
  let metricsUrls: string[] = []
  try {
    await control.listen()
    const routes = built.metrics()
    if (routes !== undefined) {
      // loaded only when served: Node.js's HTTP server is a few MiB a peer without it does not carry
      const { MetricsServer } = await import('./metrics/http-server.js')
      http = new MetricsServer(routes, log, () => performance.now())
      metricsUrls = await http.listen(config.metricsListen.map(addr => tcpListenAddress(addr) as { host: string, port: number }))
    }
  } catch (err) {
    await control.close()
    await http?.close()
    await peer.stop()
    await built.stopped(false)
    throw err instanceof ConfigError ? err : new ConfigError(`cannot start the peer: ${(err as Error).message}`)
  }

  await rememberListenPorts(config.dataDir, config.listen, bound).catch(err => { report.warn(`cannot remember the listen ports in ${config.dataDir}: ${(err as Error).message}`) })
  for (const addr of peer.getMultiaddrs()) address(`listening: ${addr.toString()}`)
  address(`control socket: ${config.socket}`)
  for (const url of metricsUrls) address(built.ringPage ? `metrics: ${url}/metrics  ring page: ${url}/` : `metrics: ${url}/metrics`)
  started = true
  for (const line of held.splice(0)) report.info(line)
  trim.start()
  return { peer, config, metricsUrls, done, shutdown }
}
