import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * Files that ship beside `dist/` (package.json, bin/, the one-file build),
 * found from the package root: the first directory up from the running code
 * that holds a package.json. The code runs from `dist/src/…` as compiled or
 * from `dist/bundle/` as bundled, so a path relative to one module's own
 * location would be right in only one of the two.
 */
function packageRoot (): URL {
  let dir = new URL('./', import.meta.url)
  while (!existsSync(new URL('package.json', dir))) {
    const parent = new URL('../', dir)
    if (parent.href === dir.href) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`)
    dir = parent
  }
  return dir
}

const root = packageRoot()

/** A file of the package, by its path from the package root. */
export const packageFile = (path: string): string => fileURLToPath(new URL(path, root))

/**
 * What a peer process runs: the one-file build (`npm run build` makes it),
 * whose own memory at rest is about a third less than the modules it is
 * made of (27 MiB against 38: each module's source, records and compiled
 * code stay in memory for the process's life; README, "Chord or Kademlia").
 */
export const PEER_ENTRY = packageFile('dist/bundle/chordkv.js')
