/** Human-readable renderings of control-socket answers. */

interface Member { peerId: string, ringId: string }

const member = (m: Member | null | undefined): string => (m == null ? '(none)' : `${m.peerId}  ${m.ringId.slice(0, 12)}…`)

/** "1 peer", "3 peers". */
export function plural (n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

/** `chordkv status` without --json. */
export function formatStatus (s: Record<string, unknown>): string {
  const lines: string[] = []
  const row = (label: string, value: unknown): void => { lines.push(`${label.padEnd(12)}${String(value)}`) }
  row('peer', s.peerId)
  if ('ringId' in s) row('ring id', s.ringId)
  if ('kadId' in s) row('kad id', s.kadId)
  row('overlay', s.overlay)
  if ('version' in s) row('version', s.version)
  const ring = s.ring as { degraded?: boolean, members?: number, successorListLength?: number } | undefined
  row('state', `${String(s.state)}${ring?.degraded === true ? `  (degraded: ring of ${plural(ring.members ?? 0, 'peer')}, fewer than r+1 = ${(ring.successorListLength ?? 0) + 1})` : ''}`)
  for (const [i, a] of ((s.addrs as string[] | undefined) ?? []).entries()) row(i === 0 ? 'addresses' : '', a)
  if ('predecessor' in s) row('predecessor', member(s.predecessor as Member | null))
  for (const [i, m] of ((s.successors as Member[] | undefined) ?? []).entries()) row(i === 0 ? 'successors' : '', member(m))
  if (Array.isArray(s.fingers)) row('fingers', `${s.fingers.length} distinct`)
  if (s.routingTable !== undefined) row('routing', `${plural(Number(s.routingTable), 'peer')} in the routing table`)
  const replication = s.replication as { factor: number, writeQuorum: number, readQuorum: number, hints?: { records: number, replicas: number }, lastRepair?: { rounds: number, pushed: number, pulled: number, bytes: number } } | undefined
  if (replication !== undefined) {
    const hints = replication.hints
    const kept = hints === undefined || hints.records === 0 ? '' : `; ${plural(hints.records, 'write')} kept for ${plural(hints.replicas, 'replica')} that missed them`
    row('replication', `k=${replication.factor} W=${replication.writeQuorum} R=${replication.readQuorum}${kept}`)
  }
  row('keys', s.keysOwned === undefined ? s.keys : `${String(s.keys)} (${String(s.keysOwned)} as owner, ${String(s.keysReplicated)} as replica)${s.tombstones === undefined ? '' : `, ${plural(Number(s.tombstones), 'tombstone')}`}`)
  const repair = replication?.lastRepair
  if (repair !== undefined) row('repair', repair.rounds === 0 ? 'no pass yet' : `${plural(repair.rounds, 'pass')}; the last moved ${repair.pushed + repair.pulled} records (${repair.bytes} bytes)`)
  const merge = s.ring as { tag?: string | null, merging?: boolean, splitSuspected?: Array<{ peerId: string, ring: string }>, merges?: { mergesDone: number } } | undefined
  if (merge?.tag !== undefined) {
    const split = merge.splitSuspected ?? []
    row('ring tag', `${merge.tag ?? '(none yet)'}${split.length > 0 ? `  SPLIT: ${plural(split.length, 'peer')} on another ring, merging` : merge.merging === true ? '  (merging)' : ''}`)
    for (const peer of split) row('', `${peer.peerId} on ring ${peer.ring}`)
    if ((merge.merges?.mergesDone ?? 0) > 0) row('merges', `${plural(merge.merges?.mergesDone ?? 0, 'split')} seen healed`)
  }
  const membership = s.membership as { remembered: number, passive: number } | undefined
  if (membership !== undefined) row('members', `${membership.remembered} remembered, ${membership.passive} on the passive list`)
  return lines.join('\n') + '\n'
}

/** `chordkv lookup` without --json. */
export function formatLookup (l: Record<string, unknown>): string {
  if (Array.isArray(l.closest)) return formatKadLookup(l as Record<string, unknown> & { closest: unknown[] })
  const lines = [`key id    ${String(l.keyId)}`, `owner     ${String(l.peerId)}  ${String(l.ringId).slice(0, 12)}…`]
  for (const [i, r] of ((l.replicas as Member[] | undefined) ?? []).entries()) lines.push(`${i === 0 ? 'replicas' : ''}`.padEnd(10) + member(r))
  lines.push(`hops      ${String(l.hops)}`)
  if (Array.isArray(l.path)) lines.push(`path      ${l.path.map(p => `…${String(p).slice(-8)}`).join(' → ')}`)
  return lines.join('\n') + '\n'
}

/** A kad lookup: the peers closest to the key (where a put stores it) and what the walk cost. */
function formatKadLookup (l: Record<string, unknown> & { closest: unknown[] }): string {
  const lines = [`dht key   ${String(l.kadKey)}`, `kad id    ${String(l.kadId)}`, `queried   ${plural(Number(l.queried), 'peer')} (${plural(Number(l.messages), 'message')})`]
  if (l.closest.length === 0) lines.push('closest   (no other peer: this peer holds the key alone)')
  for (const [i, p] of l.closest.entries()) lines.push(`${i === 0 ? 'closest' : ''}`.padEnd(10) + String(p))
  return lines.join('\n') + '\n'
}

/** `chordkv health` without --json. */
export function formatHealth (h: Record<string, unknown>): string {
  const reasons = (h.reasons as string[] | undefined) ?? []
  return h.healthy === true ? `healthy (${String(h.state)})\n` : `unhealthy (${String(h.state)}): ${reasons.join('; ')}\n`
}

interface RingRow {
  peerId: string
  ringId: string
  addrs: string[]
  version: string
  state: string
  share: number | null
  keysOwned: number
  keysReplicated: number
  successorList: { length: number, expected: number, matching: number }
}

/** `chordkv ring` without --json: one line per member in ring order, then the warnings. */
export function formatRing (view: Record<string, unknown>): string {
  const members = (view.members as RingRow[] | undefined) ?? []
  const warnings = (view.warnings as string[] | undefined) ?? []
  const header = ['#', 'peer', 'ring id', 'share', 'keys owned/replicated', 'successors', 'address']
  const rows = members.map((m, i) => [
    String(i + 1),
    `…${m.peerId.slice(-10)}`,
    `${m.ringId.slice(0, 10)}…`,
    m.share === null ? '?' : `${(m.share * 100).toFixed(1)}%`,
    `${m.keysOwned} / ${m.keysReplicated}`,
    successorHealth(m.successorList),
    m.addrs[0] ?? '(none)'
  ])
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map(r => (r[c] as string).length)))
  const line = (cells: string[]): string => cells.map((cell, c) => cell.padEnd(widths[c] as number)).join('  ').trimEnd()
  const versions = [...new Set(members.map(m => m.version))]
  const title = `${view.closed === true ? 'ring' : 'walk'} of ${plural(members.length, 'member')} from ${String(view.from)}` +
    `${view.closed === true ? '' : ' (did not come back: incomplete)'}; version${versions.length === 1 ? '' : 's'} ${versions.join(', ')}`
  return [title, line(header), ...rows.map(line), ...warnings.map(w => `warning: ${w}`)].join('\n') + '\n'
}

function successorHealth (s: { length: number, expected: number, matching: number }): string {
  if (s.matching === s.expected && s.length === s.expected) return `${s.length}/${s.expected} ok`
  return `${s.matching}/${s.expected} match`
}
