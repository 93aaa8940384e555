/** Human-readable renderings of control-socket answers. */

interface Member { peerId: string, ringId: string }

const member = (m: Member | null | undefined): string => (m == null ? '(none)' : `${m.peerId}  ${m.ringId.slice(0, 12)}…`)

/** `chordkv status` without --json. */
export function formatStatus (s: Record<string, unknown>): string {
  const lines: string[] = []
  const row = (label: string, value: unknown): void => { lines.push(`${label.padEnd(12)}${String(value)}`) }
  row('peer', s.peerId)
  if ('ringId' in s) row('ring id', s.ringId)
  if ('kadId' in s) row('kad id', s.kadId)
  row('overlay', s.overlay)
  const ring = s.ring as { degraded?: boolean, members?: number, successorListLength?: number } | undefined
  row('state', `${String(s.state)}${ring?.degraded === true ? `  (degraded: ring of ${ring.members ?? '?'} peers, fewer than r+1 = ${(ring.successorListLength ?? 0) + 1})` : ''}`)
  for (const [i, a] of ((s.addrs as string[] | undefined) ?? []).entries()) row(i === 0 ? 'addresses' : '', a)
  if ('predecessor' in s) row('predecessor', member(s.predecessor as Member | null))
  for (const [i, m] of ((s.successors as Member[] | undefined) ?? []).entries()) row(i === 0 ? 'successors' : '', member(m))
  if (Array.isArray(s.fingers)) row('fingers', `${s.fingers.length} distinct`)
  if (s.routingTable !== undefined) row('routing', `${String(s.routingTable)} peers in the routing table`)
  const replication = s.replication as { factor: number, writeQuorum: number, readQuorum: number, hints?: { records: number, replicas: number } } | undefined
  if (replication !== undefined) {
    const hints = replication.hints
    const kept = hints === undefined || hints.records === 0 ? '' : `; ${hints.records} writes kept for ${hints.replicas} replica${hints.replicas === 1 ? '' : 's'} that missed them`
    row('replication', `k=${replication.factor} W=${replication.writeQuorum} R=${replication.readQuorum}${kept}`)
  }
  row('keys', s.keysOwned === undefined ? s.keys : `${String(s.keys)} (${String(s.keysOwned)} as owner, ${String(s.keysReplicated)} as replica)`)
  return lines.join('\n') + '\n'
}

/** `chordkv lookup` without --json. */
export function formatLookup (l: Record<string, unknown>): string {
  if (Array.isArray(l.closest)) return formatKadLookup(l as Record<string, unknown> & { closest: unknown[] })
  const lines = [`owner     ${String(l.peerId)}`, `ring id   ${String(l.ringId)}`, `hops      ${String(l.hops)}`]
  if (Array.isArray(l.path)) lines.push(`path      ${l.path.map(p => `…${String(p).slice(-8)}`).join(' → ')}`)
  return lines.join('\n') + '\n'
}

/** A kad lookup: the peers closest to the key (where a put stores it) and what the walk cost. */
function formatKadLookup (l: Record<string, unknown> & { closest: unknown[] }): string {
  const lines = [`dht key   ${String(l.kadKey)}`, `kad id    ${String(l.kadId)}`, `queried   ${String(l.queried)} peers (${String(l.messages)} messages)`]
  if (l.closest.length === 0) lines.push('closest   (no other peer: this peer holds the key alone)')
  for (const [i, p] of l.closest.entries()) lines.push(`${i === 0 ? 'closest' : ''}`.padEnd(10) + String(p))
  return lines.join('\n') + '\n'
}
