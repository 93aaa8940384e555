import { CONTROL, DATA, MiB } from './defaults.js'
import { maxRequestLineBytes } from './control/protocol.js'
import { maxFrameSizeFor, PEER_BUDGET_FRAMES } from './protocol/constants.js'
import type { Limits } from './limits.js'

/**
 * What a peer may use of memory, and how that sizes what it holds at once.
 * The budget comes from `memoryBudgetMiB` (flag, environment, config file)
 * or, left at 0, from the container's memory limit (the cgroup Node.js
 * reports); without either there is no budget and the defaults hold.
 *
 * A resting peer is about 80 MiB of RSS, of which some 50 MiB are pages of
 * the Node.js binary (shared by every peer on the host, and given up first
 * under pressure) and 27 MiB its own. What a budget limits is what comes
 * on top: the JavaScript heap, values on their way through the control
 * socket and the peer protocol, kept hints and LevelDB's buffers. Past
 * them a peer answers BUSY rather than grow (README: Security).
 */
export interface MemoryPlan {
  /** The budget (MiB), or undefined: none. */
  readonly budgetMiB: number | undefined
  /** V8's old-generation limit (MiB); undefined: Node.js's own default. */
  readonly heapMiB: number | undefined
  /** Longest request lines' worth of put values the control socket takes at once from all clients. */
  readonly writeLines: number
  /** Hinted hand-off keeps at most this many bytes. */
  readonly hintBytes: number
  /** What one peer may hold here over the peer protocol, in frames. */
  readonly peerFrames: number
  /** LevelDB's block cache and write buffer (bytes). */
  readonly levelCacheBytes: number
  readonly levelWriteBufferBytes: number
}

/**
 * The part of a budget a resting peer already uses (MiB): 94 measured as
 * modules, 81 as the one-file build (`npm run bench:memory`). Kept at 96,
 * so the bounds it sizes stay where the container test under 160 MiB set
 * them.
 */
const RESTING_MiB = 96
/** The smallest budget that still runs a peer (MiB). */
export const MIN_BUDGET_MiB = 128
/**
 * LevelDB's block cache and write buffer without a budget: 2 MiB each, a
 * quarter and a half of LevelDB's own defaults (8 and 4 MiB). Both fill
 * after a few thousand puts and stay full; the table blocks they would
 * cache are in the kernel's page cache anyway, and a smaller write buffer
 * only flushes to disk more often (`npm run bench:memory`: README, Memory).
 */
const LEVEL = { cacheBytes: 2 * MiB, writeBufferBytes: 2 * MiB }

/**
 * Splits a budget: the heap gets two fifths (it holds request lines as
 * strings and everything the peer keeps), values under way a quarter of
 * what the resting peer leaves (each put in flight costs about five times
 * its line: the line, its bytes, the frame, its encryption and the
 * replicas' copies), hints a tenth, and LevelDB a percent each for its cache and write buffer.
 */
export function memoryPlan (budgetMiB: number | undefined, maxLineBytes: number, maxFrameBytes: number): MemoryPlan {
  if (budgetMiB === undefined) {
    return { budgetMiB, heapMiB: undefined, writeLines: CONTROL.writeLines, hintBytes: DATA.hints.maxBytes, peerFrames: PEER_BUDGET_FRAMES, levelCacheBytes: LEVEL.cacheBytes, levelWriteBufferBytes: LEVEL.writeBufferBytes }
  }
  const spare = Math.max(16, budgetMiB - RESTING_MiB) * MiB
  return {
    budgetMiB,
    heapMiB: Math.max(48, Math.round(budgetMiB * 0.4)),
    writeLines: clamp(Math.floor(spare / 4 / (5 * maxLineBytes)), 1, CONTROL.writeLines),
    hintBytes: clamp(Math.floor(spare / 10), MiB, DATA.hints.maxBytes),
    peerFrames: clamp(Math.floor(spare / 4 / maxFrameBytes), 1, PEER_BUDGET_FRAMES),
    levelCacheBytes: clamp(Math.floor(budgetMiB * MiB * 0.01), 512 * 1024, LEVEL.cacheBytes),
    levelWriteBufferBytes: clamp(Math.floor(budgetMiB * MiB * 0.01), 512 * 1024, LEVEL.writeBufferBytes)
  }
}

/** The plan for a configured peer: its budget (or the container's limit), its limits. */
export function memoryPlanFor (config: { readonly memoryBudgetMiB: number, readonly limits: Limits }): MemoryPlan {
  return memoryPlan(budgetFrom(config.memoryBudgetMiB), maxRequestLineBytes(config.limits), maxFrameSizeFor(config.limits))
}

/**
 * The budget to plan with: `configuredMiB` when set (not 0), else the
 * container's memory limit when there is one (MiB).
 */
export function budgetFrom (configuredMiB: number, constrainedBytes: number = process.constrainedMemory()): number | undefined {
  if (configuredMiB > 0) return configuredMiB
  // No limit reads as 0, or as a number larger than any machine (cgroup v1).
  if (constrainedBytes <= 0 || constrainedBytes >= 2 ** 50) return undefined
  return Math.floor(constrainedBytes / MiB)
}

function clamp (n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n))
}
