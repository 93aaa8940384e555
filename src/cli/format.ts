/** Human-readable renderings of control-socket answers. */

import type { HealthReport, KadLookupReply, LookupReply, NodeView, RingView, StatusReport } from '../control/replies.js'

const member = (m: NodeView | null | undefined): string => (m == null ? '(none)' : `${m.peerId}  ${m.ringId.slice(0, 12)}…`)

/** "1 peer", "3 peers", "2 passes". */
export function plural (n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : /(s|sh|ch|x)$/.test(word) ? 'es' : 's'}`
}

/** `chordkv status` without --json. */
export function formatStatus (s: StatusReport): string {
  const lines: string[] = []
  const row = (label: string, value: unknown): void => { lines.push(`${label.padEnd(12)}${String(value)}`) }
  row('peer', s.peerId)
  if (s.overlay === 'chord') row('ring id', s.ringId)
  else row('kad id', s.kadId)
  row('overlay', s.overlay)
  row('version', s.version)
  const ring = s.overlay === 'chord' ? s.ring : undefined
  row('state', `${s.state}${ring?.degraded === true ? `  (degraded: ring of ${plural(ring.members ?? 0, 'peer')}, fewer than r+1 = ${ring.successorListLength + 1})` : ''}`)
  for (const [i, a] of s.addrs.entries()) row(i === 0 ? 'addresses' : '', a)
  if (s.overlay === 'kad') {
    row('routing', `${plural(s.routingTable, 'peer')} in the routing table`)
    row('keys', s.keys)
    return lines.join('\n') + '\n'
  }
  row('predecessor', member(s.predecessor))
  for (const [i, m] of s.successors.entries()) row(i === 0 ? 'successors' : '', member(m))
  row('fingers', `${s.fingers.length} distinct`)
  const { replication } = s
  const hints = replication.hints
  const kept = hints.records === 0 ? '' : `; ${plural(hints.records, 'write')} kept for ${plural(hints.replicas, 'replica')} that missed them`
  row('replication', `k=${replication.factor} W=${replication.writeQuorum} R=${replication.readQuorum}${kept}`)
  const expiry = s.expiring + s.expired === 0 ? '' : `; ${s.expiring} expiring, ${s.expired} expired since start`
  row('keys', `${s.keys} (${s.keysOwned} as owner, ${s.keysReplicated} as replica), ${plural(s.tombstones, 'tombstone')}${expiry}`)
  const repair = replication.lastRepair
  row('repair', repair.rounds === 0 ? 'no pass yet' : `${plural(repair.rounds, 'pass')}; the last moved ${repair.pushed + repair.pulled} records (${repair.bytes} bytes)`)
  const split = s.ring.splitSuspected
  row('ring tag', `${s.ring.tag ?? '(none yet)'}${split.length > 0 ? `  SPLIT: ${plural(split.length, 'peer')} on another ring, merging` : s.ring.merging ? '  (merging)' : ''}`)
  for (const peer of split) row('', `${peer.peerId} on ring ${peer.ring}`)
  if (s.ring.merges.mergesDone > 0) row('merges', `${plural(s.ring.merges.mergesDone, 'split')} seen healed`)
  row('members', `${s.membership.remembered} remembered, ${s.membership.passive} on the passive list${s.membership.vanished > 0 ? `, ${plural(s.membership.vanished, 'lost successor')} silent` : ''}`)
  return lines.join('\n') + '\n'
}

/** `chordkv lookup` without --json. */
export function formatLookup (l: LookupReply): string {
  if ('closest' in l) return formatKadLookup(l)
  const lines = [`key id    ${l.keyId}`, `owner     ${l.peerId}  ${l.ringId.slice(0, 12)}…`]
  for (const [i, r] of (l.replicas ?? []).entries()) lines.push(`${i === 0 ? 'replicas' : ''}`.padEnd(10) + member(r))
  lines.push(`hops      ${l.hops}`)
  lines.push(`path      ${l.path.map(p => `…${p.slice(-8)}`).join(' → ')}`)
  return lines.join('\n') + '\n'
}

/** A kad lookup: the peers closest to the key (where a put stores it) and what the walk cost. */
function formatKadLookup (l: KadLookupReply): string {
  const lines = [`dht key   ${l.kadKey}`, `kad id    ${l.kadId}`, `queried   ${plural(l.queried, 'peer')} (${plural(l.messages, 'message')})`]
  if (l.closest.length === 0) lines.push('closest   (no other peer: this peer holds the key alone)')
  for (const [i, p] of l.closest.entries()) lines.push(`${i === 0 ? 'closest' : ''}`.padEnd(10) + p)
  return lines.join('\n') + '\n'
}

/** `chordkv health` without --json. */
export function formatHealth (h: HealthReport): string {
  return h.healthy ? `healthy (${h.state})\n` : `unhealthy (${h.state}): ${h.reasons.join('; ')}\n`
}

/** `chordkv ring` without --json: one line per member in ring order, then the warnings. */
export function formatRing (view: RingView): string {
  const { members, warnings } = view
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
  const title = `${view.closed ? 'ring' : 'walk'} of ${plural(members.length, 'member')} from ${view.from}` +
    `${view.closed ? '' : ' (did not come back: incomplete)'}; version${versions.length === 1 ? '' : 's'} ${versions.join(', ')}`
  return [title, line(header), ...rows.map(line), ...warnings.map(w => `warning: ${w}`)].join('\n') + '\n'
}

function successorHealth (s: { length: number, expected: number, matching: number }): string {
  if (s.matching === s.expected && s.length === s.expected) return `${s.length}/${s.expected} ok`
  return `${s.matching}/${s.expected} match`
}
