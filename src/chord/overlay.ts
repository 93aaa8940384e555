import { join } from 'node:path'
import { ConfigError } from '../errors.js'
import { LevelStore } from '../storage/level-store.js'
import { MemberFile } from '../storage/member-file.js'
import { MemoryStore } from '../storage/memory-store.js'
import { chordControlApi } from './control-api.js'
import { createPeer, type ChordPeer } from './peer.js'
import { walkRing } from './ring-walk.js'
import { NoSuccessorError } from '../maintenance/leave.js'
import { chordInitFrom } from './settings.js'
import { memoryPlanFor } from '../memory-budget.js'
import type { Config } from '../config.js'
import type { Overlay, OverlayOutput, OverlayPeer } from '../overlay.js'
import type { StackOptions } from '../stack.js'
import type { RecordStore } from '../storage/store.js'

/** The Chord overlay as the daemon runs it: records in `<dataDir>/store`, remembered members beside them. */
export const chordOverlay: Overlay<ChordPeer> = {
  name: 'chord',
  check () {},
  open: openChord
}

async function openChord (config: Config, stack: StackOptions, { report, event }: OverlayOutput): Promise<OverlayPeer<ChordPeer>> {
  const store = await openStore(config)
  // Prometheus' client and libp2p's metrics are loaded only when they are served.
  const metrics = config.metricsListen.length > 0 ? new (await import('./metrics.js')).ChordMetrics() : undefined
  const prometheusMetrics = metrics === undefined ? undefined : (await import('@libp2p/prometheus-metrics')).prometheusMetrics
  let peer: ChordPeer
  try {
    peer = await createPeer({
      ...stack,
      metrics: metrics === undefined ? undefined : prometheusMetrics?.({ registry: metrics.registry }),
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
  chord.addEventListener('joined', evt => {
    event(evt.detail.via === undefined ? `founded a new ring (${evt.detail.why ?? 'no one to join'})` : `joined the ring through ${evt.detail.via}`)
  })
  chord.addEventListener('join-failed', evt => {
    report.warn(`${evt.detail.error.message}; retrying in ${(evt.detail.retryInMs / 1000).toFixed(1)} s`)
  })
  chord.addEventListener('neighbours-changed', evt => {
    const { predecessor, successor } = evt.detail
    event(`neighbours changed: predecessor ${predecessor ?? '(none)'}, successor ${successor ?? '(none: alone)'}`)
  })
  chord.addEventListener('repair-moved', evt => {
    const { pushed, pulled, bytes } = evt.detail
    event(`repair moved ${pushed + pulled} records (${pushed} pushed, ${pulled} pulled, ${bytes} bytes)`)
  })
  chord.addEventListener('left', evt => {
    const { copied, moved, to } = evt.detail
    event(`left the ring: handed ${copied} records to ${to}, then ${moved} written meanwhile`)
  })
  chord.addEventListener('split-found', evt => {
    metrics?.ringEvent('split-suspected')
    event(`split: ${evt.detail.peer} is a member of another ring; merging`)
  })
  chord.addEventListener('merge-done', evt => {
    metrics?.ringEvent('merge-done')
    event(`merged: ${evt.detail.peer} is on this ring again (${(evt.detail.durationMs / 1000).toFixed(1)} s after the split was found)`)
  })

  let handingOff: Promise<void> | undefined
  return {
    peer,
    banner: [],
    ringPage: true,
    controlApi: leave => chordControlApi(peer, leave, { ringWalked: view => { metrics?.ringWalked(view) } }),
    metrics () {
      if (metrics === undefined) return undefined
      metrics.watch(chord)
      return {
        metrics: async () => ({ contentType: metrics.registry.contentType, body: await metrics.registry.metrics() }),
        ring: async () => {
          const view = await walkRing(chord)
          metrics.ringWalked(view)
          return view
        }
      }
    },
    handsOff: () => chord.joined && chord.status().successors.length > 0,
    /** Leaves the ring: hands the keys on, or rejects with why it could not. */
    leave: async () => {
      handingOff ??= (async () => {
        if (!chord.joined) return
        report.info('leaving the ring')
        try {
          await chord.leave()
        } catch (err) {
          if (err instanceof NoSuccessorError && err.leaving > 0) {
            // The ring stops together: nobody is left to take the keys, and nothing is lost by keeping them.
            const kept = chord.status().records.keys
            const gone = err.tried - err.leaving
            const why = gone === 0 ? 'every successor is leaving the ring too' : `its successors are leaving the ring too (${err.leaving}) or gone already (${gone})`
            report.info(`kept ${kept} key${kept === 1 ? '' : 's'}: ${why}, so nothing was handed on; ${config.storage === 'memory' ? 'they go with this peer (storage: memory)' : 'they stay in this peer\'s store for its next start'}`)
          } else {
            report.warn(`graceful leave failed: ${(err as Error).message}`)
          }
          throw err
        }
      })()
      return handingOff
    },
    release: async () => await store.release?.(),
    // The service closes the store when it stops; libp2p has stopped what it had started when start fails.
    stopped: async failed => { if (failed) await store.close() }
  }
}

async function openStore (config: Config): Promise<RecordStore> {
  if (config.storage === 'memory') return new MemoryStore()
  const dir = join(config.dataDir, 'store')
  try {
    const memory = memoryPlanFor(config)
    return await LevelStore.open(dir, { sync: config.replication.syncWrites, cacheBytes: memory.levelCacheBytes, writeBufferBytes: memory.levelWriteBufferBytes })
  } catch (err) {
    const cause = (err as { cause?: Error }).cause?.message ?? ''
    if (/lock/i.test(`${(err as Error).message} ${cause}`)) throw new ConfigError(`the store ${dir} is in use by another running peer (one data directory per peer)`)
    throw new ConfigError(`cannot open the store ${dir}: ${(err as Error).message} ${cause}`.trim())
  }
}
