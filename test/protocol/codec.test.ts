import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { BadRequestError } from '../../src/errors.js'
import { PeerDirectory } from '../../src/network/peer-directory.js'
import { Request, Response, Status } from '../../src/protocol/chord.js'
import {
  decodeLeaveNotice, decodeMergeInvitation, decodeMergeReply, decodeNeighbourState, decodeNotify, decodeRangePage, decodeRouteReply,
  encodeLeaveNotice, encodeMergeInvitation, encodeNeighbourState, encodeRangePage, encodeRouteReply, encodeTag, REQUEST_LIMITS, RESPONSE_LIMITS
} from '../../src/protocol/codec.js'
import { MAX_ADDRS_PER_PEER, MAX_BATCH, MAX_PARTS } from '../../src/protocol/constants.js'
import {
  decodeArcPageQuery, decodeDigestPage, decodeFetchResult, decodeOffer, decodeOfferReply, decodeStore, decodeSummaryQuery, decodeSummaryReply,
  encodeArcPageQuery, encodeDigestPage, encodeFetch, encodeFetchResult, encodeOffer, encodeStore, encodeSummaryQuery, encodeSummaryReply
} from '../../src/protocol/data-codec.js'
import { decodeMemberInfo, encodeMemberInfo, type MemberInfo } from '../../src/protocol/member-info.js'
import { ringIdOfKey } from '../../src/ring/hash.js'
import type { KvRecord } from '../../src/protocol/messages.js'

const alice = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
const bob = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
const carol = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
/** Alice's directory encodes; Bob's decodes, as the two ends of a stream. */
const sender = new PeerDirectory(alice, () => [multiaddr('/ip4/127.0.0.1/tcp/4001')], () => performance.now())
const receiver = new PeerDirectory(bob, () => [], () => performance.now())
const carolRef = sender.learn(carol.toString(), [multiaddr('/ip4/10.0.0.3/tcp/4003')])
const aliceRef = receiver.nodeOf(alice)

const bytes = (text: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(text)
const version = (t: bigint): KvRecord['version'] => ({ timestamp: t << 16n, writer: alice.toString() })
const records: KvRecord[] = [
  { key: bytes('a'), value: bytes('one'), version: version(1_700_000_000_000n) },
  { key: bytes('b'), value: undefined, version: version(1_700_000_000_001n) }
]

/** A request body through protobuf bytes and back, with the decode limits a server applies. */
function request (body: Omit<Request, 'id'>): Request {
  return Request.decode(Request.encode({ id: 1, ...body }), { limits: REQUEST_LIMITS })
}

/** A reply through protobuf bytes and back, with the decode limits a client applies. */
function response (body: Omit<Response, 'id' | 'status' | 'error'>): Response {
  return Response.decode(Response.encode({ id: 1, status: Status.OK, error: '', ...body }), { limits: RESPONSE_LIMITS })
}

const refused = (fn: () => unknown, pattern: RegExp): void => {
  assert.throws(fn, (err: Error) => err instanceof BadRequestError && pattern.test(err.message), `expected BadRequestError matching ${pattern}`)
}

describe('ring messages round trip', () => {
  test('neighbour state, with the addresses of every peer it names', () => {
    const state = { predecessor: carolRef, successors: [sender.self, carolRef], member: true, tag: { epoch: 3, nonce: 9n } }
    const decoded = decodeNeighbourState(receiver, response({ state: encodeNeighbourState(sender, state) }).state)
    assert.deepEqual(decoded, { ...state, predecessor: receiver.nodeOf(carol), successors: [aliceRef, receiver.nodeOf(carol)] })
    assert.deepEqual(receiver.addressesOf(receiver.nodeOf(carol)).map(a => a.toString()), ['/ip4/10.0.0.3/tcp/4003'])
  })

  test('merge invitation and its reply', () => {
    const invitation = { tag: { epoch: 7, nonce: 11n }, contact: carolRef }
    assert.deepEqual(decodeMergeInvitation(receiver, request({ merge: encodeMergeInvitation(sender, invitation) }).merge!), { ...invitation, contact: receiver.nodeOf(carol) })
    assert.deepEqual(decodeMergeReply(response({ merge: { ring: encodeTag(invitation.tag) } }).merge), invitation.tag)
  })

  test('leave notice, either neighbour optional', () => {
    for (const notice of [{ predecessor: carolRef }, { successor: carolRef }, {}]) {
      const decoded = decodeLeaveNotice(receiver, request({ leave: encodeLeaveNotice(sender, notice) }).leave!)
      assert.equal(decoded.predecessor?.peer, notice.predecessor?.peer)
      assert.equal(decoded.successor?.peer, (notice as { successor?: typeof carolRef }).successor?.peer)
    }
  })

  test('route reply with a record, and the owner\'s predecessor or none', () => {
    const reply = { owner: carolRef, hops: 2, path: [alice.toString(), carol.toString()], record: records[0], existed: true, replicas: 3 }
    const decoded = decodeRouteReply(receiver, response({ route: encodeRouteReply(sender, reply) }).route)
    assert.deepEqual(decoded, { ...reply, owner: receiver.nodeOf(carol), ownerPredecessor: undefined })
    const stated = decodeRouteReply(receiver, response({ route: encodeRouteReply(sender, { ...reply, ownerPredecessor: aliceRef }) }).route)
    assert.deepEqual(stated.ownerPredecessor, receiver.nodeOf(alice))
  })

  test('member info', () => {
    const info: MemberInfo = {
      self: sender.self, addrs: ['/ip4/127.0.0.1/tcp/4001'], predecessor: carolRef, successors: [carolRef], fingers: [carolRef], member: true, leaving: false,
      successorListLength: 8, replicationFactor: 3, keys: 5, keysOwned: 2, tombstones: 1, version: '0.1.0'
    }
    const decoded = decodeMemberInfo(receiver, aliceRef, response({ memberInfo: encodeMemberInfo(sender, info) }).memberInfo, n => receiver.addressesOf(n).map(String))
    assert.deepEqual(decoded, { ...info, self: aliceRef, predecessor: receiver.nodeOf(carol), successors: [receiver.nodeOf(carol)], fingers: [receiver.nodeOf(carol)] })
  })
})

describe('record messages round trip', () => {
  test('offer, and the indexes wanted', () => {
    const digests = records.map(r => ({ key: r.key, version: r.version }))
    assert.deepEqual(decodeOffer(request({ offer: encodeOffer(digests) }).offer!), digests)
    assert.deepEqual(decodeOfferReply(response({ offer: { wanted: [1] } }).offer, 2), [1])
  })

  test('store', () => {
    assert.deepEqual(decodeStore(request({ store: encodeStore(records) }).store!), records)
  })

  test('range and digests queries, with and without a key to start after', () => {
    const from = ringIdOfKey(bytes('x'))
    const to = ringIdOfKey(bytes('y'))
    for (const after of [undefined, bytes('a')]) {
      const query = { from, to, after, limit: 64 }
      assert.deepEqual(decodeArcPageQuery(request({ range: encodeArcPageQuery(query) }).range!), query)
      assert.deepEqual(decodeArcPageQuery(request({ digests: encodeArcPageQuery(query) }).digests!), query)
    }
  })

  test('range and digest pages', () => {
    assert.deepEqual(decodeRangePage(response({ range: encodeRangePage({ records, more: true }) }).range), { records, more: true })
    const digests = records.map(r => ({ key: r.key, version: r.version }))
    assert.deepEqual(decodeDigestPage(response({ digests: encodeDigestPage({ digests, more: false }) }).digests), { digests, more: false })
  })

  test('summary query and reply', () => {
    const query = { from: 5n, to: 2n ** 255n, parts: 16, ownerArc: true }
    assert.deepEqual(decodeSummaryQuery(request({ summary: encodeSummaryQuery(query) }).summary!), query)
    const arcs = [{ hash: new Uint8Array(32).fill(7), count: 3 }, { hash: new Uint8Array(32), count: 0 }]
    assert.deepEqual(decodeSummaryReply(response({ summary: encodeSummaryReply(arcs) }).summary, 2), arcs)
  })

  test('fetch keys and the records found', () => {
    const keys = [bytes('a'), bytes('b'), bytes('c')]
    assert.deepEqual(request({ fetch: encodeFetch(keys) }).fetch!.keys, keys)
    assert.deepEqual(decodeFetchResult(response({ fetch: encodeFetchResult({ records, served: 3 }) }).fetch, 3), { records, served: 3 })
  })
})

describe('limits', () => {
  test('a repeated field longer than its limit does not decode', () => {
    const digests = Array.from({ length: MAX_BATCH + 1 }, (_, i) => ({ key: bytes(String(i)), version: records[0]!.version }))
    assert.throws(() => request({ offer: encodeOffer(digests) }), /too many/i)
    assert.equal(request({ offer: encodeOffer(digests.slice(0, MAX_BATCH)) }).offer!.digests.length, MAX_BATCH)
  })

  test('a peer with more addresses than allowed does not decode', () => {
    const node = sender.encodePeer(sender.self)
    const many = { ...node, addrs: Array.from({ length: MAX_ADDRS_PER_PEER + 1 }, () => node.addrs[0]!) }
    assert.throws(() => request({ notify: { node: many } }), /too many/i)
  })

  test('summary parts outside 1 to MAX_PARTS are refused by name', () => {
    for (const parts of [0, MAX_PARTS + 1]) {
      refused(() => decodeSummaryQuery(request({ summary: encodeSummaryQuery({ from: 0n, to: 1n, parts, ownerArc: false }) }).summary!), /summary parts must be 1 to 256/)
    }
  })
})

describe('bad input is refused by name', () => {
  test('ring identifiers must be 32 bytes', () => {
    refused(() => decodeArcPageQuery({ from: new Uint8Array(31), to: new Uint8Array(32), after: new Uint8Array(0), limit: 1 }), /from must be 32 bytes, got 31/)
    refused(() => decodeSummaryQuery({ from: new Uint8Array(32), to: new Uint8Array(33), parts: 1, ownerArc: false }), /to must be 32 bytes, got 33/)
  })

  test('a record or digest whose writer is not a peer ID', () => {
    refused(() => decodeStore({ records: [{ key: bytes('a'), timestamp: 1n, writer: new Uint8Array([1, 2]) }] }), /records\[0\]\.writer is not a valid peer ID/)
    refused(() => decodeOffer({ digests: [{ key: bytes('a'), timestamp: 1n, writer: new Uint8Array([1, 2]) }] }), /digests\[0\]\.writer is not a valid peer ID/)
  })

  test('replies that are missing or inconsistent with the request', () => {
    refused(() => decodeOfferReply(undefined, 2), /offer reply has no body/)
    refused(() => decodeOfferReply({ wanted: [2] }, 2), /names records that were not offered/)
    refused(() => decodeSummaryReply({ arcs: [] }, 4), /summary reply has 0 arcs, expected 4/)
    refused(() => decodeSummaryReply(undefined, 4), /summary reply has no arcs/)
    refused(() => decodeFetchResult({ records: [], served: 0 }, 3), /fetch reply served 0 of 3 keys/)
    refused(() => decodeFetchResult({ records: [], served: 4 }, 3), /fetch reply served 4 of 3 keys/)
    refused(() => decodeDigestPage(undefined), /digests reply has no body/)
    refused(() => decodeRangePage(undefined), /range reply has no body/)
    refused(() => decodeMergeReply({}), /merge reply has no ring tag/)
    refused(() => decodeNeighbourState(receiver, undefined), /get-state reply has no state/)
    refused(() => decodeNeighbourState(receiver, { successors: [], member: true }), /of a member has no ring tag/)
  })

  test('a merge invitation without a ring tag, a notify naming another peer, member info about another peer', () => {
    refused(() => decodeMergeInvitation(receiver, { contact: sender.encodePeer(carolRef) }), /merge request has no ring tag/)
    refused(() => { decodeNotify(receiver, { node: sender.encodePeer(carolRef) }, aliceRef) }, /notify\.node must be the sender itself/)
    decodeNotify(receiver, { node: sender.encodePeer(sender.self) }, aliceRef)
    const info = encodeMemberInfo(sender, {
      self: carolRef, addrs: [], successors: [], fingers: [], member: true, leaving: false, successorListLength: 8, replicationFactor: 3, keys: 0, keysOwned: 0, tombstones: 0, version: 'x'
    })
    refused(() => decodeMemberInfo(receiver, aliceRef, info, () => []), /describes another peer/)
  })
})
