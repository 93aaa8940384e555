import { readFile } from 'node:fs/promises'
import { ConfigError } from './errors.js'

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
