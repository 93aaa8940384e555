import { enable, logger } from '@libp2p/logger'
import { FIELDS, loadConfig, type Config } from '../config.js'
import { memoryPlanFor } from '../memory-budget.js'
import { startDaemon, type Daemon, type Report } from '../daemon.js'
import type { Overlay } from '../overlay.js'
import { EXIT } from './commands.js'
import type { ParsedCommand } from './args.js'

/**
 * A signal repeated within this window is the same request: Ctrl-C reaches
 * the peer from the terminal and again through npm or a shell forwarding it
 * (ms).
 */
const REPEAT_WINDOW_MS = 1000

/** `chordkv start`: runs a peer until it leaves (Ctrl-C, SIGTERM or `chordkv leave`). */
export async function start ({ values }: ParsedCommand): Promise<number> {
  const flags = new Map<string, string | string[]>()
  for (const field of FIELDS) {
    const value = field.flag === undefined ? undefined : values[field.flag]
    if (typeof value === 'string' || Array.isArray(value)) flags.set(field.path, value)
  }
  const config = await loadConfig({ file: values.config as string | undefined, env: process.env, flags })
  fitHeap(memoryPlanFor(config).heapMiB)
  const report = reportAt(config.logLevel)
  const log = logger('chordkv:control')
  // Signals are caught from the start: one that arrives while the peer starts up stops it once it is up.
  let daemon: Pick<Daemon, 'shutdown' | 'done'> | undefined
  let first: number | undefined
  const onSignal = (signal: NodeJS.Signals): void => {
    if (first === undefined) {
      first = Date.now()
      report.info(`${signal}: leaving gracefully (send it again to exit at once)`)
      void daemon?.shutdown(true)
      return
    }
    if (Date.now() - first < REPEAT_WINDOW_MS) return
    report.warn(`${signal} again: exiting without finishing the hand-off`)
    process.exit(EXIT.FAILED)
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    // Only the overlay that runs is loaded: kad-dht alone is several MiB of code a chord peer never runs.
    const overlay: Overlay = config.overlay === 'kad' ? (await import('../kad/overlay.js')).kadOverlay : (await import('../chord/overlay.js')).chordOverlay
    const running = await startDaemon(overlay, config, report, log)
    daemon = running
    if (first !== undefined) void running.shutdown(true)
    await running.done
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
  return EXIT.OK
}

/** Set on the process that already runs with the heap its budget asks for. */
const HEAP_SET = 'CHORDKV_HEAP_MIB'

/**
 * V8 fixes the heap's limit when the process starts: a peer whose memory
 * budget asks for another limit starts again in place (same process, same
 * pid, signals and output, so supervisors see nothing) with it. It happens
 * once, before anything is opened.
 */
function fitHeap (heapMiB: number | undefined): void {
  if (heapMiB === undefined || process.env[HEAP_SET] === String(heapMiB)) return
  const args = [...process.execArgv.filter(a => !a.startsWith('--max-old-space-size')), `--max-old-space-size=${heapMiB}`, ...process.argv.slice(1)]
  // Node.js before 22.15 cannot: the budget then bounds all but the heap.
  process.execve?.(process.execPath, [process.execPath, ...args], { ...process.env, [HEAP_SET]: String(heapMiB) })
}

/**
 * What the peer prints at a log level: `info` lines on stdout (progress and
 * ring events), `warn` lines on stderr; `error` keeps only failures, `debug`
 * adds libp2p's debug log of chordkv (the `DEBUG=chordkv*` namespaces).
 * Where to reach the peer (id, addresses, socket) is printed at every level.
 */
function reportAt (level: Config['logLevel']): Report {
  if (level === 'debug') enable(['chordkv*', process.env.DEBUG].filter(d => d !== undefined && d !== '').join(','))
  const infoOn = level === 'info' || level === 'debug'
  const warnOn = infoOn || level === 'warn'
  return {
    info: line => { if (infoOn) process.stdout.write(`${line}\n`) },
    warn: line => { if (warnOn) process.stderr.write(`chordkv: ${line}\n`) },
    address: line => { process.stdout.write(`${line}\n`) }
  }
}
