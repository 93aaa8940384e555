import { readFileSync } from 'node:fs'
import { readFile, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ConfigError } from './errors.js'

/**
 * One peer per data directory, whatever its storage: the peer's pid is kept
 * in `<dataDir>/chordkv.pid` while it runs. A file naming a process that is
 * gone, that is this process (a container restarted with the same pid), or
 * that is not a chordkv peer is left over from a crash and is replaced.
 * Resolves with the function that releases the directory.
 */
export async function lockDataDir (dir: string): Promise<() => Promise<void>> {
  const path = join(dir, 'chordkv.pid')
  const mine = `${process.pid}\n`
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(path, mine, { flag: 'wx', mode: 0o600 })
      return async () => {
        if (await readFile(path, 'utf8').catch(() => '') === mine) await unlink(path).catch(() => {})
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new ConfigError(`cannot write ${path}: ${(err as Error).message}`)
    }
    const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim())
    if (attempt > 0 || runningPeer(pid)) {
      throw new ConfigError(`the data directory ${dir} is in use by the running peer with pid ${pid} (one data directory per peer); if no peer runs there, delete ${path}`)
    }
    await unlink(path).catch(() => {})
  }
}

/** Whether `pid` is another live process that looks like a chordkv peer. */
function runningPeer (pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false
  try {
    process.kill(pid, 0)
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('chordkv')
  } catch {
    // No /proc (not Linux): a live process with that pid counts as the peer.
    return true
  }
}
