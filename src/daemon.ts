import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { prometheusMetrics } from '@libp2p/prometheus-metrics'
import { chordInitFrom } from './chord/settings.js'
import { tcpListenAddress, type Config } from './config.js'
import { chordControlApi } from './chord/control-api.js'
import { maxRequestLineBytes } from './control/protocol.js'
import { walkRing } from './chord/ring-walk.js'
import { ControlServer } from './control/server.js'
import { lockDataDir } from './data-dir-lock.js'
import { ConfigError } from './errors.js'
import { loadOrCreateIdentity } from './identity.js'
import { ChordMetrics } from './chord/metrics.js'
import { MetricsServer } from './metrics/http-server.js'
import { createPeer, type ChordPeer } from './chord/peer.js'
import { stackFromConfig, whoMayConnect } from './stack.js'
import { startFailure } from './start-errors.js'
import { LevelStore } from './storage/level-store.js'
import { MemberFile } from './storage/member-file.js'
import { MemoryStore } from './storage/memory-store.js'
import type { RecordStore } from './storage/store.js'
import type { Logger } from '@libp2p/interface'

/** A running peer with its control socket. */
export interface Daemon {
  readonly peer: ChordPeer
  readonly config: Config
  /** Base URLs of the metrics listener (empty when off). */
  readonly metricsUrls: readonly string[]
  /** Resolves when the daemon has shut down (after leave or a signal). */
  readonly done: Promise<void>
  /** Leaves the ring gracefully (hand-off), then stops everything. */
  shutdown (graceful: boolean): Promise<void>
}

/** What the daemon tells its operator: progress and ring events on stdout, problems on stderr. */
export interface Report {
  info (line: string): void
  warn (line: string): void
}

/**
 * Starts a peer as `chordkv start` does: the data directory (one peer per
 * directory), identity and store in it, libp2p with the configured
 * addresses, the control socket and, if configured, the metrics listener.
 */
export async function startDaemon (config: Config, report: Report, log: Logger): Promise<Daemon> {
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 })
  const unlock = await lockDataDir(config.dataDir)
  try {
    return await run(config, report, log, unlock)
  } catch (err) {
    await unlock()
    throw err
  }
}

async function run (config: Config, report: Report, log: Logger, unlock: () => Promise<void>): Promise<Daemon> {
  const { key, created } = await loadOrCreateIdentity(config.dataDir)
  const store = await openStore(config)
  const metrics = config.metricsListen.length > 0 ? new ChordMetrics() : undefined
  let peer: ChordPeer
  try {
    peer = await createPeer({
      ...await stackFromConfig(config, key),
      metrics: metrics === undefined ? undefined : prometheusMetrics({ registry: metrics.registry }),
      chord: {
        ...chordInitFrom(config),
        store,
        memberStore: new MemberFile(config.dataDir, problem => { report.warn(problem) }),
        observer: metrics
      }
    })
  } catch (err) {
    await store.close()
    throw new ConfigError(`cannot start the peer: ${(err as Error).message}`)
  }

  const chord = peer.services.chord
  // Ring events are reported only once the peer is up: a peer that fails to
  // listen must not have said it founded or joined a ring.
  let started = false
  const held: string[] = []
  const info = (line: string): void => {
    if (started) report.info(line)
    else held.push(line)
  }
  chord.addEventListener('joined', evt => {
    info(evt.detail.via === undefined ? `founded a new ring (${evt.detail.why ?? 'no one to join'})` : `joined the ring through ${evt.detail.via}`)
  })
  chord.addEventListener('join-failed', evt => {
    report.warn(`${evt.detail.error.message}; retrying in ${(evt.detail.retryInMs / 1000).toFixed(1)} s`)
  })
  chord.addEventListener('neighbours-changed', evt => {
    const { predecessor, successor } = evt.detail
    info(`neighbours changed: predecessor ${predecessor ?? '(none)'}, successor ${successor ?? '(none: alone)'}`)
  })
  chord.addEventListener('repair-moved', evt => {
    const { pushed, pulled, bytes } = evt.detail
    info(`repair moved ${pushed + pulled} records (${pushed} pushed, ${pulled} pulled, ${bytes} bytes)`)
  })
  chord.addEventListener('split-found', evt => {
    metrics?.ringEvent('split-suspected')
    info(`split: ${evt.detail.peer} is a member of another ring; merging`)
  })
  chord.addEventListener('merge-done', evt => {
    metrics?.ringEvent('merge-done')
    info(`merged: ${evt.detail.peer} is on this ring again (${(evt.detail.durationMs / 1000).toFixed(1)} s after the split was found)`)
  })
  report.info(`peer id: ${peer.peerId.toString()}${created ? ' (new identity)' : ''}`)
  report.info(whoMayConnect(config))
  try {
    await peer.start()
  } catch (err) {
    // libp2p has stopped what it had started.
    await store.close()
    throw startFailure(err as Error)
  }

  const { promise: done, resolve: finished } = Promise.withResolvers<void>()
  let handingOff: Promise<void> | undefined
  /** Leaves the ring: hands the keys on, or rejects with why it could not. */
  const handOff = async (): Promise<void> => {
    handingOff ??= (async () => {
      if (!chord.joined) return
      report.info('leaving the ring')
      try {
        await chord.leave()
      } catch (err) {
        report.warn(`graceful leave failed: ${(err as Error).message}`)
        throw err
      }
    })()
    return handingOff
  }
  let stopping: Promise<void> | undefined
  const shutdown = async (graceful: boolean): Promise<void> => {
    stopping ??= (async () => {
      if (graceful) await handOff().catch(() => {})
      await control.close()
      await http?.close()
      await peer.stop()
      await unlock()
      report.info('stopped')
      finished()
    })()
    return stopping
  }

  const control = new ControlServer(chordControlApi(peer, () => {
    const leaving = { handoff: chord.joined && chord.node.state.successors.length > 0, done: handOff() }
    void shutdown(true)
    return leaving
  }, { ringWalked: view => { metrics?.ringWalked(view) } }), {
    path: config.socket,
    maxLineBytes: maxRequestLineBytes(config.limits),
    log
  })
  let http: MetricsServer | undefined
  let metricsUrls: string[] = []
  try {
    await control.listen()
    if (metrics !== undefined) {
      metrics.watch(chord)
      http = new MetricsServer({
        metrics: async () => ({ contentType: metrics.registry.contentType, body: await metrics.registry.metrics() }),
        ring: async () => {
          const view = await walkRing(chord)
          metrics.ringWalked(view)
          return view
        }
      }, log)
      metricsUrls = await http.listen(config.metricsListen.map(addr => tcpListenAddress(addr) as { host: string, port: number }))
    }
  } catch (err) {
    await control.close()
    await http?.close()
    await peer.stop()
    throw err instanceof ConfigError ? err : new ConfigError(`cannot start the peer: ${(err as Error).message}`)
  }

  for (const addr of peer.getMultiaddrs()) report.info(`listening: ${addr.toString()}`)
  report.info(`control socket: ${config.socket}`)
  for (const url of metricsUrls) report.info(`metrics: ${url}/metrics  ring page: ${url}/`)
  started = true
  for (const line of held.splice(0)) report.info(line)
  return { peer, config, metricsUrls, done, shutdown }
}

async function openStore (config: Config): Promise<RecordStore> {
  if (config.storage === 'memory') return new MemoryStore()
  const dir = join(config.dataDir, 'store')
  try {
    return await LevelStore.open(dir, { sync: config.replication.syncWrites })
  } catch (err) {
    const cause = (err as { cause?: Error }).cause?.message ?? ''
    if (/lock/i.test(`${(err as Error).message} ${cause}`)) throw new ConfigError(`the store ${dir} is in use by another running peer (one data directory per peer)`)
    throw new ConfigError(`cannot open the store ${dir}: ${(err as Error).message} ${cause}`.trim())
  }
}
