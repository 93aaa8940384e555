import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { command, ROOT, type Outcome } from './docker.js'

/**
 * The README's container instructions, run as written: the shell blocks
 * that follow a marker comment naming a test file, with only the names they
 * create given the run's prefix.
 */

/** The ```sh blocks after the comment that names `testFile`, up to the next marker comment or section. */
export async function readmeBlocks (testFile: string): Promise<string[]> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8')
  const marker = readme.indexOf(`<!-- ${testFile} `)
  if (marker < 0) throw new Error(`README.md has no marker comment naming ${testFile}`)
  const rest = readme.slice(marker + 1)
  const end = rest.search(/\n<!-- |\n## /)
  const blocks = [...rest.slice(0, end < 0 ? undefined : end).matchAll(/```sh\n([\s\S]*?)```/g)].map(m => m[1] as string)
  if (blocks.length === 0) throw new Error(`no sh blocks follow the marker for ${testFile}`)
  return blocks
}

/**
 * Runs a block with bash -e (a failing command stops it) in the repository,
 * as a reader would (with bin/ on PATH, as the README's quick start puts
 * it), within `timeoutMs`.
 */
export async function runBlock (script: string, options: { env?: NodeJS.ProcessEnv, timeoutMs: number }): Promise<Outcome> {
  const env = { ...process.env, ...options.env }
  // bin/ first, also when the caller's environment brings its own PATH.
  env.PATH = `${join(ROOT, 'bin')}:${env.PATH ?? ''}`
  return command('bash', ['-e', '-c', script], { cwd: ROOT, env, timeoutMs: options.timeoutMs })
}

/** `docker build -t chordkv .` as the README has it, tagging `tag` instead. */
export function buildAs (script: string, tag: string): string {
  return script.replace(/^docker build -t chordkv \.$/m, `docker build -q -t ${tag} .`)
}
