import { createHash } from 'node:crypto'

/**
 * The benchmark's keys and values, derived from the seed so every system
 * measured gets the same ones: key i is the first 16 bytes of
 * sha256(`${seed}:key:${i}`), its value the first 80 bytes of three digests
 * (bench/opendht-worker.py derives them the same way).
 */
export function workload (seed: string, count: number): Array<{ key: Uint8Array, value: Uint8Array }> {
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest()
  return Array.from({ length: count }, (_, i) => ({
    key: new Uint8Array(digest(`${seed}:key:${i}`).subarray(0, 16)),
    value: new Uint8Array(Buffer.concat([digest(`${seed}:value:${i}:a`), digest(`${seed}:value:${i}:b`), digest(`${seed}:value:${i}:c`)]).subarray(0, 80))
  }))
}
