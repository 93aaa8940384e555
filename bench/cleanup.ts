import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ChildProcess } from 'node:child_process'

/**
 * The child processes and temporary directories a benchmark started, so
 * that every way out of it removes them: the normal end, an uncaught error,
 * SIGINT or SIGTERM. Whatever is still here when the process exits is killed
 * or deleted then (synchronously, as an exit handler must).
 */
const children = new Set<ChildProcess>()
const dirs = new Set<string>()

/** Registers a child process until it exits. */
export function ownChild<C extends ChildProcess> (child: C): C {
  children.add(child)
  child.once('exit', () => { children.delete(child) })
  return child
}

/** A new temporary directory, deleted at exit unless removed before with {@link removeTempDir}. */
export function ownTempDir (prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  dirs.add(dir)
  return dir
}

export function removeTempDir (dir: string): void {
  rmSync(dir, { recursive: true, force: true })
  dirs.delete(dir)
}

process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL')
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})
// Without these, a signal would end the process without the exit handler.
process.once('SIGINT', () => process.exit(130))
process.once('SIGTERM', () => process.exit(143))
