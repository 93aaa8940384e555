import { ChordError } from '../errors.js'
import { ClientTimeoutError, ControlClient, NoPeerError } from '../control/client.js'
import { resolveSocket } from '../socket-path.js'
import { parseDuration, parseTtl, UsageError, type ParsedCommand } from './args.js'
import { DEFAULT_TIMEOUT_MS, EXIT, type CommandSpec } from './commands.js'
import { formatHealth, formatLookup, formatRing, formatStatus } from './format.js'
import type { ControlResponse, ErrorBody, Op } from '../control/protocol.js'
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
  const op = spec.name
  if (!isClientOp(op)) throw new Error(`${op} is not a client command`)
  const json = values.json === true
  const [key, value] = positionals
  if (key === '') throw new UsageError('KEY must not be empty')
  const wait = values.wait === true
  const timeoutMs = values.timeout === undefined
    ? (wait ? LEAVE_WAIT_TIMEOUT_MS : spec.timeoutMs ?? DEFAULT_TIMEOUT_MS)
    : parseDuration(values.timeout as string, '--timeout')
  const ttl = values.ttl === undefined ? {} : { ttlMs: parseTtl(values.ttl as string, '--ttl') }
  const request = { ...await buildRequest(op, key, value, wait), ...ttl }
  const socket = await resolveSocket({ file: values.config as string | undefined, env: process.env, socket: values.socket as string | undefined, dataDir: values['data-dir'] as string | undefined })
  let output: Output
  try {
    output = await answer(op, request, socket, timeoutMs, { key, waited: wait })
  } catch (err) {
    if (!(err instanceof ChordError)) throw err
    output = { ...failure(op, { code: err.code, message: err.message }, key), exit: exitOf(err) }
  }
  if (json) process.stdout.write(`${JSON.stringify(output.json, null, 2)}\n`)
  if (output.error === true) process.stderr.write(output.text)
  else if (!json) process.stdout.write(output.text)
  return output.exit
}

/** The ops a client command sends: every op but the watch's own (watch-command.ts). */
type ClientOp = Exclude<Op, 'watch' | 'unwatch'>

const CLIENT_OPS: readonly string[] = ['put', 'get', 'del', 'lookup', 'status', 'ring', 'health', 'leave'] satisfies readonly ClientOp[]

function isClientOp (name: string): name is ClientOp {
  return CLIENT_OPS.includes(name)
}

/** What a rendering knows besides the reply. */
interface RenderContext {
  readonly key: string | undefined
  /** `leave --wait`: the peer has stopped. */
  readonly waited: boolean
}

/** Sends the op's request and renders its answer. */
async function answer<O extends ClientOp> (op: O, request: { readonly op: O } & Record<string, unknown>, socket: string, timeoutMs: number, ctx: RenderContext): Promise<Output> {
  const response = await ask(socket, request, timeoutMs, ctx.waited)
  if (!response.ok) return failure(op, response.error, ctx.key)
  const render: (reply: Replies[O], ctx: RenderContext) => Output = RENDER[op]
  return render(response, ctx)
}

/** A reply as --json prints it: without the response's id and ok. */
function body (reply: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(reply).filter(([field]) => field !== 'id' && field !== 'ok'))
}

/** Sends one request within the time limit; with `untilClosed`, also waits for the peer to close the connection. */
async function ask<O extends Op> (socket: string, request: { readonly op: O } & Record<string, unknown>, timeoutMs: number, untilClosed: boolean): Promise<ControlResponse<O>> {
  const signal = Number.isFinite(timeoutMs) ? AbortSignal.timeout(timeoutMs) : undefined
  const timedOut = (err: unknown): unknown => (signal?.aborted === true && err === signal.reason ? new ClientTimeoutError(socket, timeoutMs) : err)
  const client = await ControlClient.connect(socket, { signal }).catch(err => { throw timedOut(err) })
  try {
    const response = await client.call(request, { signal })
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

async function buildRequest<O extends ClientOp> (op: O, key: string | undefined, value: string | undefined, wait: boolean): Promise<{ readonly op: O } & Record<string, unknown>> {
  switch (op) {
    case 'put':
      // Values from stdin may be any bytes: send key and value as base64.
      if (value === '-') return { op, encoding: 'base64', key: Buffer.from(key ?? '').toString('base64'), value: (await readStdin()).toString('base64') }
      return { op, key, value }
    case 'get':
      // Ask for base64 so any bytes come back intact.
      return { op, encoding: 'base64', key: Buffer.from(key ?? '').toString('base64') }
    case 'del':
    case 'lookup':
      return { op, key }
    case 'leave':
      return wait ? { op, wait: true } : { op }
    default:
      return { op }
  }
}

/**
 * How each op's answer is printed, from the op's reply (control/replies.ts):
 * a new op does not compile until it is rendered here.
 */
const RENDER: { readonly [O in ClientOp]: (reply: Replies[O], ctx: RenderContext) => Output } = {
  get: ({ value }, { key }) => {
    const bytes = Buffer.from(value, 'base64')
    const text = utf8(bytes)
    const json = text === undefined ? { key, value, encoding: 'base64' } : { key, value: text }
    // A terminal gets a newline after the value; a pipe gets the bytes exactly.
    return { text: process.stdout.isTTY && bytes.at(-1) !== 0x0a ? Buffer.concat([bytes, Buffer.from('\n')]) : bytes, json, exit: EXIT.OK }
  },
  put: ({ replicas }, { key }) => ({ text: `stored on ${replicas} replica${replicas === 1 ? '' : 's'}\n`, json: { key, replicas }, exit: EXIT.OK }),
  del: (reply, { key }) => {
    const existed = reply.existed !== false
    return { text: existed ? `deleted ${key}\n` : `${key} held no value\n`, json: { key, existed }, exit: EXIT.OK }
  },
  leave: (reply, { waited }) => {
    const handoff = reply.handoff
    const text = !handoff
      ? `the peer has no ring neighbour to hand keys to (it is alone or has not joined): it ${waited ? 'stopped' : 'stops'} without a hand-off\n`
      : waited ? 'the peer handed its keys to its successor and stopped\n' : 'the peer is handing its keys to its successor and will stop\n'
    return { text, json: { handoff }, exit: EXIT.OK }
  },
  health: health => ({ text: formatHealth(health), json: body(health), exit: health.healthy ? EXIT.OK : EXIT.FAILED }),
  ring: view => ({ text: formatRing(view), json: body(view), exit: view.warnings.length === 0 ? EXIT.OK : EXIT.FAILED }),
  lookup: (reply, { key }) => ({ text: formatLookup(reply), json: { key, ...body(reply) }, exit: EXIT.OK }),
  status: status => ({ text: formatStatus(status), json: body(status), exit: EXIT.OK })
}

/** A refused or failed request. */
function failure (command: string, error: ErrorBody, key: string | undefined): Output {
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
