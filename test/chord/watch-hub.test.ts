import assert from 'node:assert/strict'
import { test } from 'node:test'
import { WatchHub } from '../../src/chord/watch-hub.js'
import { FakeClock } from '../utils/sim-network.js'
import type { WatchEvent, WatchQuery } from '../../src/protocol/messages.js'
import type { KvRecord } from '../../src/protocol/record.js'
import type { NodeRef } from '../../src/ring/node-ref.js'
import type { Logger } from '@libp2p/interface'

const silent = Object.assign(() => {}, { error: () => {}, trace: () => {}, enabled: false }) as unknown as Logger
const key = new TextEncoder().encode('k')
const node = (peer: string): NodeRef => ({ peer, id: BigInt(peer.length) })
const [a, b, c, d] = [node('a'), node('b'), node('c'), node('d')]
/** A version of the key: a value, or a deletion (null). */
const record = (t: bigint, value: string | null = `v${t}`): KvRecord => ({ key, value: value === null ? undefined : new TextEncoder().encode(value), version: { timestamp: t, writer: 'w' } })

/** A hub over scripted replicas: `held` is what each replica answers a registration with; `down` ones fail. */
function scripted (): { hub: WatchHub, clock: FakeClock, held: Map<string, KvRecord | undefined>, down: Set<string>, replicas: { now: NodeRef[] }, asked: WatchQuery[] } {
  const clock = new FakeClock()
  const held = new Map<string, KvRecord | undefined>()
  const down = new Set<string>()
  const replicas = { now: [a, b, c] }
  const asked: WatchQuery[] = []
  const hub = new WatchHub({
    replicasOf: async () => replicas.now,
    transport: {
      watch: async (to, query) => {
        asked.push(query)
        if (down.has(to.peer)) throw new Error(`${to.peer} is down`)
        return held.get(to.peer)
      }
    },
    clock,
    log: silent
  }, { renewMs: 1000, registrationPeriods: 3, maxKeys: 2 })
  return { hub, clock, held, down, replicas, asked }
}

test('the first registration learns where the key stands without an event; newer versions from registered replicas are heard once, in order', async () => {
  const { hub, held } = scripted()
  held.set('a', record(5n))
  const events: WatchEvent[] = []
  const end = await hub.watch(key, undefined, e => { events.push(e) })
  assert.equal(events.length, 0)
  hub.watchEvent(b, record(5n))
  hub.watchEvent(a, record(7n))
  hub.watchEvent(c, record(7n))
  hub.watchEvent(b, record(6n))
  hub.watchEvent(d, record(9n))
  hub.watchEvent(a, record(8n, null))
  assert.deepEqual(events.map(e => [e.kind, e.record?.version.timestamp]), [['put', 7n], ['del', 8n]], 'older, repeated and unregistered-replica versions dropped')
  end()
  hub.watchEvent(a, record(10n))
  assert.equal(events.length, 2)
  assert.equal(hub.size, 0)
})

test('a renewal registers with the replicas of the moment, asks from the last version heard, and tells a newer version found as a resync', async () => {
  const { hub, clock, held, replicas, asked } = scripted()
  const events: WatchEvent[] = []
  await hub.watch(key, undefined, e => { events.push(e) })
  hub.watchEvent(a, record(3n))
  replicas.now = [b, c, d]
  held.set('d', record(4n))
  await clock.advance(1300)
  assert.deepEqual(asked.at(-1)?.since, record(3n).version)
  assert.deepEqual(events.map(e => [e.kind, e.record?.version.timestamp]), [['put', 3n], ['resync', 4n]])
  // The new replica is listened to, the one replaced until the next renewal too.
  hub.watchEvent(d, record(5n))
  hub.watchEvent(a, record(6n))
  assert.deepEqual(events.map(e => e.record?.version.timestamp), [3n, 4n, 5n, 6n])
  hub.stop()
})

test('after renewals where no replica answered, a version found later is told as a resync, not taken silently', async () => {
  const { hub, clock, held, down } = scripted()
  const events: WatchEvent[] = []
  await hub.watch(key, undefined, e => { events.push(e) })
  for (const p of ['a', 'b', 'c']) down.add(p)
  await clock.advance(1300)
  down.clear()
  held.set('b', record(9n))
  await clock.advance(1300)
  assert.deepEqual(events.map(e => [e.kind, e.record?.version.timestamp]), [['resync', 9n]])
  hub.stop()
})

test('a watch no replica takes is refused, retryable; watching past the limit of keys is refused BUSY; since starts with a resync', async () => {
  const { hub, held, down } = scripted()
  for (const p of ['a', 'b', 'c']) down.add(p)
  await assert.rejects(hub.watch(key, undefined, () => {}), (err: Error & { code?: string }) => err.code === 'REPLICAS_UNAVAILABLE')
  assert.equal(hub.size, 0)
  down.clear()
  held.set('a', record(5n))
  const events: WatchEvent[] = []
  await hub.watch(key, record(2n).version, e => { events.push(e) })
  assert.deepEqual(events.map(e => [e.kind, e.record?.version.timestamp]), [['resync', 5n]])
  await hub.watch(new TextEncoder().encode('k2'), undefined, () => {})
  await assert.rejects(hub.watch(new TextEncoder().encode('k3'), undefined, () => {}), (err: Error & { code?: string }) => err.code === 'BUSY')
  hub.stop()
})
