import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { ConfigError } from './errors.js'

/**
 * Where a peer's control socket is: what a client command needs of the
 * configuration. It imports nothing beyond Node.js, so client commands start
 * fast; `config.ts` checks everything else a peer needs.
 */

/** The default data directory, `~/.chordkv`. */
export function defaultDataDir (home = homedir()): string {
  return join(home, '.chordkv')
}

/** The control socket inside a data directory. */
export function socketIn (dataDir: string): string {
  return join(dataDir, 'chordkv.sock')
}

/** Expands a leading `~` to the home directory. */
export function expandHome (path: string, home = homedir()): string {
  return path === '~' || path.startsWith('~/') ? join(home, path.slice(1)) : path
}

/** Where a setting came from, weakest first: precedence is defaults < config file < environment < flags. */
export const LAYERS = ['defaults', 'file', 'env', 'flag'] as const
export type Layer = typeof LAYERS[number]

/** A setting's value and the layer that set it. */
export interface Layered<T> {
  readonly value: T
  readonly layer: Layer
}

/**
 * The socket path: an explicit `socket` unless `dataDir` was set by a
 * stronger layer, in which case the socket is the one inside that directory
 * (`--data-dir ./peer2` beats `CHORDKV_SOCKET`). Within one layer `socket`
 * wins. Paths are made absolute and `~` is expanded.
 */
export function chooseSocket (socket: Layered<string> | undefined, dataDir: Layered<string>, home: string): string {
  return socket !== undefined && socketWins(socket.layer, dataDir.layer)
    ? resolve(expandHome(socket.value, home))
    : socketIn(resolve(expandHome(dataDir.value, home)))
}

/** Whether a socket set in `socketLayer` beats the one inside a data directory set in `dataDirLayer`. */
export function socketWins (socketLayer: Layer, dataDirLayer: Layer): boolean {
  return LAYERS.indexOf(socketLayer) >= LAYERS.indexOf(dataDirLayer)
}

/** Reads a JSON config file; a file that cannot be read or parsed is a {@link ConfigError}. */
export async function readConfigFile (file: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new ConfigError(`cannot read config file ${file}: ${(err as Error).message}`)
  }
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new ConfigError(`config file ${file} is not valid JSON: ${(err as Error).message}`)
  }
}

export interface SocketSources {
  /** A JSON config file (only its `socket` and `dataDir` are read). */
  readonly file?: string | undefined
  readonly env: NodeJS.ProcessEnv
  /** `--socket` and `--data-dir`. */
  readonly socket?: string | undefined
  readonly dataDir?: string | undefined
}

/**
 * The control socket a client command talks to: `--socket`, else
 * `--data-dir`, else `CHORDKV_SOCKET`, `CHORDKV_DATA_DIR`, then the config
 * file's `socket` and `dataDir`, else `~/.chordkv/chordkv.sock`. Settings the
 * client does not use are not read, so they cannot fail it.
 */
export async function resolveSocket (sources: SocketSources): Promise<string> {
  const home = sources.env.HOME !== undefined && sources.env.HOME !== '' ? sources.env.HOME : homedir()
  let socket: Layered<string> | undefined
  let dataDir: Layered<string> = { value: defaultDataDir(home), layer: 'defaults' }
  const set = (layer: Layer, path: string | undefined, dir: string | undefined): void => {
    if (path !== undefined && path !== '') socket = { value: path, layer }
    if (dir !== undefined && dir !== '') dataDir = { value: dir, layer }
  }
  if (sources.file !== undefined) {
    const file = await readConfigFile(sources.file)
    const fields = typeof file === 'object' && file !== null ? file as Record<string, unknown> : {}
    for (const name of ['socket', 'dataDir']) {
      if (fields[name] !== undefined && typeof fields[name] !== 'string') throw new ConfigError(`config file ${sources.file}: ${name} must be a string`)
    }
    set('file', fields.socket as string | undefined, fields.dataDir as string | undefined)
  }
  set('env', sources.env.CHORDKV_SOCKET, sources.env.CHORDKV_DATA_DIR)
  set('flag', sources.socket, sources.dataDir)
  return chooseSocket(socket, dataDir, home)
}
