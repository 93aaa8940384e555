import { ChordError } from '../errors.js'
import { ClientTimeoutError, ControlClient } from '../control/client.js'
import { resolveSocket } from '../socket-path.js'
import { parseDuration, UsageError, type ParsedCommand } from './args.js'
import { exitOf, utf8 } from './client-commands.js'
import { DEFAULT_TIMEOUT_MS, EXIT } from './commands.js'

/**
 * `chordkv watch KEY`: prints each change of the key as it happens until
 * Ctrl-C (exit 0), or only the next one with --once. Text: the value of a
 * put (a line each), "(deleted)", "(expired)"; --json: one JSON object per
 * event. A watch that falls behind (overflow) or a peer that stops ends it
 * with exit 1.
 */
export async function watchCommand ({ values, positionals }: ParsedCommand): Promise<number> {
  const [key] = positionals
  if (key === undefined || key === '') throw new UsageError('KEY must not be empty')
  const json = values.json === true
  const once = values.once === true
  const since = values.since as string | undefined
  const timeoutMs = values.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseDuration(values.timeout as string, '--timeout')
  const socket = await resolveSocket({ file: values.config as string | undefined, env: process.env, socket: values.socket as string | undefined, dataDir: values['data-dir'] as string | undefined })
  // --timeout bounds the wait for the watch to hold, not the watch.
  const signal = Number.isFinite(timeoutMs) ? AbortSignal.timeout(timeoutMs) : undefined
  const timedOut = (err: unknown): unknown => (signal?.aborted === true && err === signal.reason ? new ClientTimeoutError(socket, timeoutMs) : err)
  const { promise: ended, resolve: end } = Promise.withResolvers<number>()
  const stop = (): void => { end(EXIT.OK) }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  let client: ControlClient | undefined
  try {
    client = await ControlClient.connect(socket, { signal }).catch((err: unknown) => { throw timedOut(err) })
    const request = { encoding: 'base64', key: Buffer.from(key).toString('base64'), ...(since === undefined ? {} : { since }) }
    const response = await client.watch(request, event => {
      const kind = event.event as string
      if (kind === 'overflow') {
        process.stderr.write(`chordkv: ${String(event.message)}\n`)
        end(EXIT.FAILED)
        return
      }
      const value = typeof event.value === 'string' ? Buffer.from(event.value, 'base64') : undefined
      if (json) {
        const text = value === undefined ? undefined : utf8(value)
        const shown = value === undefined ? {} : text === undefined ? { value: event.value, encoding: 'base64' } : { value: text }
        process.stdout.write(`${JSON.stringify({ event: kind, key, ...shown, ...(event.version === undefined ? {} : { version: event.version }) })}\n`)
      } else {
        process.stdout.write(value !== undefined ? Buffer.concat([value, Buffer.from('\n')]) : `(${kind === 'resync' ? 'absent' : kind === 'del' ? 'deleted' : kind})\n`)
      }
      if (once) end(EXIT.OK)
    }, { signal }).catch((err: unknown) => { throw timedOut(err) })
    if (response.ok !== true) {
      const error = response.error as { code: string, message: string }
      process.stderr.write(`chordkv: ${error.message}\n`)
      return error.code === 'REPLICAS_UNAVAILABLE' ? EXIT.REPLICAS_UNAVAILABLE : EXIT.FAILED
    }
    client.closed.then(() => {
      process.stderr.write('chordkv: the peer closed the connection (it stopped): the watch ended\n')
      end(EXIT.FAILED)
    }, () => {})
    return await ended
  } catch (err) {
    if (!(err instanceof ChordError)) throw err
    process.stderr.write(`chordkv: ${err.message}\n`)
    return exitOf(err)
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
    client?.destroy()
  }
}
