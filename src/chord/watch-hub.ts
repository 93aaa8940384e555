import { BusyError, ReplicasUnavailableError } from '../errors.js'
import { compareVersions, isExpired, keyId, supersedes, type KvRecord, type Version } from '../protocol/record.js'
import type { Clock } from '../node/clock.js'
import type { WatchEventKind, WatchSink } from '../protocol/messages.js'
import type { DataTransport, WatchHandlers } from '../protocol/ports.js'
import type { NodeRef } from '../ring/node-ref.js'
import type { Logger } from '@libp2p/interface'

export interface WatchHubOptions {
  readonly renewMs: number
  /** Renewal periods a registration lasts at a replica. */
  readonly registrationPeriods: number
  readonly maxKeys: number
}

export interface WatchHubDeps {
  /** The key's owner and its next k−1 successors, as the ring knows them now. */
  replicasOf (key: Uint8Array): Promise<NodeRef[]>
  readonly transport: Pick<DataTransport, 'watch'>
  readonly clock: Clock
  readonly log: Logger
}

interface KeyWatch {
  readonly key: Uint8Array
  readonly sinks: Set<WatchSink>
  /** The newest version heard (or found when the watch started). */
  last: KvRecord | undefined
  /** Replicas registered with, now and at the renewal before: only their events are taken. */
  replicas: Set<string>
  previous: Set<string>
  timer: unknown
  stopped: boolean
  /** A registration has been made: what later ones find may be versions missed. */
  established: boolean
}

/**
 * The watches of this peer's clients. Each watched key is registered with
 * every replica of the key (the owner and its k−1 successors), which tell
 * this peer of each version they store; registrations are renewed about
 * every `renewMs` with the replicas of the moment, so a crashed owner, a join
 * that moves the key, a leave or a merge changes where the watch is held,
 * not whether. A renewal that finds a version newer than the last heard
 * delivers it as a `resync`. Events are delivered at least once and in
 * version order: anything not newer than the last heard is dropped, and
 * only registered replicas are listened to.
 */
export class WatchHub implements WatchHandlers {
  private readonly keys = new Map<string, KeyWatch>()
  private readonly deps: WatchHubDeps
  private readonly options: WatchHubOptions

  constructor (deps: WatchHubDeps, options: WatchHubOptions) {
    this.deps = deps
    this.options = options
  }

  /** Keys watched now. */
  get size (): number {
    return this.keys.size
  }

  /**
   * Starts watching `key` for `sink`, once registered with at least one of
   * its replicas. With `since`, a version the watcher heard before, the
   * current state follows at once as a `resync` when it is newer. Resolves
   * with the function that ends this watch.
   */
  async watch (key: Uint8Array, since: Version | undefined, sink: WatchSink): Promise<() => void> {
    const id = keyId(key)
    let kw = this.keys.get(id)
    if (kw === undefined) {
      if (this.keys.size >= this.options.maxKeys) throw new BusyError(`this peer's clients watch ${this.keys.size} keys, its limit`)
      kw = { key: new Uint8Array(key), sinks: new Set(), last: undefined, replicas: new Set(), previous: new Set(), timer: undefined, stopped: false, established: false }
      this.keys.set(id, kw)
      kw.sinks.add(sink)
      try {
        const found = await this.register(kw)
        if (found === 0) throw new ReplicasUnavailableError('none of the key\'s replicas took the watch; retry')
      } catch (err) {
        this.end(kw, sink)
        throw err
      }
    } else {
      kw.sinks.add(sink)
    }
    if (since !== undefined && kw.last !== undefined && compareVersions(kw.last.version, since) > 0) sink({ kind: 'resync', record: kw.last })
    else if (since !== undefined && kw.last === undefined) sink({ kind: 'resync', record: undefined })
    const watched = kw
    return () => { this.end(watched, sink) }
  }

  /** A replica tells of a version it stored. */
  watchEvent (from: NodeRef, record: KvRecord): void {
    const kw = this.keys.get(keyId(record.key))
    if (kw === undefined || (!kw.replicas.has(from.peer) && !kw.previous.has(from.peer))) return
    this.hear(kw, record, undefined)
  }

  /** Ends every watch. */
  stop (): void {
    for (const kw of this.keys.values()) {
      kw.stopped = true
      this.deps.clock.clearTimeout(kw.timer)
    }
    this.keys.clear()
  }

  /** Delivers `record` if a store would take it over the last heard: a newer version, or the same one expired since. */
  private hear (kw: KeyWatch, record: KvRecord, kind: WatchEventKind | undefined): void {
    if (!supersedes(record, kw.last)) return
    kw.last = record
    const event = { kind: kind ?? kindOf(record, this.deps.clock.wallMs()), record }
    for (const sink of [...kw.sinks]) sink(event)
  }

  /** Registers with the key's replicas of the moment; returns how many took it. */
  private async register (kw: KeyWatch): Promise<number> {
    const first = !kw.established
    let replicas: NodeRef[] = []
    let found: Array<KvRecord | undefined | null> = []
    try {
      replicas = await this.deps.replicasOf(kw.key)
      // Listen to them before asking, so an event sent as they register is not dropped.
      kw.previous = kw.replicas
      kw.replicas = new Set(replicas.map(r => r.peer))
      found = await Promise.all(replicas.map(async r => this.deps.transport.watch(r, { key: kw.key, since: kw.last?.version, ttlMs: this.options.renewMs * this.options.registrationPeriods }).catch((err: unknown) => {
        kw.replicas.delete(r.peer)
        this.deps.log('registering a watch with %s failed: %s', r.peer, (err as Error).message)
        return null
      })))
    } catch (err) {
      this.deps.log('finding the replicas of a watched key failed: %s', (err as Error).message)
    }
    const took = found.filter(r => r !== null).length
    if (took > 0) kw.established = true
    const newest = found.reduce<KvRecord | undefined>((a, b) => (b !== null && b !== undefined && supersedes(b, a) ? b : a), undefined)
    if (newest !== undefined) {
      // The first registration only learns where the key stands (an event heard meanwhile may be newer); later ones may have missed versions.
      if (!first) this.hear(kw, newest, 'resync')
      else if (supersedes(newest, kw.last)) kw.last = newest
    }
    // ±20 %, so keys watched together do not renew together.
    if (!kw.stopped) kw.timer = this.deps.clock.setTimeout(() => { void this.register(kw) }, Math.round(this.options.renewMs * (0.8 + 0.4 * Math.random())))
    return took
  }

  private end (kw: KeyWatch, sink: WatchSink): void {
    kw.sinks.delete(sink)
    if (kw.sinks.size > 0) return
    kw.stopped = true
    this.deps.clock.clearTimeout(kw.timer)
    if (this.keys.get(keyId(kw.key)) === kw) this.keys.delete(keyId(kw.key))
  }
}

function kindOf (record: KvRecord, nowMs: number): WatchEventKind {
  if (record.value === undefined) return record.expiresAtMs === undefined ? 'del' : 'expired'
  return isExpired(record, nowMs) ? 'expired' : 'put'
}
