import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { generateKey } from '@libp2p/pnet'
import { EXIT } from './commands.js'
import type { ParsedCommand } from './args.js'

/** Bytes of a key file as `@libp2p/pnet` writes it: two header lines and 64 hex digits. */
const KEY_FILE_BYTES = 95

/**
 * `chordkv swarm-key FILE`: writes a new swarm key (libp2p's private-network
 * format) readable only by its owner. An existing file is left alone: a ring's
 * peers must all keep the key they share.
 */
export async function swarmKey ({ positionals }: ParsedCommand): Promise<number> {
  const file = resolve(positionals[0] as string)
  const key = new Uint8Array(KEY_FILE_BYTES)
  generateKey(key)
  try {
    await writeFile(file, Buffer.concat([key, Buffer.from('\n')]), { mode: 0o600, flag: 'wx' })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const why = code === 'EEXIST' ? 'it exists; a new key would cut its ring\'s peers off, so remove the file first if you mean to replace it' : (err as Error).message
    process.stderr.write(`chordkv: cannot write a swarm key to ${file}: ${why}\n`)
    return EXIT.FAILED
  }
  process.stdout.write(`wrote a new swarm key to ${file} (mode 0600)\n` +
    `give every peer of the ring the same file: chordkv start --swarm-key ${file}\n`)
  return EXIT.OK
}
