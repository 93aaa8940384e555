import { ChordError } from '../errors.js'
import { ClientTimeoutError, ControlClient, NoPeerError } from '../control/client.js'
import { resolveSocket } from '../socket-path.js'
import { parseDuration, parseTtl, UsageError, type ParsedCommand } from './args.js'
import { DEFAULT_TIMEOUT_MS, EXIT, type CommandSpec } from './commands.js'
import { formatHealth, formatLookup, formatRing, formatStatus } from './format.js'
import type { ControlResponse } from '../control/protocol.js'
import type { Replies } from '../control/replies.js'

/** `leave --wait` may take as long as handing every key on. */
const LEAVE_WAIT_TIMEOUT_MS = 5 * 60_000

/** What a client command prints: text for people, or one JSON document. */
interface Output {
  /** Text, or the raw bytes of a value. */
  readonly text: string | Uint8Array
  readonly json: unknown
  readonly exit: number
  /** An error: the text goes to stderr (also with --json, which prints the JSON on stdout). */
  readonly error?: boolean
}

/**
 * put, get, del, lookup, status, ring, health, leave: one request over the
 * control socket, its answer printed as text or JSON. Imports nothing of
 * libp2p, so it starts fast.
 */
export async function clientCommand (spec: CommandSpec, { values, positionals }: ParsedCommand): Promise<number> {
  const json = values.json === true
  const [key, value] = positionals
  if (key === '') throw new UsageError('KEY must not be empty')
  const wait = values.wait === true
  const timeoutMs = values.timeout === undefined
    ? (wait ? LEAVE_WAIT_TIMEOUT_MS : spec.timeoutMs ?? DEFAULT_TIMEOUT_MS)
    : parseDuration(values.timeout as string, '--timeout')
  const ttl = values.ttl === undefined ? {} : { ttlMs: parseTtl(values.ttl as string, '--ttl') }
  const request = { ...await buildRequest(spec.name, key, value, wait), ...ttl }
  const socket = await resolveSocket({ file: values.config as string | undefined, env: process.env, socket: values.socket as string | undefined, dataDir: values['data-dir'] as string | undefined })
  let output: Output
  try {
    const response = await ask(socket, request, timeoutMs, wait)
    output = response.ok ? render(spec.name, response, key, wait) : failure(spec.name, response.error as { code: string, message: string }, key)
  } catch (err) {
    if (!(err instanceof ChordError)) throw err
    output = { ...failure(spec.name, { code: err.code, message: err.message }, key), exit: exitOf(err) }
  }
  if (json) process.stdout.write(`${JSON.stringify(output.json, null, 2)}\n`)
  if (output.error === true) process.stderr.write(output.text)
  else if (!json) process.stdout.write(output.text)
  return output.exit
}

/** Sends one request within the time limit; with `untilClosed`, also waits for the peer to close the connection. */
async function ask (socket: string, request: Record<string, unknown>, timeoutMs: number, untilClosed: boolean): Promise<ControlResponse> {
  const signal = Number.isFinite(timeoutMs) ? AbortSignal.timeout(timeoutMs) : undefined
  const timedOut = (err: unknown): unknown => (signal?.aborted === true && err === signal.reason ? new ClientTimeoutError(socket, timeoutMs) : err)
  const client = await ControlClient.connect(socket, { signal }).catch(err => { throw timedOut(err) })
  try {
    const response = await client.request(request, { signal })
    // A peer that finished leaving closes its control socket as it stops.
    if (untilClosed && response.ok) await abortable(client.closed, signal)
    return response
  } catch (err) {
    throw timedOut(err)
  } finally {
    client.destroy()
  }
}

async function abortable (promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return promise
  signal.throwIfAborted()
  await new Promise<void>((resolve, reject) => {
    const onAbort = (): void => { reject(signal.reason) }
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => { signal.removeEventListener('abort', onAbort) })
  })
}

/** The exit status of a client command that failed with `err`. */
export function exitOf (err: ChordError): number {
  if (err instanceof NoPeerError) return EXIT.NO_PEER
  if (err instanceof ClientTimeoutError) return EXIT.TIMEOUT
  return EXIT.FAILED
}

async function buildRequest (command: string, key: string | undefined, value: string | undefined, wait: boolean): Promise<Record<string, unknown>> {
  switch (command) {
    case 'put':
      // Values from stdin may be any bytes: send key and value as base64.
      if (value === '-') return { op: 'put', encoding: 'base64', key: Buffer.from(key ?? '').toString('base64'), value: (await readStdin()).toString('base64') }
      return { op: 'put', key, value }
    case 'get':
      // Ask for base64 so any bytes come back intact.
      return { op: 'get', encoding: 'base64', key: Buffer.from(key ?? '').toString('base64') }
    case 'del':
    case 'lookup':
      return { op: command, key }
    case 'leave':
      return wait ? { op: 'leave', wait: true } : { op: 'leave' }
    default:
      return { op: command }
  }
}

/** The answer of a peer that said ok. */
function render (command: string, response: ControlResponse, key: string | undefined, waited: boolean): Output {
  const { id: _id, ok: _ok, ...body } = response
  // The peer speaks the control protocol: its answer to an op is that op's reply (control/replies.ts).
  const reply = <Op extends keyof Replies>(_op: Op): Replies[Op] => body as unknown as Replies[Op]
  // Every op has a case: a new op in control/replies.ts does not compile until it is rendered here.
  const op = command as keyof Replies
  switch (op) {
    case 'get': {
      const bytes = Buffer.from(reply('get').value, 'base64')
      const text = utf8(bytes)
      const json = text === undefined ? { key, value: response.value, encoding: 'base64' } : { key, value: text }
      // A terminal gets a newline after the value; a pipe gets the bytes exactly.
      return { text: process.stdout.isTTY && bytes.at(-1) !== 0x0a ? Buffer.concat([bytes, Buffer.from('\n')]) : bytes, json, exit: EXIT.OK }
    }
    case 'put': {
      const { replicas } = reply('put')
      return { text: `stored on ${replicas} replica${replicas === 1 ? '' : 's'}\n`, json: { key, replicas }, exit: EXIT.OK }
    }
    case 'del': {
      const existed = reply('del').existed !== false
      return { text: existed ? `deleted ${key}\n` : `${key} held no value\n`, json: { key, existed }, exit: EXIT.OK }
    }
    case 'leave': {
      const handoff = reply('leave').handoff === true
      const text = !handoff
        ? `the peer has no ring neighbour to hand keys to (it is alone or has not joined): it ${waited ? 'stopped' : 'stops'} without a hand-off\n`
        : waited ? 'the peer handed its keys to its successor and stopped\n' : 'the peer is handing its keys to its successor and will stop\n'
      return { text, json: { handoff }, exit: EXIT.OK }
    }
    case 'health': {
      const health = reply('health')
      return { text: formatHealth(health), json: body, exit: health.healthy === true ? EXIT.OK : EXIT.FAILED }
    }
    case 'ring': {
      const view = reply('ring')
      return { text: formatRing(view), json: body, exit: view.warnings.length === 0 ? EXIT.OK : EXIT.FAILED }
    }
    case 'lookup':
      return { text: formatLookup(reply('lookup')), json: { key, ...body }, exit: EXIT.OK }
    case 'status':
      return { text: formatStatus(reply('status')), json: body, exit: EXIT.OK }
    default: {
      const unknown: never = op
      throw new Error(`no rendering for the answer to ${String(unknown)}`)
    }
  }
}

/** A refused or failed request. */
function failure (command: string, error: { code: string, message: string }, key: string | undefined): Output {
  const text = command === 'get' && error.code === 'NOT_FOUND'
    ? `chordkv: not found: ${key}\n`
    : `chordkv: ${error.code === 'NO_PEER' || error.code === 'CLIENT_TIMEOUT' || error.code === 'NO_ACCESS' ? '' : `${error.code}: `}${error.message}\n`
  // REPLICAS_UNAVAILABLE is not "absent": the replicas that would hold the key did not answer; retry.
  return { text, json: { error }, exit: error.code === 'REPLICAS_UNAVAILABLE' ? EXIT.REPLICAS_UNAVAILABLE : EXIT.FAILED, error: true }
}

const decoder = new TextDecoder('utf-8', { fatal: true })

/** The bytes as text, when they are valid UTF-8. */
export function utf8 (bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes)
  } catch {
    return undefined
  }
}

async function readStdin (): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}
