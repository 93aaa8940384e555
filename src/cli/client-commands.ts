import { ChordError } from '../errors.js'
import { ControlClient } from '../control/client.js'
import { loadConfig } from '../config.js'
import { formatLookup, formatStatus } from './format.js'
import { EXIT, parse, UsageError } from './usage.js'
import type { ControlResponse } from '../control/protocol.js'

export const CLIENT_COMMANDS = ['put', 'get', 'del', 'lookup', 'status', 'health', 'leave'] as const
type ClientCommand = typeof CLIENT_COMMANDS[number]

export function isClientCommand (command: string): command is ClientCommand {
  return (CLIENT_COMMANDS as readonly string[]).includes(command)
}

/** Arguments each command takes (after its options). */
const ARITY: Record<ClientCommand, string[]> = {
  put: ['KEY', 'VALUE'],
  get: ['KEY'],
  del: ['KEY'],
  lookup: ['KEY'],
  status: [],
  health: [],
  leave: []
}

/**
 * The control socket a client command talks to, resolved exactly as
 * `chordkv start` resolves it (same config file, environment and flags).
 */
async function socketPath (values: { socket?: string, 'data-dir'?: string, config?: string }): Promise<string> {
  const flags = new Map<string, string>()
  if (values.socket !== undefined) flags.set('socket', values.socket)
  if (values['data-dir'] !== undefined) flags.set('dataDir', values['data-dir'])
  return (await loadConfig({ file: values.config, env: process.env, flags })).socket
}

/** put, get, del, lookup, status, leave: one request over the control socket. */
export async function clientCommand (command: ClientCommand, args: readonly string[]): Promise<number> {
  const { values, positionals } = parse({
    args: [...args],
    allowPositionals: true,
    options: { socket: { type: 'string' }, 'data-dir': { type: 'string' }, config: { type: 'string' }, json: { type: 'boolean' } }
  })
  const expected = ARITY[command]
  if (positionals.length !== expected.length) {
    throw new UsageError(`${command} takes ${expected.length === 0 ? 'no arguments' : expected.join(' ')}, got ${positionals.length === 0 ? 'none' : `"${positionals.join(' ')}"`}`)
  }
  if (values.json === true && command !== 'status' && command !== 'lookup') throw new UsageError(`--json applies to status and lookup, not ${command}`)
  const [key, value] = positionals as [string | undefined, string | undefined]
  if (key === '') throw new UsageError('KEY must not be empty')

  const request = await buildRequest(command, key, value)
  const client = await ControlClient.connect(await socketPath(values))
  let response: ControlResponse
  try {
    response = await client.request(request)
  } finally {
    client.close()
  }
  if (!response.ok) {
    const error = response.error as { code: string, message: string }
    if (command === 'get' && error.code === 'NOT_FOUND') {
      process.stderr.write(`chordkv: not found: ${key}\n`)
      return EXIT.FAILED
    }
    // Not "absent": the replicas that would hold the key did not answer. A script should retry.
    if (error.code === 'REPLICAS_UNAVAILABLE') {
      process.stderr.write(`chordkv: ${error.code}: ${error.message}\n`)
      return EXIT.REPLICAS_UNAVAILABLE
    }
    throw new ChordError(error.code, `${error.code}: ${error.message}`)
  }
  if (command === 'health') {
    // Healthy means the peer can take writes; otherwise every reason is printed.
    const reasons = (response.reasons as string[] | undefined) ?? []
    process.stdout.write(response.healthy === true ? `healthy (${String(response.state)})\n` : `unhealthy (${String(response.state)}): ${reasons.join('; ')}\n`)
    return response.healthy === true ? EXIT.OK : EXIT.FAILED
  }
  output(command, response, key, values.json === true)
  return EXIT.OK
}

async function buildRequest (command: ClientCommand, key: string | undefined, value: string | undefined): Promise<Record<string, unknown>> {
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
    case 'health':
      return { op: 'health' }
    default:
      return { op: command }
  }
}

function output (command: ClientCommand, response: ControlResponse, key: string | undefined, json: boolean): void {
  switch (command) {
    case 'get':
      process.stdout.write(Buffer.from(response.value as string, 'base64'))
      return
    case 'put':
      if (typeof response.replicas === 'number') process.stdout.write(`stored on ${response.replicas} replica${response.replicas === 1 ? '' : 's'}\n`)
      return
    case 'del':
      process.stdout.write(response.existed === false ? `${key} held no value\n` : `deleted ${key}\n`)
      return
    case 'leave':
      process.stdout.write('the peer is handing its keys to its successor and will stop\n')
      return
    default: {
      const { id: _id, ok: _ok, ...body } = response
      if (json) process.stdout.write(`${JSON.stringify(body, null, 2)}\n`)
      else process.stdout.write(command === 'status' ? formatStatus(body) : formatLookup(body))
    }
  }
}

async function readStdin (): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}
