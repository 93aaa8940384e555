import { spawn } from 'node:child_process'
import { ownChild } from './cleanup.js'

/**
 * Runs a benchmark worker process (stderr passed through) and parses the
 * last line of its stdout, its JSON report; throws when it fails.
 */
export async function runJsonChild<T> (command: string, args: readonly string[], what: string): Promise<T> {
  const child = ownChild(spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] }))
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString() })
  // 'close', not 'exit': stdout may still hold data when the process has exited
  const code = await new Promise<number | null>(resolve => { child.once('close', resolve) })
  const last = out.trim().split('\n').at(-1) ?? ''
  if (code !== 0) throw new Error(`${what} exited with ${code}: ${last}`)
  return JSON.parse(last) as T
}
