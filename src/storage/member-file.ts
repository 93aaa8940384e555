import { readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { MemberStore, RememberedMember } from '../node/member-book.js'

/** File inside the data directory listing the ring members this peer saw last. */
export const MEMBERS_FILE = 'members.json'

/**
 * Remembered members as JSON in the data directory. Written whole to a
 * temporary file and renamed over the old one, so a crash mid-write leaves
 * the previous list. A missing or unreadable file is an empty list (the
 * peer then knows only its bootstrap entries); `onProblem` hears why.
 */
export class MemberFile implements MemberStore {
  private readonly file: string

  constructor (dataDir: string, private readonly onProblem: (message: string) => void = () => {}) {
    this.file = join(dataDir, MEMBERS_FILE)
  }

  async load (): Promise<RememberedMember[]> {
    let text: string
    try {
      text = await readFile(this.file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.onProblem(`cannot read ${this.file}: ${(err as Error).message}`)
      return []
    }
    try {
      const parsed = JSON.parse(text) as { members?: unknown }
      if (!Array.isArray(parsed.members)) throw new Error('no "members" list')
      return parsed.members.filter(isMember)
    } catch (err) {
      this.onProblem(`ignoring ${this.file}: ${(err as Error).message}`)
      return []
    }
  }

  async save (members: readonly RememberedMember[]): Promise<void> {
    const tmp = `${this.file}.tmp`
    await writeFile(tmp, JSON.stringify({ version: 1, members }, null, 1) + '\n', { mode: 0o600 })
    await rename(tmp, this.file)
  }
}

function isMember (value: unknown): value is RememberedMember {
  const m = value as Partial<RememberedMember> | null
  return typeof m === 'object' && m !== null && typeof m.peer === 'string' && Array.isArray(m.addrs) &&
    m.addrs.every(a => typeof a === 'string') && typeof m.seenAt === 'number'
}
