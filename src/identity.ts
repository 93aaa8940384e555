import { readFile, writeFile, mkdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { ConfigError } from './errors.js'
import type { PrivateKey } from '@libp2p/interface'

/** File inside the data directory holding the peer's private key (protobuf). */
export const IDENTITY_FILE = 'identity.key'

/**
 * The peer's Ed25519 key: created on first start in the data directory (file
 * mode 0600) and read back on every restart, so a restarted peer keeps its
 * peer ID and therefore its place on the ring.
 */
export async function loadOrCreateIdentity (dataDir: string): Promise<{ key: PrivateKey, created: boolean }> {
  const file = join(dataDir, IDENTITY_FILE)
  let bytes: Uint8Array | undefined
  try {
    bytes = await readFile(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new ConfigError(`cannot read identity file ${file}: ${(err as Error).message}`)
  }
  if (bytes !== undefined) {
    const mode = (await stat(file)).mode & 0o777
    if ((mode & 0o077) !== 0) throw new ConfigError(`identity file ${file} is readable by other users (mode ${mode.toString(8)}); run chmod 600 on it`)
    try {
      return { key: privateKeyFromProtobuf(bytes), created: false }
    } catch (err) {
      throw new ConfigError(`identity file ${file} does not hold a valid private key: ${(err as Error).message}`)
    }
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const key = await generateKeyPair('Ed25519')
  try {
    // 'wx' fails if another process created the file meanwhile: never overwrite an identity.
    await writeFile(file, privateKeyToProtobuf(key), { mode: 0o600, flag: 'wx' })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateIdentity(dataDir)
    throw new ConfigError(`cannot write identity file ${file}: ${(err as Error).message}`)
  }
  return { key, created: true }
}
