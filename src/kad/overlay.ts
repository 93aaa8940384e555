import { join } from 'node:path'
import { prometheusMetrics } from '@libp2p/prometheus-metrics'
import { Registry } from 'prom-client'
import { ConfigError, NotSupportedError } from '../errors.js'
import { kadMaxValueBytes } from './constants.js'
import { kadControlApi } from './control-api.js'
import { openRecordDatastore } from './level-datastore.js'
import { createKadPeer, type KadPeer } from './peer.js'
import type { Config } from '../config.js'
import type { Overlay, OverlayOutput, OverlayPeer } from '../overlay.js'
import type { StackOptions } from '../stack.js'

/**
 * The kad overlay as `chordkv start --overlay kad` runs it: the same
 * identity, addresses, bootstrap peers and control socket as a chord peer,
 * with kad-dht underneath. With `storage: leveldb` the DHT records this
 * peer holds live in `<dataDir>/kad`.
 */
export const kadOverlay: Overlay<KadPeer> = {
  name: 'kad',
  check (config) {
    const { limits } = config
    const largest = kadMaxValueBytes(limits.maxKeyBytes)
    if (limits.maxValueBytes > largest) {
      throw new ConfigError(`limits.maxValueBytes is ${limits.maxValueBytes} but the kad overlay carries at most ${largest} bytes per value with keys of up to ${limits.maxKeyBytes} bytes (kad-dht messages are limited to 4 MiB); set CHORDKV_MAX_VALUE_BYTES to at most ${largest}`)
    }
  },
  open: openKad
}

async function openKad (config: Config, stack: StackOptions, { report }: OverlayOutput): Promise<OverlayPeer<KadPeer>> {
  const { limits } = config
  // kad-dht and libp2p report their own metrics; chordkv's are the chord overlay's.
  const registry = config.metricsListen.length > 0 ? new Registry() : undefined
  const store = config.storage === 'leveldb' ? await openDatastore(join(config.dataDir, 'kad')) : undefined
  let peer: KadPeer
  try {
    peer = await createKadPeer({
      ...stack,
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

  let leaving = false
  return {
    peer,
    banner: ['overlay: kad'],
    ringPage: false,
    controlApi: leave => kadControlApi(peer, leave),
    metrics: () => registry === undefined
      ? undefined
      : {
          metrics: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
          ring: async () => { throw new NotSupportedError('the kad overlay has no ring to draw; /metrics has its metrics') }
        },
    // kad has nothing to hand off: records stay on the peers closest to their keys.
    handsOff: () => false,
    leave: async () => {
      if (!leaving) report.info('leaving the kad network (records stay on the peers closest to their keys)')
      leaving = true
    },
    stopped: async () => { await store?.close() }
  }
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
