import { createHash } from 'node:crypto'
import { checkIdeal } from '../../src/ring/invariants.js'
import { idFromBytes } from '../../src/ring/ids.js'
import { ringIdOfKey } from '../../src/ring/hash.js'
import type { SimNetwork } from './sim-network.js'
import type { ChordNode } from '../../src/chord/node.js'
import type { NodeRef } from '../../src/ring/node-ref.js'

export const text = (s: string): Uint8Array => new TextEncoder().encode(s)
export const str = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : new TextDecoder().decode(b))

/** A simulated node's identity: `node-i`, placed at SHA-256 of its name. */
export const refOf = (i: number): NodeRef => ({ id: idFromBytes(createHash('sha256').update(`node-${i}`).digest()), peer: `node-${i}` })

/** Builds a ring of `n` simulated nodes and runs it until it is ideal. */
export async function simRing (sim: SimNetwork, n: number, r: number): Promise<ChordNode[]> {
  const first = sim.add(refOf(0))
  sim.found(first.self.peer)
  const nodes = [first]
  for (let i = 1; i < n; i++) {
    const node = sim.add(refOf(i))
    await settled(sim, node.join(first.self))
    nodes.push(node)
  }
  await untilIdeal(sim, r)
  return nodes
}

/** Runs the simulated ring a second at a time until it is ideal; throws after 120 simulated seconds. */
export async function untilIdeal (sim: SimNetwork, r: number): Promise<void> {
  for (let s = 0; checkIdeal(sim.snapshot(), r).length > 0; s++) {
    if (s > 120) throw new Error(`the simulated ring is not ideal: ${checkIdeal(sim.snapshot(), r).join('; ')}`)
    await sim.clock.advance(1000)
  }
}

/** The peers that hold `key` with k replicas, its owner first, by ring position among `alive`. */
export function replicasOf (sim: SimNetwork, key: Uint8Array, k: number, alive = (_peer: string) => true): string[] {
  const nodes = [...sim.nodes.values()].map(e => e.node.self).filter(n => alive(n.peer)).sort((a, b) => (a.id < b.id ? -1 : 1))
  const id = ringIdOfKey(key)
  const i = Math.max(0, nodes.findIndex(n => n.id >= id))
  return Array.from({ length: k }, (_, j) => (nodes[(i + j) % nodes.length] as NodeRef).peer)
}

/** `peers` sorted by ring position. */
export function inRingOrder (sim: SimNetwork, peers: readonly string[]): string[] {
  const id = (peer: string): bigint => sim.nodes.get(peer)?.node.self.id ?? 0n
  return [...peers].sort((a, b) => (id(a) < id(b) ? -1 : 1))
}

/**
 * Lets simulated time run for `ms` while `pending` is under way (its
 * timeouts and late deliveries are timers), then returns its outcome. Time
 * moves in small steps, so timers the operation sets along the way fire.
 * One still under way then fails the test (with no time moving it would
 * wait forever).
 */
export async function settled<T> (sim: SimNetwork, pending: Promise<T>, ms = 2000): Promise<T> {
  let result: { value: T } | { error: unknown } | undefined
  const outcome = pending.then(value => { result = { value } }, (error: unknown) => { result = { error } })
  for (let passed = 0; passed < ms; passed += 10) await sim.clock.advance(Math.min(10, ms - passed))
  // A deadline, not a wait: a settled operation's outcome arrives at once.
  let deadline: NodeJS.Timeout | undefined
  await Promise.race([outcome, new Promise(resolve => { deadline = setTimeout(resolve, 5000) })])
  clearTimeout(deadline)
  if (result === undefined) throw new Error(`still under way after ${ms} simulated ms`)
  if ('error' in result) throw result.error
  return result.value
}

/** The value (or tombstone, as null) and version each of `peers` stores for `key`. */
export async function copiesOf (sim: SimNetwork, peers: readonly string[], key: Uint8Array): Promise<Array<{ value: string | null | undefined, timestamp: bigint | undefined }>> {
  return Promise.all(peers.map(async p => {
    const record = await sim.data(p).records.get(key)
    return { value: record === undefined ? undefined : str(record.value) ?? null, timestamp: record?.version.timestamp }
  }))
}
