import { BusyError } from '../errors.js'
import { keyId } from '../protocol/record.js'
import type { NodeRef } from '../ring/node-ref.js'

/** How many registrations a replica keeps. */
export interface WatchRegistryLimits {
  readonly maxRegistrations: number
  readonly maxRegistrationsPerPeer: number
}

interface Registration {
  readonly watcher: NodeRef
  untilMs: number
}

/**
 * The peers watching keys this peer replicates, each until its
 * registration lapses (the watcher renews it while its clients watch). A
 * replica tells each of them of every newer version it stores. Bounded in
 * all and per watching peer; past a bound a registration is refused BUSY.
 */
export class WatchRegistry {
  private readonly byKey = new Map<string, Map<string, Registration>>()
  private readonly perPeer = new Map<string, number>()
  private size = 0
  private readonly limits: WatchRegistryLimits

  constructor (limits: WatchRegistryLimits) {
    this.limits = limits
  }

  /** Registrations held (some may have lapsed since the last sweep). */
  get count (): number {
    return this.size
  }

  /** Registers (or renews) `watcher`'s watch of `key` until `untilMs`. */
  register (key: Uint8Array, watcher: NodeRef, untilMs: number, nowMs: number): void {
    const id = keyId(key)
    const held = this.byKey.get(id)?.get(watcher.peer)
    if (held !== undefined) {
      held.untilMs = untilMs
      return
    }
    if (this.size >= this.limits.maxRegistrations) this.sweep(nowMs)
    if (this.size >= this.limits.maxRegistrations) throw new BusyError(`this peer keeps ${this.size} watch registrations, its limit`)
    const fromPeer = this.perPeer.get(watcher.peer) ?? 0
    if (fromPeer >= this.limits.maxRegistrationsPerPeer) throw new BusyError(`${watcher.peer} already has ${fromPeer} watch registrations here, the limit per peer`)
    let watchers = this.byKey.get(id)
    if (watchers === undefined) this.byKey.set(id, watchers = new Map())
    watchers.set(watcher.peer, { watcher, untilMs })
    this.perPeer.set(watcher.peer, fromPeer + 1)
    this.size++
  }

  /** The peers watching `key` now; lapsed registrations are dropped. */
  watchersOf (key: Uint8Array, nowMs: number): NodeRef[] {
    const id = keyId(key)
    const watchers = this.byKey.get(id)
    if (watchers === undefined) return []
    const out: NodeRef[] = []
    for (const [peer, registration] of watchers) {
      if (registration.untilMs > nowMs) out.push(registration.watcher)
      else this.drop(id, watchers, peer)
    }
    return out
  }

  /** Drops every lapsed registration. */
  sweep (nowMs: number): void {
    for (const [id, watchers] of this.byKey) {
      for (const [peer, registration] of watchers) if (registration.untilMs <= nowMs) this.drop(id, watchers, peer)
    }
  }

  private drop (id: string, watchers: Map<string, Registration>, peer: string): void {
    watchers.delete(peer)
    if (watchers.size === 0) this.byKey.delete(id)
    const left = (this.perPeer.get(peer) ?? 1) - 1
    if (left === 0) this.perPeer.delete(peer)
    else this.perPeer.set(peer, left)
    this.size--
  }
}
