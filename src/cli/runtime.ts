/**
 * How a peer process runs Node.js: what keeps a resting peer small and lets
 * the memory of a flood go back to the system. `bin/chordkv` passes the
 * same (test/cli/runtime.test.ts keeps them in step), and so do the peers
 * the demo and the tests start.
 *
 * - `--max-semi-space-size=1`: V8's young generation grows to 16 MiB by
 *   default; a peer's short-lived garbage fits in 1 MiB (16 MiB less at rest,
 *   measured).
 * - `--expose-gc`: the peer runs V8's memory-reducing collection once it is
 *   quiet after a burst (src/memory-trim.ts); V8 itself keeps a burst's
 *   pages.
 * - `MALLOC_ARENA_MAX=2`: one malloc arena per thread is the default, and
 *   each keeps its own free memory.
 * - `MALLOC_MMAP_THRESHOLD_=131072`: allocations of 128 KiB or more (values
 *   on their way, frames) are mapped on their own and unmapped when freed,
 *   so a flood's memory returns to the system instead of staying in malloc's
 *   free lists (glibc otherwise raises the threshold as large blocks are
 *   freed).
 */
export const PEER_RUNTIME = {
  nodeArgs: ['--max-semi-space-size=1', '--expose-gc'],
  env: { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' }
} as const
