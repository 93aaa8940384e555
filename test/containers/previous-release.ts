import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build, command, ROOT } from './docker.js'

/**
 * The release before this one, for the rolling-upgrade test: its image is
 * built from its own source, as its users built it, from the tag (or, in a
 * clone without tags, the commit the tag names).
 */
export const PREVIOUS_RELEASE = { version: '0.1.0', tag: 'v0.1.0', commit: 'aed16aa' } as const

/** The tag or commit of the previous release that this clone has; rejects in one line when it has neither (a shallow clone). */
export async function previousReleaseRef (): Promise<string> {
  for (const ref of [PREVIOUS_RELEASE.tag, PREVIOUS_RELEASE.commit]) {
    const found = await command('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: ROOT, allowFailure: true })
    if (found.code === 0) return ref
  }
  throw new Error(`neither the tag ${PREVIOUS_RELEASE.tag} nor the commit ${PREVIOUS_RELEASE.commit} is in this clone (a shallow clone?): "git fetch --unshallow --tags" brings them`)
}

/** Builds the previous release's image as `tag` from `git archive` of its source; resolves with the seconds the build took. */
export async function buildPreviousRelease (tag: string): Promise<number> {
  const ref = await previousReleaseRef()
  const dir = await mkdtemp(join(tmpdir(), 'chordkv-previous-release-'))
  try {
    await command('sh', ['-c', 'git archive --format=tar "$1" | tar -x -C "$2"', 'sh', ref, dir], { cwd: ROOT })
    return await build(tag, dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
