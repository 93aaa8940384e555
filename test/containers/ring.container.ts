import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { chown, mkdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { ControlClient } from '../../src/control/client.js'
import { ask } from '../utils/control.js'
import { docker, image, logsOf, PEER_UID, PREFIX, removeAll, ringProblems, stateOf, waitForRing, type PeerStatus } from './docker.js'
import { waitFor } from '../utils/network.js'

/**
 * Five peers in containers on a user-defined network, as the README runs
 * them, each with its data directory bind-mounted from the host so the test
 * also talks to the control sockets directly.
 */

const RING_MS = 120_000
const KEYS = Array.from({ length: 60 }, (_, i) => `key-${i}`)

describe('five peers in containers on a user-defined network', () => {
  const group = `${PREFIX}-ring-`
  const network = `${group}net`
  const names = [1, 2, 3, 4, 5].map(i => `${group}${i}`)
  const dataDir = (name: string): string => join(tmpdir(), name)
  const socketOf = (name: string): string => join(dataDir(name), 'chordkv.sock')
  const dns = (name: string): string => `/dns4/${name}/tcp/4001`

  /** Starts the container `name` (the first founds the ring, the others join through it). */
  async function run (name: string): Promise<void> {
    const bootstrap = name === names[0] ? [] : ['-e', `CHORDKV_BOOTSTRAP=${dns(names[0] as string)}`]
    await docker(['run', '-d', '--name', name, '--network', network, '-v', `${dataDir(name)}:/data`,
      '-e', `CHORDKV_ANNOUNCE=${dns(name)}`, ...bootstrap, image()])
  }

  async function statusOf (name: string): Promise<PeerStatus> {
    return await ask(socketOf(name), { op: 'status' }) as unknown as PeerStatus
  }

  /** Every key read through the socket of each named container: its value, or the error. */
  async function readEverywhere (from: readonly string[], keys: readonly string[]): Promise<Map<string, unknown[]>> {
    const reads = new Map<string, unknown[]>()
    for (const name of from) {
      const client = await ControlClient.connect(socketOf(name))
      try {
        const responses = await Promise.all(keys.map(async key => client.request({ op: 'get', key })))
        reads.set(name, responses.map(r => (r.ok === true ? r.value : r.error)))
      } finally {
        client.close()
      }
    }
    return reads
  }

  async function assertAllRead (from: readonly string[], keys: readonly string[], value: (key: string) => string): Promise<void> {
    for (const [name, values] of await readEverywhere(from, keys)) {
      assert.deepEqual(values, keys.map(value), `reads through ${name}`)
    }
  }

  /**
   * Reads every key through each of `from` until each answers its value,
   * re-reading only the keys whose read failed with a retryable error
   * (TIMEOUT, REPLICAS_UNAVAILABLE) while the ring notices a crash. A
   * NOT_FOUND, any other error or a wrong value fails at once: that is a
   * lost write, not a slow one.
   */
  async function assertAllReadAfterCrash (from: readonly string[], keys: readonly string[], value: (key: string) => string): Promise<void> {
    const retryable = new Set(['TIMEOUT', 'REPLICAS_UNAVAILABLE'])
    let pending = new Map(from.map(name => [name, [...keys]]))
    let last: unknown[] = []
    await waitFor(async () => {
      const next = new Map<string, string[]>()
      for (const [name, wanted] of pending) {
        const read = (await readEverywhere([name], wanted)).get(name) ?? []
        const failed: string[] = []
        wanted.forEach((key, i) => {
          if (read[i] === value(key)) return
          const code = (read[i] as { code?: string } | undefined)?.code
          assert.ok(code !== undefined && retryable.has(code), `read of ${key} through ${name}: ${JSON.stringify(read[i])}`)
          failed.push(key)
          last = [read[i]]
        })
        if (failed.length > 0) next.set(name, failed)
      }
      pending = next
      return pending.size === 0
    }, RING_MS, () => `still failing: ${JSON.stringify([...pending].map(([n, k]) => [n, k.length]))}, last: ${JSON.stringify(last)}`, 500)
  }

  before(async () => {
    await removeAll(group)
    await docker(['network', 'create', network])
    for (const name of names) {
      // The image runs as uid 1000: a bind-mounted /data must belong to it.
      await mkdir(dataDir(name), { mode: 0o700 })
      await chown(dataDir(name), PEER_UID, PEER_UID)
      await run(name)
    }
    await waitForRing(names, RING_MS, statusOf)
  })

  after(async () => {
    await removeAll(group)
    await Promise.all(names.map(async name => rm(dataDir(name), { recursive: true, force: true })))
  })

  test('they form one ideal ring, each announcing its /dns4 name', async () => {
    const statuses = await Promise.all(names.map(statusOf))
    assert.deepEqual(ringProblems(statuses), [])
    assert.equal(new Set(statuses.map(s => s.peerId)).size, 5)
    statuses.forEach((s, i) => {
      assert.ok(s.addrs.some(a => a.startsWith(`${dns(names[i] as string)}/p2p/`)), `${names[i]} announces ${JSON.stringify(s.addrs)}`)
    })
  })

  test('put and get through docker exec, across containers, text and raw bytes', async () => {
    const [c1, , , c4, c5] = names as [string, string, string, string, string]
    assert.match((await docker(['exec', c1, 'chordkv', 'put', 'greeting', 'hello world'])).out, /^stored on [23] replicas\n$/)
    assert.equal((await docker(['exec', c4, 'chordkv', 'get', 'greeting'])).out, 'hello world')
    const blob = randomBytes(4096)
    await docker(['exec', '-i', c5, 'chordkv', 'put', 'blob', '-'], { input: blob })
    assert.deepEqual((await docker(['exec', c1, 'chordkv', 'get', 'blob'])).stdout, blob)
    const missing = await docker(['exec', c4, 'chordkv', 'get', 'no-such-key'], { allowFailure: true })
    assert.deepEqual([missing.code, missing.err], [1, 'chordkv: not found: no-such-key\n'])
  })

  test('put and get through the control socket on a bind-mounted /data, binary values as base64', async () => {
    const client = await ControlClient.connect(socketOf(names[1] as string))
    const blob = randomBytes(1000).toString('base64')
    try {
      const puts = await Promise.all(KEYS.map(async key => client.request({ op: 'put', key, value: `value of ${key}` })))
      assert.deepEqual(puts.filter(r => r.ok !== true), [])
      // Acknowledged by W = 2 of the k = 3 replicas at least.
      assert.ok(puts.every(r => r.replicas === 2 || r.replicas === 3), JSON.stringify(puts.map(r => r.replicas)))
      assert.equal((await client.request({ op: 'put', encoding: 'base64', key: Buffer.from([0, 255, 1]).toString('base64'), value: blob })).ok, true)
    } finally {
      client.close()
    }
    await assertAllRead(names, KEYS, key => `value of ${key}`)
    const raw = await ask(socketOf(names[4] as string), { op: 'get', encoding: 'base64', key: Buffer.from([0, 255, 1]).toString('base64') })
    assert.equal(raw.value, blob)
  })

  test('docker stop: the peer hands its keys on and leaves, nothing is lost; docker start brings it back with its identity', async () => {
    const victim = names[2] as string
    const before = await statusOf(victim)
    await docker(['stop', '-t', '30', victim])
    const state = await stateOf(victim)
    assert.deepEqual([state.running, state.exitCode], [false, 0])
    assert.match(await logsOf(victim), /leaving the ring/)
    const live = names.filter(n => n !== victim)
    await assertAllRead(live, KEYS, key => `value of ${key}`)

    await docker(['start', victim])
    const statuses = await waitForRing(names, RING_MS, statusOf)
    assert.equal(statuses[2]?.peerId, before.peerId)
    await assertAllRead(names, KEYS, key => `value of ${key}`)
  })

  test('docker kill of two ring-adjacent peers loses no acknowledged write', async () => {
    const keys = Array.from({ length: 200 }, (_, i) => `kill-${i}`)
    const client = await ControlClient.connect(socketOf(names[0] as string))
    try {
      const puts = await Promise.all(keys.map(async key => client.request({ op: 'put', key, value: `v-${key}` })))
      assert.deepEqual(puts.filter(r => r.ok !== true), [])
    } finally {
      client.close()
    }
    // The two adjacent peers after the first container on the ring, so the founder survives.
    const statuses = await Promise.all(names.map(statusOf))
    const byPeer = new Map(statuses.map((s, i) => [s.peerId, names[i] as string]))
    const next = (name: string): string => byPeer.get((statuses[names.indexOf(name)] as PeerStatus).successors[0]?.peerId ?? '') as string
    const victims = [next(names[0] as string), next(next(names[0] as string))]
    await docker(['kill', ...victims])
    try {
      const survivors = names.filter(n => !victims.includes(n))
      await assertAllReadAfterCrash(survivors, keys, key => `v-${key}`)
      await assertAllReadAfterCrash(survivors, KEYS, key => `value of ${key}`)
    } finally {
      // Restarted on their data directories, they rejoin and the ring is whole again.
      await docker(['start', ...victims])
    }
    await waitForRing(names, RING_MS, statusOf)
    await assertAllRead(victims, keys, key => `v-${key}`)
  })

  test('docker restart of the first container, which has no bootstrap, keeps one ring', async () => {
    const first = names[0] as string
    const before = await statusOf(first)
    await docker(['restart', '-t', '30', first])
    await waitFor(async () => (await stateOf(first)).running, 30_000, () => `${first} is not running again`)
    const statuses = await waitForRing(names, RING_MS, statusOf)
    assert.equal(statuses[0]?.peerId, before.peerId)
    await assertAllRead(names, KEYS, key => `value of ${key}`)
  })
})
