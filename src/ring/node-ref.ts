import type { RingId } from './ids.js'

/**
 * A ring member as the ring logic sees it: its identifier and an opaque peer
 * key (the libp2p peer ID string). Addresses live in the network layer.
 */
export interface NodeRef {
  readonly id: RingId
  readonly peer: string
}

/** Whether two optional references name the same peer. */
export function sameNode (a: NodeRef | undefined, b: NodeRef | undefined): boolean {
  return a !== undefined && b !== undefined && a.peer === b.peer
}

/** Removes repeated peers, keeping the first occurrence of each. */
export function distinctNodes (nodes: Iterable<NodeRef>): NodeRef[] {
  const seen = new Set<string>()
  const out: NodeRef[] = []
  for (const n of nodes) {
    if (seen.has(n.peer)) continue
    seen.add(n.peer)
    out.push(n)
  }
  return out
}
