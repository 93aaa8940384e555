import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { prometheusMetrics } from '@libp2p/prometheus-metrics'
import { Registry } from 'prom-client'
import { tcpListenAddress } from '../config.js'
import { kadControlApi } from './control-api.js'
import { maxRequestLineBytes } from '../control/protocol.js'
import { ControlServer } from '../control/server.js'
import { lockDataDir } from '../data-dir-lock.js'
import { ConfigError, NotSupportedError } from '../errors.js'
import { loadOrCreateIdentity } from '../identity.js'
import { MetricsServer } from '../metrics/http-server.js'
import { startFailure } from '../start-errors.js'
import { kadMaxValueBytes } from './constants.js'
import { openRecordDatastore } from './level-datastore.js'
import { createKadPeer, type KadPeer } from './peer.js'
import { stackFromConfig, whoMayConnect } from '../stack.js'
import type { Config } from '../config.js'
import type { Report } from '../daemon.js'
import type { Logger } from '@libp2p/interface'

/** A running kad-mode peer with its control socket. */
export interface KadDaemon {
  readonly peer: KadPeer
  readonly config: Config
  /** Base URLs of the metrics listener (empty when off). */
  readonly metricsUrls: readonly string[]
  /** Resolves when the daemon has shut down (after leave or a signal). */
  readonly done: Promise<void>
  /** Stops the peer; records stay on the peers closest to their keys (kad has no hand-off). */
  shutdown (graceful: boolean): Promise<void>
}

/**
 * Starts a peer as `chordkv start --overlay kad` does: the same identity,
 * addresses, bootstrap peers and control socket as a chord peer, with
 * kad-dht underneath. With `storage: leveldb` the DHT records this peer
 * holds live in `<dataDir>/kad`.
 */
export async function startKadDaemon (config: Config, report: Report, log: Logger): Promise<KadDaemon> {
  const { limits } = config
  const largest = kadMaxValueBytes(limits.maxKeyBytes)
  if (limits.maxValueBytes > largest) {
    throw new ConfigError(`limits.maxValueBytes is ${limits.maxValueBytes} but the kad overlay carries at most ${largest} bytes per value with keys of up to ${limits.maxKeyBytes} bytes (kad-dht messages are limited to 4 MiB); set CHORDKV_MAX_VALUE_BYTES to at most ${largest}`)
  }
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 })
  const unlock = await lockDataDir(config.dataDir)
  try {
    return await run(config, report, log, unlock)
  } catch (err) {
    await unlock()
    throw err
  }
}

async function run (config: Config, report: Report, log: Logger, unlock: () => Promise<void>): Promise<KadDaemon> {
  const { limits } = config
  const { key, created } = await loadOrCreateIdentity(config.dataDir)
  // kad-dht and libp2p report their own metrics; chordkv's are the chord overlay's.
  const registry = config.metricsListen.length > 0 ? new Registry() : undefined
  const store = config.storage === 'leveldb' ? await openDatastore(join(config.dataDir, 'kad')) : undefined
  let peer: KadPeer
  try {
    peer = await createKadPeer({
      ...await stackFromConfig(config, key),
      metrics: registry === undefined ? undefined : prometheusMetrics({ registry }),
      datastore: store?.datastore,
      kad: { limits, timeoutMs: config.ring.lookupTimeoutMs }
    })
  } catch (err) {
    await store?.close()
    throw new ConfigError(`cannot start the peer: ${(err as Error).message}`)
  }

  const kad = peer.services.kad
  kad.addEventListener('joined', evt => {
    const { via, routingTable } = evt.detail
    report.info(via === undefined ? 'started a new kad network' : `joined the kad network through ${via} (routing table: ${routingTable} peers)`)
  })
  kad.addEventListener('join-failed', evt => {
    report.warn(`${evt.detail.error.message}; retrying in ${(evt.detail.retryInMs / 1000).toFixed(1)} s`)
  })
  report.info(`peer id: ${peer.peerId.toString()}${created ? ' (new identity)' : ''}`)
  report.info(whoMayConnect(config))
  report.info('overlay: kad')
  try {
    await peer.start()
  } catch (err) {
    await store?.close()
    throw startFailure(err as Error)
  }

  const { promise: done, resolve: finished } = Promise.withResolvers<void>()
  let stopping: Promise<void> | undefined
  const shutdown = async (graceful: boolean): Promise<void> => {
    stopping ??= (async () => {
      if (graceful) report.info('leaving the kad network (records stay on the peers closest to their keys)')
      await control.close()
      await http?.close()
      await peer.stop()
      await store?.close()
      await unlock()
      report.info('stopped')
      finished()
    })()
    return stopping
  }

  // kad has nothing to hand off: records stay on the peers closest to their keys.
  const control = new ControlServer(kadControlApi(peer, () => {
    void shutdown(true)
    return { handoff: false, done: Promise.resolve() }
  }), {
    path: config.socket,
    maxLineBytes: maxRequestLineBytes(limits),
    log
  })
  let http: MetricsServer | undefined
  let metricsUrls: string[] = []
  try {
    await control.listen()
    if (registry !== undefined) {
      http = new MetricsServer({
        metrics: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
        ring: async () => { throw new NotSupportedError('the kad overlay has no ring to draw; /metrics has its metrics') }
      }, log)
      metricsUrls = await http.listen(config.metricsListen.map(addr => tcpListenAddress(addr) as { host: string, port: number }))
    }
  } catch (err) {
    await control.close()
    await http?.close()
    await peer.stop()
    await store?.close()
    throw err instanceof ConfigError ? err : new ConfigError(`cannot start the peer: ${(err as Error).message}`)
  }

  for (const addr of peer.getMultiaddrs()) report.info(`listening: ${addr.toString()}`)
  report.info(`control socket: ${config.socket}`)
  for (const url of metricsUrls) report.info(`metrics: ${url}/metrics`)
  return { peer, config, metricsUrls, done, shutdown }
}

async function openDatastore (dir: string): Promise<Awaited<ReturnType<typeof openRecordDatastore>>> {
  try {
    return await openRecordDatastore(dir)
  } catch (err) {
    const cause = (err as { cause?: Error }).cause?.message ?? ''
    if (/lock/i.test(`${(err as Error).message} ${cause}`)) throw new ConfigError(`the store ${dir} is in use by another running peer (one data directory per peer)`)
    throw new ConfigError(`cannot open the store ${dir}: ${(err as Error).message} ${cause}`.trim())
  }
}
