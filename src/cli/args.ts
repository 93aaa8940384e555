import { parseArgs, type ParseArgsOptionsConfig } from 'node:util'
import type { CommandSpec } from './commands.js'

/** A command-line mistake: printed with a hint, exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>

/** A command line taken apart. */
export interface ParsedCommand {
  readonly values: OptionValues
  readonly positionals: readonly string[]
  /** `--help` or `-h` was given: print the command's help instead. */
  readonly help: boolean
}

/**
 * Parses a command's arguments. `--` makes the arguments still missing
 * literal, even when they start with `-`; options may come before the
 * arguments, between them, or after them (also after `--`), so
 * `chordkv put -- -k -5 --data-dir ./peer1` is KEY `-k`, VALUE `-5`.
 */
export function parseCommand (spec: CommandSpec, args: readonly string[]): ParsedCommand {
  const dashes = args.indexOf('--')
  const before = dashes < 0 ? [...args] : args.slice(0, dashes)
  const after = dashes < 0 ? [] : args.slice(dashes + 1)
  if (before.includes('--help') || before.includes('-h')) return { values: {}, positionals: [], help: true }
  const options: ParseArgsOptionsConfig = {}
  for (const [name, o] of Object.entries(spec.options)) {
    options[name] = { type: o.type, ...(o.multiple === true ? { multiple: true } : {}), ...(o.short === undefined ? {} : { short: o.short }) }
  }
  const head = parse(spec, options, before)
  const missing = Math.max(0, spec.args.length - head.positionals.length)
  const tail = parse(spec, options, after.slice(missing))
  const values: OptionValues = { ...head.values }
  for (const [name, value] of Object.entries(tail.values)) {
    const earlier = values[name]
    values[name] = Array.isArray(earlier) && Array.isArray(value) ? [...earlier, ...value] : value
  }
  const positionals = [...head.positionals, ...after.slice(0, missing), ...tail.positionals]
  if (positionals.length !== spec.args.length) {
    const wanted = spec.args.length === 0 ? 'no arguments' : spec.args.join(' ')
    throw new UsageError(`${spec.name} takes ${wanted}, got ${positionals.length === 0 ? 'none' : `"${positionals.join(' ')}"`}`)
  }
  return { values, positionals, help: false }
}

function parse (spec: CommandSpec, options: ParseArgsOptionsConfig, args: string[]): { values: OptionValues, positionals: string[] } {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true }) as { values: OptionValues, positionals: string[] }
  } catch (err) {
    const unknown = /Unknown option '([^']+)'/.exec((err as Error).message)?.[1]
    if (unknown !== undefined) {
      throw new UsageError(`unknown option "${unknown}" for ${spec.name} ("chordkv help ${spec.name}" lists its options; an argument starting with "-" goes after "--")`)
    }
    const message = (err as Error).message
    const missing = /Option '(?:-\w, )?(--[\w-]+)(?: <value>)?' argument missing/.exec(message)?.[1]
    if (missing !== undefined) throw new UsageError(`${missing} needs a value (${spec.options[missing.slice(2)]?.value ?? 'VALUE'})`)
    const ambiguous = /Option '(?:-\w, )?(--[\w-]+)(?: <value>)?' argument is ambiguous/.exec(message)?.[1]
    if (ambiguous !== undefined) {
      const value = args[args.indexOf(ambiguous) + 1] ?? ''
      throw new UsageError(`${ambiguous} needs a value, and "${value}" looks like an option (a value starting with "-" is written ${ambiguous}=${value})`)
    }
    throw new UsageError(message)
  }
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** A duration such as `500ms`, `5s`, `2m`, `3h`, `7d` or `5` (seconds), in ms; `0` means no limit (Infinity). */
export function parseDuration (text: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim())
  if (match === null) throw new UsageError(`${option} must be a duration of 0 or more such as 500ms, 5s, 2m or 5 (seconds), got "${text}"`)
  const ms = Number(match[1]) * (UNIT_MS[match[2] ?? 's'] as number)
  // Whole milliseconds: timers and AbortSignal.timeout take no fractions.
  return ms === 0 ? Infinity : Math.max(1, Math.round(ms))
}

/** A time to live such as `500ms`, `30s`, `5m`, `2h` or `7d`, in whole milliseconds (more than 0). */
export function parseTtl (text: string, option: string): number {
  const ms = parseDuration(text, option)
  if (!Number.isFinite(ms) || ms < 1) throw new UsageError(`${option} must be a duration of at least 1ms such as 500ms, 30s, 5m, 2h or 7d, got "${text}"`)
  return ms
}
