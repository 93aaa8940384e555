import { logger } from '@libp2p/logger'
import { FIELDS, loadConfig } from '../config.js'
import { startDaemon } from '../daemon.js'
import { startKadDaemon } from '../kad/daemon.js'
import { EXIT, parse, UsageError } from './usage.js'

/** `chordkv start`: runs a peer until it leaves (Ctrl-C, SIGTERM or `chordkv leave`). */
export async function start (args: readonly string[]): Promise<number> {
  const { values, positionals } = parse({
    args: [...args],
    allowPositionals: true,
    options: {
      listen: { type: 'string', multiple: true },
      announce: { type: 'string', multiple: true },
      bootstrap: { type: 'string', multiple: true },
      'data-dir': { type: 'string' },
      socket: { type: 'string' },
      config: { type: 'string' },
      storage: { type: 'string' },
      overlay: { type: 'string' },
      successors: { type: 'string' },
      replicas: { type: 'string' }
    }
  })
  if (positionals.length > 0) throw new UsageError(`start takes no arguments, got "${positionals.join(' ')}"`)
  const flags = new Map<string, string | string[]>()
  for (const field of FIELDS) {
    const value = field.flag === undefined ? undefined : (values as Record<string, string | string[] | undefined>)[field.flag]
    if (value !== undefined) flags.set(field.path, value)
  }
  const config = await loadConfig({ file: values.config, env: process.env, flags })

  const report = {
    info: (line: string) => { process.stdout.write(`${line}\n`) },
    warn: (line: string) => { process.stderr.write(`chordkv: ${line}\n`) }
  }
  const log = logger('chordkv:control')
  const daemon = config.overlay === 'kad' ? await startKadDaemon(config, report, log) : await startDaemon(config, report, log)
  let signals = 0
  const onSignal = (signal: NodeJS.Signals): void => {
    if (++signals > 1) {
      report.warn(`${signal} again: exiting without finishing the hand-off`)
      process.exit(EXIT.FAILED)
    }
    report.info(`${signal}: leaving gracefully (send it again to exit at once)`)
    void daemon.shutdown(true)
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  await daemon.done
  process.off('SIGINT', onSignal)
  process.off('SIGTERM', onSignal)
  return EXIT.OK
}
