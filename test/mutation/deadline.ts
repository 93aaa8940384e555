import { Worker } from 'node:worker_threads'

/**
 * Loaded before each test file of a mutation run (test/mutation/stryker.config.json).
 * A mutant can make a test file loop forever; Stryker then gives up on the
 * run and counts the mutant as timed out, but the file's process it spawned
 * lives on. A thread of its own kills the process after
 * CHORDKV_MUTATION_DEADLINE_MS (default 120 s), even while the main thread
 * spins.
 */
const deadlineMs = Number(process.env.CHORDKV_MUTATION_DEADLINE_MS ?? 120_000)
const watchdog = 'const { workerData } = require("node:worker_threads"); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData); process.kill(process.pid, "SIGKILL")'
new Worker(watchdog, { eval: true, workerData: deadlineMs }).unref()
