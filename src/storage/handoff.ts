import { ringIdOfKey } from '../ring/hash.js'
import { betweenRightIncl } from '../ring/ids.js'
import { isPeerFailure } from '../errors.js'
import { positionOf } from './positions.js'
import { sizeOf } from './repair.js'
import type { DataTransport } from '../protocol/ports.js'
import type { KvRecord } from '../protocol/record.js'
import type { NodeRef } from '../ring/node-ref.js'
import type { RingId } from '../ring/ids.js'
import type { RecordStore } from './store.js'

/** What hand-offs need: the store, the transport and message sizes. */
export interface HandoffContext {
  readonly records: RecordStore
  readonly transport: DataTransport
  readonly batchRecords: number
  readonly batchBytes: number
  /** Keeps records received from a peer (newer wins). */
  keep (records: readonly KvRecord[]): Promise<void>
}

/**
 * Join: copies the arc (from, self] from the successor, page by page,
 * before the new peer becomes a member (so it serves its keys from the start).
 */
export async function pullArc (ctx: HandoffContext, successor: NodeRef, from: RingId, to: RingId): Promise<number> {
  let after: Uint8Array | undefined
  let pulled = 0
  while (true) {
    const page = await ctx.transport.range(successor, from, to, after, ctx.batchRecords)
    await ctx.keep(page.records)
    pulled += page.records.length
    const last = page.records.at(-1)
    if (!page.more || last === undefined) return pulled
    after = positionOf(last.key)
  }
}

/**
 * Offers records to every holder in `holders`, sends each the ones it
 * lacks, and deletes a record here only when every holder took or already
 * had that version (pmaint: never drop the last copy). Returns the records
 * deleted here.
 */
export async function handOver (ctx: HandoffContext, holders: readonly NodeRef[], records: readonly KvRecord[], remove: boolean): Promise<number> {
  let everyoneHasIt = holders.length > 0
  for (const holder of holders) {
    try {
      await offerAndSend(ctx, holder, records)
    } catch (err) {
      if (!isPeerFailure(err)) throw err
      everyoneHasIt = false
    }
  }
  if (!remove || !everyoneHasIt) return 0
  let removed = 0
  for (const record of records) {
    // Unless a newer write arrived meanwhile.
    if (await ctx.records.remove(record.key, record.version) !== undefined) removed++
  }
  return removed
}

/** Offers records to one peer and sends the ones it wants, in messages under the byte budget. */
export async function offerAndSend (ctx: HandoffContext, to: NodeRef, records: readonly KvRecord[]): Promise<number> {
  const wanted = await ctx.transport.offer(to, records)
  let chunk: KvRecord[] = []
  let bytes = 0
  for (const i of wanted) {
    const record = records[i]
    if (record === undefined) continue
    if (chunk.length > 0 && bytes + sizeOf(record) > ctx.batchBytes) {
      await ctx.transport.store(to, chunk)
      chunk = []
      bytes = 0
    }
    chunk.push(record)
    bytes += sizeOf(record)
  }
  if (chunk.length > 0) await ctx.transport.store(to, chunk)
  return wanted.length
}

/** Walks the records of an arc in ring order, in batches. */
export async function * batches (records: RecordStore, from: RingId, to: RingId, size: number): AsyncGenerator<KvRecord[]> {
  let batch: KvRecord[] = []
  for await (const { record } of records.range(from, to)) {
    batch.push(record)
    if (batch.length >= size) {
      yield batch
      batch = []
    }
  }
  if (batch.length > 0) yield batch
}

/** Who should hold the keys an owner is responsible for. */
export type ReplicaSetOf = (owner: NodeRef) => Promise<NodeRef[]>

/**
 * Records this peer holds but neither owns nor replicates (a peer joined in
 * front of it, or it came back after its ranges moved): offered to the
 * current holders and deleted here once all of them have them. Records are
 * walked in ring order, so one lookup and one replica-set query cover a
 * whole owner's run. Only (self, replicatedFrom] is walked: the arcs behind
 * the predecessor that their owners lately said this peer replicates hold
 * no surplus, and checking them cost a lookup per owner run on every pass
 * (one per record where keys are sparse). Returns the records deleted.
 */
export async function dropSurplus (ctx: HandoffContext, self: NodeRef, replicatedFrom: RingId, lookup: (key: RingId) => Promise<NodeRef>, replicaSetOf: ReplicaSetOf): Promise<number> {
  // Owners' arcs cover the whole circle: nothing here is surplus.
  if (replicatedFrom === self.id) return 0
  let removed = 0
  let owner: NodeRef | undefined
  let holders: NodeRef[] = []
  let run: KvRecord[] = []
  const flush = async (): Promise<void> => {
    if (run.length > 0 && !holders.some(h => h.peer === self.peer)) {
      removed += await handOver(ctx, holders, run, true)
    }
    run = []
  }
  // Everything outside (replicatedFrom, self] belongs to another owner's arc.
  for await (const batch of batches(ctx.records, self.id, replicatedFrom, ctx.batchRecords)) {
    for (const record of batch) {
      const id = ringIdOfKey(record.key)
      if (owner === undefined || !betweenRightIncl(self.id, id, owner.id)) {
        await flush()
        owner = await lookup(id)
        // The ring says the key is ours: our view of the predecessor is stale.
        if (owner.peer === self.peer) return removed
        holders = await replicaSetOf(owner)
      }
      run.push(record)
      if (run.length >= ctx.batchRecords) await flush()
    }
  }
  await flush()
  return removed
}
