import { execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

/**
 * Separate hosts on one machine: each host is a Linux network namespace
 * with its own interface and IP, all plugged into a bridge that lives in a
 * namespace of its own (a "switch"), so nothing touches the machine's own
 * network or firewall (a Docker engine's FORWARD policy included). A
 * partition moves hosts' switch ports onto separate bridges: packets
 * between the groups vanish, as when a link is cut. Everything is named
 * after the test process and removed by {@link Hosts.destroy}, on exit, and
 * by the next run if a run was killed.
 */

/** The address range of the hosts: it exists only inside these namespaces. */
export const SUBNET = '10.231.0'
const PREFIX = 'ckvh'

export interface Host {
  readonly index: number
  /** Network namespace name. */
  readonly netns: string
  readonly ip: string
}

/** Whether this machine offers what hosts need: Linux, root and the ip command (then making them must work). */
export async function hostsOffered (): Promise<boolean> {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false
  return run('ip', ['-V']).then(() => true, () => false)
}

/** Why hosts cannot be made here, or undefined when they can. */
export async function hostsUnavailable (): Promise<string | undefined> {
  if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`
  if (process.getuid?.() !== 0) return 'creating network namespaces needs root'
  try {
    await run('ip', ['-V'])
  } catch {
    return 'the ip command (iproute2) is not installed'
  }
  const probe = `${PREFIX}${process.pid}probe`
  try {
    await run('ip', ['netns', 'add', probe])
    await run('ip', ['netns', 'del', probe])
  } catch (err) {
    return `ip netns add failed: ${(err as Error).message.split('\n')[0]}`
  }
  return undefined
}

export class Hosts {
  readonly hosts: Host[]
  private readonly switchNs: string
  private readonly bridges: number
  private destroyed = false
  private readonly onExit = (): void => { this.destroySync() }

  private constructor (switchNs: string, hosts: Host[], bridges: number) {
    this.switchNs = switchNs
    this.hosts = hosts
    this.bridges = bridges
    process.once('exit', this.onExit)
  }

  /** Creates `n` hosts (at most 200) on one switch with room for `groups` partition groups. */
  static async create (n: number, groups = 3): Promise<Hosts> {
    await removeLeftovers()
    const tag = `${PREFIX}${process.pid}x${Math.floor(Math.random() * 1e6)}`
    const switchNs = `${tag}s`
    const hosts = Array.from({ length: n }, (_, i) => ({ index: i, netns: `${tag}h${i}`, ip: `${SUBNET}.${10 + i}` }))
    const created = new Hosts(switchNs, hosts, groups)
    try {
      await ip('netns', 'add', switchNs)
      await ip('-n', switchNs, 'link', 'set', 'lo', 'up')
      for (let b = 0; b < groups; b++) {
        await ip('-n', switchNs, 'link', 'add', `br${b}`, 'type', 'bridge')
        await ip('-n', switchNs, 'link', 'set', `br${b}`, 'up')
      }
      for (const host of hosts) {
        await ip('netns', 'add', host.netns)
        await ip('-n', switchNs, 'link', 'add', `p${host.index}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', host.netns)
        await ip('-n', switchNs, 'link', 'set', `p${host.index}`, 'master', 'br0', 'up')
        await ip('-n', host.netns, 'addr', 'add', `${host.ip}/24`, 'dev', 'eth0')
        await ip('-n', host.netns, 'link', 'set', 'eth0', 'up')
        await ip('-n', host.netns, 'link', 'set', 'lo', 'up')
      }
    } catch (err) {
      await created.destroy()
      throw err
    }
    return created
  }

  /** The command prefix that runs a program on `host`. */
  wrap (host: Host): string[] {
    return ['ip', 'netns', 'exec', host.netns]
  }

  /** Cuts the network into groups: hosts in different groups cannot reach each other. */
  async partition (groups: ReadonlyArray<readonly Host[]>): Promise<void> {
    if (groups.length > this.bridges) throw new Error(`at most ${this.bridges} groups`)
    for (const [g, group] of groups.entries()) {
      for (const host of group) await ip('-n', this.switchNs, 'link', 'set', `p${host.index}`, 'master', `br${g}`)
    }
  }

  /** Puts every host back on one network. */
  async heal (): Promise<void> {
    for (const host of this.hosts) await ip('-n', this.switchNs, 'link', 'set', `p${host.index}`, 'master', 'br0')
  }

  /** Removes the namespaces (their links go with them). */
  async destroy (): Promise<void> {
    if (this.destroyed) return
    this.destroyed = true
    process.off('exit', this.onExit)
    for (const ns of [...this.hosts.map(h => h.netns), this.switchNs]) await ip('netns', 'del', ns).catch(() => {})
  }

  private destroySync (): void {
    if (this.destroyed) return
    this.destroyed = true
    for (const ns of [...this.hosts.map(h => h.netns), this.switchNs]) {
      try {
        execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' })
      } catch {}
    }
  }
}

async function ip (...args: string[]): Promise<void> {
  await run('ip', args)
}

/** Namespaces left by an earlier run that was killed (its process is gone). */
async function removeLeftovers (): Promise<void> {
  const { stdout } = await run('ip', ['netns', 'list'])
  for (const line of stdout.split('\n')) {
    const name = line.split(' ')[0] ?? ''
    const match = new RegExp(`^${PREFIX}(\\d+)`).exec(name)
    if (match === null) continue
    const pid = Number(match[1])
    let alive = true
    try {
      process.kill(pid, 0)
    } catch {
      alive = false
    }
    if (!alive) await ip('netns', 'del', name).catch(() => {})
  }
}
