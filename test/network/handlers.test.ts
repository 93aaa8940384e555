import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { BadRequestError, NotMemberError } from '../../src/errors.js'
import { dispatch, HANDLERS, laneOf, type HandlerContext, type GuardChecks, type PeerParts } from '../../src/network/handlers/index.js'
import { PeerDirectory } from '../../src/network/peer-directory.js'
import { encodeRouteRequest, encodeTag } from '../../src/protocol/codec.js'
import { encodeArcPageQuery, encodeStore, encodeSummaryQuery, encodeWatch, encodeWatchEvent } from '../../src/protocol/data-codec.js'
import { ringIdOfKey } from '../../src/ring/hash.js'
import type { Request } from '../../src/protocol/chord.js'
import type { DataOp, RouteRequest } from '../../src/protocol/messages.js'

const self = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
const sender = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
const peers = new PeerDirectory(self, () => [], () => performance.now())
const from = peers.nodeOf(sender)
const key = new TextEncoder().encode('k')
const version = { timestamp: BigInt(Date.now()) << 16n, writer: sender.toString() }

/** A peer's domain that records every call, and a guard that lets members through. */
function fixture (options: { member?: boolean } = {}): { ctx: HandlerContext, calls: string[], routed: RouteRequest[] } {
  const calls: string[] = []
  const routed: RouteRequest[] = []
  const note = (name: string) => { calls.push(name) }
  const parts: PeerParts = {
    ring: {
      seen: () => { note('seen') },
      getState: () => { note('getState'); return { successors: [], member: false } },
      notify: async () => { note('notify') },
      merge: () => { note('merge'); return { epoch: 1, nonce: 2n } },
      changed: () => { note('changed') },
      route: async request => {
        note('route')
        routed.push(request)
        return { owner: peers.self, hops: 0, path: [...request.path, self.toString()] }
      },
      leave: () => { note('leave') }
    },
    data: {
      admitFromStranger: (op: DataOp) => { note('admit'); return { ...op, version: { ...version, writer: self.toString() } } as DataOp },
      offer: async () => { note('offer'); return [] },
      store: async () => { note('store') },
      range: async () => { note('range'); return { records: [], more: false } },
      summary: async (_from, _start, _until, parts) => { note('summary'); return Array.from({ length: parts }, () => ({ hash: new Uint8Array(32), count: 0 })) },
      digests: async () => { note('digests'); return { digests: [], more: false } },
      fetch: async () => { note('fetch'); return { records: [], served: 1 } },
      watch: async () => { note('watch'); return undefined }
    },
    info: { memberInfo: async () => { throw new Error('not used') } },
    watches: { watchEvent: () => { note('watchEvent') } }
  }
  const guard: GuardChecks = {
    check: async (_from, access) => {
      note(`check:${access.kind}`)
      if (options.member === false) throw new NotMemberError('not a member of this neighbourhood')
    },
    knows: () => options.member !== false,
    left: () => { note('left') }
  }
  return { ctx: { from, peers, parts, guard, accept: () => { note('accept') } }, calls, routed }
}

const arc = { from: ringIdOfKey(key), to: ringIdOfKey(key) - 1n, after: undefined, limit: 10 }
const recordBodies: Array<Omit<Request, 'id'>> = [
  { store: encodeStore([{ key, value: key, version }]) },
  { offer: { digests: [] } },
  { range: encodeArcPageQuery(arc) },
  { digests: encodeArcPageQuery(arc) },
  { summary: encodeSummaryQuery({ from: arc.from, to: arc.to, parts: 2, ownerArc: false }) },
  { fetch: { keys: [key] } }
]

function routeRequest (op: RouteRequest['op'], path = [sender.toString()]): Omit<Request, 'id'> {
  return { route: encodeRouteRequest(peers, { key: ringIdOfKey(key), path, budgetMs: 1000, op }) }
}

describe('the dispatch table', () => {
  test('has one handler for every request body in chord.proto, and every body has a lane', () => {
    const proto = readFileSync(new URL('../../../src/protocol/chord.proto', import.meta.url), 'utf8')
    const body = /message Request \{[^]*?oneof body \{([^}]*)\}/.exec(proto)?.[1] ?? ''
    const names = [...body.matchAll(/^\s*\w+ (\w+) = \d+;/gm)].map(m => m[1]).sort()
    assert.ok(names.length >= 14, `read ${names.length} bodies from chord.proto`)
    assert.deepEqual(Object.keys(HANDLERS).sort(), names)
    for (const name of names) assert.match(laneOf({ [name as string]: {} }), /^(ring|data)$/)
  })

  test('every request shows its sender alive; one without a known body is refused by name', async () => {
    const { ctx, calls } = fixture()
    await dispatch({ ping: {} }, ctx)
    assert.deepEqual(calls, ['seen'])
    await assert.rejects(dispatch({}, ctx), (err: Error) => err instanceof BadRequestError && /request has no known body/.test(err.message))
  })

  test('records are read and written only after the guard let the sender through', async () => {
    for (const body of recordBodies) {
      const { ctx, calls } = fixture()
      await dispatch(body, ctx)
      const kind = Object.keys(body)[0] as string
      assert.equal(calls[1]?.startsWith('check:'), true, `${kind}: ${calls.join(', ')}`)
      assert.equal(calls[2], kind)
    }
  })

  test('a sender the guard refuses gets NOT_MEMBER and reaches no record', async () => {
    for (const body of recordBodies) {
      const { ctx, calls } = fixture({ member: false })
      await assert.rejects(dispatch(body, ctx), NotMemberError)
      assert.deepEqual(calls.filter(c => !c.startsWith('check:') && c !== 'seen'), [], Object.keys(body)[0])
    }
  })

  test('a watch is served as a get is, to any sender, and answers the record; a watch event goes to this peer\'s watches', async () => {
    const { ctx, calls } = fixture({ member: false })
    const reply = await dispatch({ watch: encodeWatch({ key, since: undefined, ttlMs: 1000 }) }, ctx)
    assert.deepEqual(reply, { watch: { record: undefined } })
    await dispatch({ watchEvent: encodeWatchEvent({ key, value: key, version }) }, ctx)
    assert.deepEqual(calls, ['seen', 'watch', 'seen', 'watchEvent'])
    await assert.rejects(dispatch({ watchEvent: {} }, ctx), (err: Error) => err instanceof BadRequestError && /watch event has no record/.test(err.message))
    await assert.rejects(dispatch({ watch: { key, sinceTimestamp: 5n, ttlMs: 1000 } }, ctx), (err: Error) => err instanceof BadRequestError && /since needs both/.test(err.message))
  })

  test('a leave is told to the guard (its hand-off window) before the ring', async () => {
    const { ctx, calls } = fixture()
    await dispatch({ leave: {} }, ctx)
    assert.deepEqual(calls, ['seen', 'left', 'leave'])
  })
})

describe('ring handlers', () => {
  test('notify must name the sender itself', async () => {
    const { ctx, calls } = fixture()
    await assert.rejects(dispatch({ notify: { node: peers.encodePeer(peers.nodeOf(other)) } }, ctx), /notify\.node must be the sender itself/)
    assert.ok(!calls.includes('notify'))
    await dispatch({ notify: { node: peers.encodePeer(from) } }, ctx)
    assert.ok(calls.includes('notify'))
  })

  test('merge answers this peer\'s ring tag', async () => {
    const { ctx } = fixture()
    const reply = await dispatch({ merge: { ring: encodeTag({ epoch: 5, nonce: 6n }), contact: peers.encodePeer(from) } }, ctx)
    assert.deepEqual(reply.merge?.ring, { epoch: 1, nonce: 2n })
  })

  test('summary parts out of range are refused before the data is asked', async () => {
    const { ctx, calls } = fixture()
    await assert.rejects(dispatch({ summary: encodeSummaryQuery({ from: 1n, to: 2n, parts: 0, ownerArc: false }) }, ctx), BadRequestError)
    assert.deepEqual(calls, ['seen'])
  })
})

describe('the route handler', () => {
  test('a route\'s path must end with the sender', async () => {
    const { ctx, calls } = fixture()
    await assert.rejects(dispatch(routeRequest({ kind: 'lookup' }, [other.toString()]), ctx), /route path must end with the sender/)
    assert.ok(!calls.includes('route'))
  })

  test('a write from a member keeps its version and path', async () => {
    const { ctx, calls, routed } = fixture()
    const reply = await dispatch(routeRequest({ kind: 'put', key, value: key, version }), ctx)
    assert.ok(!calls.includes('admit'))
    assert.deepEqual(routed[0]?.path, [sender.toString()])
    assert.equal(reply.route?.hops, 0)
  })

  test('a write from a peer the guard does not know is admitted as a client\'s: stamped here, its path starting here', async () => {
    const { ctx, calls, routed } = fixture({ member: false })
    await dispatch(routeRequest({ kind: 'del', key, version }), ctx)
    assert.ok(calls.includes('admit'))
    assert.deepEqual(routed[0]?.path, [])
    assert.equal((routed[0]?.op as { version: { writer: string } }).version.writer, self.toString())
  })

  test('lookups and gets from strangers are routed as they came', async () => {
    for (const op of [{ kind: 'lookup' as const }, { kind: 'get' as const, key }]) {
      const { ctx, calls, routed } = fixture({ member: false })
      await dispatch(routeRequest(op), ctx)
      assert.ok(!calls.includes('admit'))
      assert.deepEqual(routed[0]?.path, [sender.toString()])
    }
  })
})
