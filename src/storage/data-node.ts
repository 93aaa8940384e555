import { BadRequestError } from '../errors.js'
import { ringIdOfKey } from '../ring/hash.js'
import { betweenRightIncl, type RingId } from '../ring/ids.js'
import { isNewer, type KvRecord, type RecordDigest } from '../protocol/record.js'
import { HybridClock } from './hlc.js'
import { positionOf } from './positions.js'
import type { DataHandlers, DataTransport } from '../network/transport.js'
import type { DataOp, OpResult, RangePage } from '../protocol/messages.js'
import type { NodeRef } from '../ring/node-ref.js'
import type { RecordStore } from './store.js'
import type { Logger } from '@libp2p/interface'

/** Size limits for keys and values (bytes). */
export interface Limits {
  readonly maxKeyBytes: number
  readonly maxValueBytes: number
}

/** What the data layer needs to know of the ring. */
export interface DataRing {
  readonly self: NodeRef
  readonly predecessor: NodeRef | undefined
  readonly joined: boolean
  lookup (key: RingId): Promise<{ owner: NodeRef }>
}

export interface DataNodeOptions {
  readonly limits: Limits
  /** Bytes of record data per hand-off message (below the frame limit). */
  readonly batchBytes: number
  /** Records per hand-off message. */
  readonly batchRecords: number
}

/**
 * The key/value side of a peer: runs get, put and delete for the keys it
 * owns (assigning versions from a hybrid logical clock), serves hand-off
 * requests, and moves records when responsibility changes:
 * - on join, the new peer pulls its arc from its successor before anyone
 *   routes to it;
 * - keys that are no longer this peer's (a predecessor joined) are offered
 *   to their owner and deleted here only once it holds them;
 * - on a graceful leave, everything is handed to the successor.
 * Versions make every transfer idempotent: an older version never replaces
 * a newer one, so records can be sent twice without harm.
 */
export class DataNode implements DataHandlers {
  readonly records: RecordStore
  readonly clock = new HybridClock()
  private readonly ring: DataRing
  private readonly transport: DataTransport
  private readonly options: DataNodeOptions
  private readonly log: Logger

  constructor (store: RecordStore, ring: DataRing, transport: DataTransport, options: DataNodeOptions, log: Logger) {
    this.records = store
    this.ring = ring
    this.transport = transport
    this.options = options
    this.log = log
  }

  /** Checks a key (and value) against the limits; throws BadRequestError naming the limit. */
  checkLimits (key: Uint8Array, value?: Uint8Array): void {
    const { maxKeyBytes, maxValueBytes } = this.options.limits
    if (key.byteLength === 0) throw new BadRequestError('key must not be empty')
    if (key.byteLength > maxKeyBytes) throw new BadRequestError(`key is ${key.byteLength} bytes; the limit is ${maxKeyBytes}`)
    if (value !== undefined && value.byteLength > maxValueBytes) throw new BadRequestError(`value is ${value.byteLength} bytes; the limit is ${maxValueBytes}`)
  }

  /** Runs a data operation on this peer, the key's owner. */
  async execute (op: DataOp): Promise<OpResult> {
    this.checkLimits(op.key, op.kind === 'put' ? op.value : undefined)
    switch (op.kind) {
      case 'get': {
        const record = await this.records.get(op.key)
        return { record: record?.value === undefined ? undefined : record }
      }
      case 'put': {
        const record = await this.write(op.key, op.value)
        return { record: { ...record, value: undefined } }
      }
      case 'del': {
        const before = await this.records.get(op.key)
        const record = await this.write(op.key, undefined)
        return { record, existed: before?.value !== undefined }
      }
    }
  }

  // Handlers for peers' hand-off requests.

  async offer (_from: NodeRef, digests: readonly RecordDigest[]): Promise<number[]> {
    const wanted: number[] = []
    for (let i = 0; i < digests.length; i++) {
      const digest = digests[i] as RecordDigest
      this.checkLimits(digest.key)
      if (isNewer(digest.version, (await this.records.get(digest.key))?.version)) wanted.push(i)
    }
    return wanted
  }

  async store (_from: NodeRef, records: readonly KvRecord[]): Promise<void> {
    await this.keep(records)
  }

  /** Keeps each record that is newer than the one held. */
  private async keep (records: readonly KvRecord[]): Promise<void> {
    for (const record of records) {
      this.checkLimits(record.key, record.value)
      this.clock.observe(record.version)
      await this.records.put(record)
    }
  }

  async range (_from: NodeRef, start: RingId, until: RingId, after: Uint8Array | undefined, limit: number): Promise<RangePage> {
    const records: KvRecord[] = []
    let bytes = 0
    const max = Math.max(1, Math.min(limit, this.options.batchRecords))
    for await (const { record } of this.records.range(start, until, after)) {
      if (records.length >= max || bytes >= this.options.batchBytes) return { records, more: true }
      records.push(record)
      bytes += sizeOf(record)
    }
    return { records, more: false }
  }

  // Moving records.

  /**
   * Join: copies the arc (predecessor, self] from the successor, page by
   * page (predecessor: the successor's current one; absent when it was alone).
   */
  async pullFrom (successor: NodeRef, predecessor: NodeRef | undefined): Promise<number> {
    const from = (predecessor ?? successor).id
    let after: Uint8Array | undefined
    let pulled = 0
    while (true) {
      const page = await this.transport.range(successor, from, this.ring.self.id, after, this.options.batchRecords)
      await this.keep(page.records)
      pulled += page.records.length
      const last = page.records.at(-1)
      if (!page.more || last === undefined) return pulled
      after = positionOf(last.key)
    }
  }

  /**
   * Offers every record outside (predecessor, self] to its owner, and deletes
   * each one here once the owner holds that version or a newer one. Records
   * are walked in ring order, so one lookup finds the owner of a whole run.
   */
  async pushMisplaced (): Promise<number> {
    const pred = this.ring.predecessor
    const self = this.ring.self
    if (pred === undefined || !this.ring.joined) return 0
    let moved = 0
    let owner: NodeRef | undefined
    let batch: KvRecord[] = []
    const flush = async (): Promise<void> => {
      if (owner !== undefined && batch.length > 0) moved += await this.transfer(owner, batch, true)
      batch = []
    }
    for await (const { record } of this.records.range(self.id, pred.id)) {
      const id = ringIdOfKey(record.key)
      if (owner === undefined || !betweenRightIncl(self.id, id, owner.id)) {
        await flush()
        owner = (await this.ring.lookup(id)).owner
        // The ring says the key is ours: our predecessor view is stale, try later.
        if (owner.peer === self.peer) return moved
      }
      batch.push(record)
      if (batch.length >= this.options.batchRecords) await flush()
    }
    await flush()
    return moved
  }

  /** Copies (or, with `remove`, moves) every record to `to`. */
  async handOffAll (to: NodeRef, remove: boolean): Promise<number> {
    let moved = 0
    let batch: KvRecord[] = []
    for await (const { record } of this.records.range(this.ring.self.id, this.ring.self.id)) {
      batch.push(record)
      if (batch.length >= this.options.batchRecords) {
        moved += await this.transfer(to, batch, remove)
        batch = []
      }
    }
    if (batch.length > 0) moved += await this.transfer(to, batch, remove)
    return moved
  }

  /**
   * Offers records to `to`, sends the ones it wants (in messages under the
   * byte budget) and, with `remove`, deletes each one here unless it changed
   * meanwhile. Returns how many records `to` took.
   */
  private async transfer (to: NodeRef, records: readonly KvRecord[], remove: boolean): Promise<number> {
    const wanted = await this.transport.offer(to, records)
    let chunk: KvRecord[] = []
    let bytes = 0
    for (const i of wanted) {
      const record = records[i]
      if (record === undefined) continue
      if (chunk.length > 0 && bytes + sizeOf(record) > this.options.batchBytes) {
        await this.transport.store(to, chunk)
        chunk = []
        bytes = 0
      }
      chunk.push(record)
      bytes += sizeOf(record)
    }
    if (chunk.length > 0) await this.transport.store(to, chunk)
    if (remove) {
      for (const record of records) await this.records.remove(record.key, record.version)
    }
    this.log('handed %d of %d offered records to %s', wanted.length, records.length, to.peer)
    return wanted.length
  }

  private async write (key: Uint8Array, value: Uint8Array | undefined): Promise<KvRecord> {
    return this.records.put({ key, value, version: { timestamp: this.clock.now(), writer: this.ring.self.peer } })
  }
}

function sizeOf (record: KvRecord): number {
  return record.key.byteLength + (record.value?.byteLength ?? 0) + 64
}
