import { writeFile } from 'node:fs/promises'
import { Session } from 'node:inspector/promises'
import { sleep } from './stats.js'

/** Process CPU over `ms` of idleness, as % of one core; with `profile`, a CPU profile of that window is written there. */
export async function idleCpu (ms: number, profile?: string): Promise<number> {
  const session = profile === undefined ? undefined : new Session()
  if (session !== undefined) {
    session.connect()
    await session.post('Profiler.enable')
    await session.post('Profiler.start')
  }
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  await sleep(ms)
  const used = process.cpuUsage(c0)
  const elapsed = performance.now() - t0
  if (session !== undefined && profile !== undefined) {
    const { profile: cpuProfile } = await session.post('Profiler.stop')
    await writeFile(profile, JSON.stringify(cpuProfile))
    session.disconnect()
  }
  return (used.user + used.system) / 1000 / elapsed * 100
}
