import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { chordControlApi } from './control/chord-api.js'
import { maxRequestLineBytes } from './control/protocol.js'
import { ControlServer } from './control/server.js'
import { ConfigError } from './errors.js'
import { loadOrCreateIdentity } from './identity.js'
import { createPeer, type ChordPeer } from './peer.js'
import { stackFromConfig } from './stack.js'
import { LevelStore } from './storage/level-store.js'
import { MemoryStore } from './storage/memory-store.js'
import type { Config } from './config.js'
import type { RecordStore } from './storage/store.js'
import type { Logger } from '@libp2p/interface'

/** A running peer with its control socket. */
export interface Daemon {
  readonly peer: ChordPeer
  readonly config: Config
  /** Resolves when the daemon has shut down (after leave or a signal). */
  readonly done: Promise<void>
  /** Leaves the ring gracefully (hand-off), then stops everything. */
  shutdown (graceful: boolean): Promise<void>
}

/** What the daemon tells its operator: progress on stdout, problems on stderr. */
export interface Report {
  info (line: string): void
  warn (line: string): void
}

/**
 * Starts a peer as `chordkv start` does: identity and store in the data
 * directory, libp2p with the configured addresses, then the control socket.
 */
export async function startDaemon (config: Config, report: Report, log: Logger): Promise<Daemon> {
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 })
  const { key, created } = await loadOrCreateIdentity(config.dataDir)
  const store = await openStore(config)
  let peer: ChordPeer
  try {
    peer = await createPeer({
      ...stackFromConfig(config, key),
      chord: {
        store,
        limits: config.limits,
        successors: config.ring.successors,
        stabilizeIntervalMs: config.ring.stabilizeIntervalMs,
        fixFingersIntervalMs: config.ring.fixFingersIntervalMs,
        checkPredecessorIntervalMs: config.ring.checkPredecessorIntervalMs,
        lookupTimeoutMs: config.ring.lookupTimeoutMs,
        maxHops: config.ring.maxHops,
        replication: {
          factor: config.replication.factor,
          writeQuorum: config.replication.writeQuorum,
          readQuorum: config.replication.readQuorum
        },
        repairIntervalMs: config.replication.repairIntervalMs,
        maxRepairBytesPerSecond: config.replication.maxRepairBytesPerSecond,
        tombstoneGraceMs: config.replication.tombstoneGraceMs,
        notFoundGraceMs: config.replication.notFoundGraceMs
      }
    })
  } catch (err) {
    await store.close()
    throw new ConfigError(`cannot start the peer: ${(err as Error).message}`)
  }

  const chord = peer.services.chord
  chord.addEventListener('joined', evt => {
    report.info(evt.detail.via === undefined ? 'founded a new ring' : `joined the ring through ${evt.detail.via}`)
  })
  chord.addEventListener('join-failed', evt => {
    report.warn(`${evt.detail.error.message}; retrying in ${(evt.detail.retryInMs / 1000).toFixed(1)} s`)
  })
  report.info(`peer id: ${peer.peerId.toString()}${created ? ' (new identity)' : ''}`)
  try {
    await peer.start()
  } catch (err) {
    await store.close()
    throw new ConfigError(`cannot start the peer: ${(err as Error).message}`)
  }

  const { promise: done, resolve: finished } = Promise.withResolvers<void>()
  let stopping: Promise<void> | undefined
  const shutdown = async (graceful: boolean): Promise<void> => {
    stopping ??= (async () => {
      if (graceful && chord.joined) {
        report.info('leaving the ring')
        try {
          await chord.leave()
        } catch (err) {
          report.warn(`graceful leave failed: ${(err as Error).message}`)
        }
      }
      await control.close()
      await peer.stop()
      report.info('stopped')
      finished()
    })()
    return stopping
  }

  const control = new ControlServer(chordControlApi(peer, async () => shutdown(true)), {
    path: config.socket,
    maxLineBytes: maxRequestLineBytes(config.limits),
    log
  })
  try {
    await control.listen()
  } catch (err) {
    await peer.stop()
    throw err
  }

  for (const addr of peer.getMultiaddrs()) report.info(`listening: ${addr.toString()}`)
  report.info(`control socket: ${config.socket}`)
  return { peer, config, done, shutdown }
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
