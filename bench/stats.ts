/** Small statistics helpers for benchmark reports. */
import { readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Latencies } from './system-report.js'

export function percentile (values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank] as number
}

/** The 50th, 95th and 99th percentiles of operation times, and how many there were. */
export function latencies (values: readonly number[]): Latencies {
  return { p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99), ok: values.length }
}

export function mean (values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length
}

/** The middle value, or the mean of the two middle ones. */
export function median (values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] as number : mean(sorted.slice(mid - 1, mid + 1))
}

/** Runs `fn` `n` times one after another and returns each duration in ms. */
export async function timeEach (n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const t0 = performance.now()
    await fn(i)
    out.push(performance.now() - t0)
  }
  return out
}

/** Resident set size in MiB after a garbage collection, when the runtime allows one. */
export function rssMiB (): number {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc !== undefined) { gc(); gc() }
  return process.memoryUsage().rss / 1024 / 1024
}

/** A numeric field of /proc/PID/status (Linux), in the unit the file gives: VmRSS in kB, Threads a count. */
export function procStatus (field: string, pid: number | 'self' = 'self'): number {
  const value = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
  if (value === undefined) throw new Error(`no ${field} in /proc/${pid}/status`)
  return Number(value)
}

/** Formats a Markdown table. */
export function table (headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const cell = (v: string | number): string => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : v)
  return [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map(r => `| ${r.map(cell).join(' | ')} |`)
  ].join('\n')
}

/**
 * Writes a benchmark's report as `<name>.md` and `<name>.json` in `out`,
 * prints the Markdown, and prints `summary` as one JSON line last (what
 * scripts read).
 */
export async function publish (out: string, name: string, markdown: string, record: object, summary: object): Promise<void> {
  await mkdir(out, { recursive: true })
  await writeFile(join(out, `${name}.md`), markdown)
  await writeFile(join(out, `${name}.json`), JSON.stringify(record, null, 2) + '\n')
  process.stdout.write(markdown)
  process.stdout.write(`\nWrote ${join(out, `${name}.md`)} and ${name}.json\n`)
  process.stdout.write(JSON.stringify(summary) + '\n')
}

export async function sleep (ms: number): Promise<void> {
  await new Promise(resolve => setTimeout(resolve, ms))
}
