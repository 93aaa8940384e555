import { readFile } from 'node:fs/promises'
import { createConnection } from 'node:net'
import { ConfigError } from './errors.js'
import type { Multiaddr } from '@multiformats/multiaddr'

/**
 * A private ring's swarm key: the pre-shared key of libp2p's private
 * networks (`@libp2p/pnet`, the format go-ipfs and kubo use). Every
 * connection is encrypted with it before anything else is said, so a node
 * without the same key cannot complete a connection to a member.
 *
 * The file is three lines: `/key/swarm/psk/1.0.0/`, `/base16/` and 64 hex
 * digits (32 random bytes). `chordkv swarm-key FILE` writes a new one.
 */

const HEADER = '/key/swarm/psk/1.0.0/'
const ENCODING = '/base16/'

/** Reads and checks a swarm key file; a missing or malformed file is a ConfigError naming it. */
export async function readSwarmKey (file: string): Promise<Uint8Array> {
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch (err) {
    throw new ConfigError(`cannot read the swarm key file ${file}: ${(err as Error).message}`)
  }
  const problem = swarmKeyProblem(bytes.toString('utf8'))
  if (problem !== undefined) throw new ConfigError(`the swarm key file ${file} ${problem} (chordkv swarm-key FILE writes a valid one)`)
  return new Uint8Array(bytes)
}

/** What is wrong with a swarm key file's text, or undefined when it is a valid key. */
export function swarmKeyProblem (text: string): string | undefined {
  const [header, encoding, key, ...rest] = text.split(/\r?\n/)
  if (header !== HEADER) return `must start with the line ${HEADER}`
  if (encoding !== ENCODING) return `must name the encoding ${ENCODING} on its second line`
  if (key === undefined || !/^[0-9a-fA-F]{64}$/.test(key)) return 'must hold 64 hexadecimal digits (32 bytes) on its third line'
  if (rest.some(line => line.trim() !== '')) return 'has text after the key'
  return undefined
}

/**
 * What a connection to a peer fails with when the two sides hold different
 * swarm keys, or one holds none: the first side's bytes reach the other
 * encrypted with a key it does not share (or not at all), and its protocol
 * negotiation reads noise, or waits for bytes that never make sense.
 */
const KEY_MISMATCH = /length too long|Missing newline|ECONNRESET|EPIPE|Unexpected end of input|stream ended before|InvalidCryptoExchange|Invalid message|protocol selection failed/i
/** A dial that ran out of time. */
const TIMED_OUT = /aborted|timed? ?out/i
/** How long the check that a silent peer accepts TCP connections may take (ms). */
const TCP_CHECK_MS = 1000

const HINT = 'a different or missing swarm key on one side fails connections this way: every peer of a private ring needs the same --swarm-key'

/**
 * A dial failure in words an operator can act on: one that looks like a
 * swarm-key mismatch says so (libp2p's own message says only what broke).
 * A dial that timed out although the address accepts TCP connections is
 * one too, most likely: the peer listens but never completes libp2p's
 * handshake.
 */
export async function explainDialFailure (err: Error, addr?: Multiaddr): Promise<Error> {
  if (KEY_MISMATCH.test(err.message)) return new Error(`${err.message} (${HINT})`, { cause: err })
  const at = addr === undefined ? undefined : tcpAddress(addr)
  if (at === undefined || !TIMED_OUT.test(err.message) || !await acceptsTcp(at.host, at.port)) return err
  return new Error(`${err.message}, although ${at.host}:${at.port} accepts TCP connections (${HINT})`, { cause: err })
}

function tcpAddress (addr: Multiaddr): { host: string, port: number } | undefined {
  const [ip, tcp] = addr.getComponents()
  if (ip === undefined || tcp?.name !== 'tcp' || !['ip4', 'ip6', 'dns', 'dns4', 'dns6'].includes(ip.name)) return undefined
  return { host: ip.value ?? '', port: Number(tcp.value) }
}

async function acceptsTcp (host: string, port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = createConnection({ host, port, timeout: TCP_CHECK_MS })
    const done = (ok: boolean): void => {
      socket.destroy()
      resolve(ok)
    }
    socket.once('connect', () => { done(true) })
    socket.once('error', () => { done(false) })
    socket.once('timeout', () => { done(false) })
  })
}
