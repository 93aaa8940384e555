import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { BadRequestError, ReplicasUnavailableError } from '../../src/errors.js'
import { PeerDirectory } from '../../src/network/peer-directory.js'
import { Claim, RouteRequest as PbRouteRequest, Status } from '../../src/protocol/chord.js'
import { decodeRouteRequest, encodeRouteRequest, REQUEST_LIMITS, statusOf } from '../../src/protocol/codec.js'
import { ringIdOfKey } from '../../src/ring/hash.js'
import type { RouteRequest } from '../../src/protocol/messages.js'

const entry = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
const hop = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
const codec = new PeerDirectory(hop, () => [], () => performance.now())
const key = new TextEncoder().encode('k')
const version = { timestamp: (1_700_000_000_000n << 16n) + 3n, writer: entry.toString() }

/** A request through the wire form and back, as the next hop decodes it. */
function overTheWire (request: RouteRequest): RouteRequest {
  const bytes = PbRouteRequest.encode(encodeRouteRequest(codec, request))
  return decodeRouteRequest(codec, PbRouteRequest.decode(bytes, { limits: REQUEST_LIMITS.route }))
}

describe('route operations on the wire', () => {
  test('put and del carry the version the entry peer fixed, unchanged', () => {
    const path = [entry.toString(), hop.toString()]
    const put = overTheWire({ key: ringIdOfKey(key), path, budgetMs: 100, op: { kind: 'put', key, value: new TextEncoder().encode('v'), version } })
    assert.deepEqual(put.op, { kind: 'put', key, value: new TextEncoder().encode('v'), version })
    const del = overTheWire({ key: ringIdOfKey(key), path, budgetMs: 100, op: { kind: 'del', key, version } })
    assert.deepEqual(del.op, { kind: 'del', key, version })
    assert.deepEqual(overTheWire({ key: ringIdOfKey(key), path, budgetMs: 100, op: { kind: 'get', key } }).op, { kind: 'get', key })
  })

  test('a write whose version names another writer than the route\'s origin is refused', () => {
    const forged = { ...version, writer: hop.toString() }
    assert.throws(() => overTheWire({ key: ringIdOfKey(key), path: [entry.toString()], budgetMs: 100, op: { kind: 'del', key, version: forged } }),
      (err: Error) => err instanceof BadRequestError && /del\.writer must be the peer the route started at/.test(err.message))
  })

  test('a write without a version is refused by name', () => {
    const bytes = PbRouteRequest.encode({
      key: new Uint8Array(32), path: [entry.toMultihash().bytes], claim: Claim.NONE, deadThrough: new Uint8Array(0), budgetMs: 100,
      put: { key, value: new Uint8Array(1), timestamp: 0n, writer: new Uint8Array(0) }
    })
    assert.throws(() => decodeRouteRequest(codec, PbRouteRequest.decode(bytes)),
      (err: Error) => err instanceof BadRequestError && /put carries no version/.test(err.message))
  })

  test('a write whose writer is not a peer ID is refused by name', () => {
    const bytes = PbRouteRequest.encode({
      key: new Uint8Array(32), path: [entry.toMultihash().bytes], claim: Claim.NONE, deadThrough: new Uint8Array(0), budgetMs: 100,
      del: { key, timestamp: 5n, writer: new Uint8Array([1, 2, 3]) }
    })
    assert.throws(() => decodeRouteRequest(codec, PbRouteRequest.decode(bytes)),
      (err: Error) => err instanceof BadRequestError && /del\.writer is not a valid peer ID/.test(err.message))
  })

  test('"cannot vouch for absence" crosses the wire as its own status', () => {
    assert.equal(statusOf(new ReplicasUnavailableError('x')), Status.REPLICAS_UNAVAILABLE)
  })
})
