import { readFile, rename, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { tcpListenAddress } from './config.js'

/** File inside the data directory: the port each `…/tcp/0` listen entry was given last time. */
export const PORTS_FILE = 'ports.json'

/**
 * A peer told to listen on port 0 keeps its port across restarts: the
 * addresses its ring remembers (members.json on every other peer) and the
 * `--bootstrap` lines people copied from its output name that port. At
 * start each `…/tcp/0` entry asks for the port it had, if that port is free;
 * otherwise the system picks one, as before.
 */
export async function reuseListenPorts (dataDir: string, listen: readonly string[]): Promise<string[]> {
  const previous = await readPorts(dataDir)
  return Promise.all(listen.map(async entry => {
    const port = previous[entry]
    const at = tcpListenAddress(entry)
    if (port === undefined || at === undefined || at.port !== 0 || !isIp(entry)) return entry
    return await isFree(at.host, port) ? entry.replace(/\/tcp\/0$/, `/tcp/${port}`) : entry
  }))
}

/**
 * Remembers the ports `…/tcp/0` entries were given, from the addresses the
 * listeners bound (`bound`, as libp2p reports them).
 */
export async function rememberListenPorts (dataDir: string, configured: readonly string[], bound: readonly Multiaddr[]): Promise<void> {
  const ports: Record<string, number> = {}
  for (const entry of configured) {
    if (tcpListenAddress(entry)?.port !== 0 || !isIp(entry)) continue
    const port = boundPort(entry, bound)
    if (port !== undefined) ports[entry] = port
  }
  if (Object.keys(ports).length === 0) return
  const file = join(dataDir, PORTS_FILE)
  await writeFile(`${file}.tmp`, JSON.stringify({ version: 1, ports }, null, 1) + '\n', { mode: 0o600 })
  await rename(`${file}.tmp`, file)
}

/** The port a listener bound for `entry` (same family and host, or any host of the family for a wildcard). */
function boundPort (entry: string, bound: readonly Multiaddr[]): number | undefined {
  const [ip] = multiaddr(entry).getComponents()
  for (const addr of bound) {
    const [boundIp, tcp] = addr.getComponents()
    if (boundIp?.name !== ip?.name || tcp?.name !== 'tcp') continue
    if (boundIp?.value === ip?.value || ip?.value === '0.0.0.0' || ip?.value === '::') return Number(tcp.value)
  }
  return undefined
}

async function readPorts (dataDir: string): Promise<Record<string, number>> {
  try {
    const parsed = JSON.parse(await readFile(join(dataDir, PORTS_FILE), 'utf8')) as { ports?: unknown }
    const ports = parsed.ports
    if (typeof ports !== 'object' || ports === null) return {}
    return Object.fromEntries(Object.entries(ports).filter(([, p]) => Number.isInteger(p) && (p as number) > 0 && (p as number) < 65_536)) as Record<string, number>
  } catch {
    // Missing or unreadable: the system picks the ports, as on a first start.
    return {}
  }
}

function isIp (entry: string): boolean {
  return /^\/ip[46]\//.test(entry)
}

/** Whether nothing listens on host:port now (another process may have taken the port meanwhile). */
async function isFree (host: string, port: number): Promise<boolean> {
  return new Promise(resolve => {
    const server = createServer()
    server.once('error', () => { resolve(false) })
    server.listen({ host, port, exclusive: true }, () => { server.close(() => { resolve(true) }) })
  })
}
