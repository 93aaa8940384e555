import assert from 'node:assert/strict'
import { test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { BadRequestError } from '../../src/errors.js'
import { PeerDirectory } from '../../src/network/peer-directory.js'
import type { Peer } from '../../src/protocol/chord.js'

const self = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
const carol = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
const ownAddress = multiaddr('/ip4/127.0.0.1/tcp/4001')

/** Bytes as a decoded message holds them (each its own buffer). */
const own = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes)
/** Carol as a peer's state names her: her ID's bytes and these addresses. */
const carolWith = (...addrs: string[]): Peer => ({ id: own(carol.toMultihash().bytes), addrs: addrs.map(a => own(multiaddr(a).bytes)) })

test('a peer named again with the addresses held for it keeps them as they are; new addresses replace them', () => {
  const directory = new PeerDirectory(self, () => [ownAddress], () => performance.now())
  const node = directory.decodePeer(carolWith('/ip4/10.0.0.3/tcp/4003', '/ip4/10.0.0.4/tcp/4003'), 'state')
  const held = directory.addressesOf(node)
  assert.deepEqual(held.map(String), ['/ip4/10.0.0.3/tcp/4003', '/ip4/10.0.0.4/tcp/4003'])

  assert.equal(directory.decodePeer(carolWith('/ip4/10.0.0.3/tcp/4003', '/ip4/10.0.0.4/tcp/4003'), 'state').peer, node.peer)
  assert.equal(directory.addressesOf(node), held, 'the same bytes are not parsed again')

  directory.decodePeer(carolWith('/ip4/10.0.0.4/tcp/4003', '/ip4/10.0.0.3/tcp/4003'), 'state')
  assert.deepEqual(directory.addressesOf(node).map(String), ['/ip4/10.0.0.4/tcp/4003', '/ip4/10.0.0.3/tcp/4003'], 'another order is other addresses')
  directory.decodePeer(carolWith('/ip4/10.0.0.9/tcp/4009'), 'state')
  assert.deepEqual(directory.addressesOf(node).map(String), ['/ip4/10.0.0.9/tcp/4009'])
  directory.decodePeer(carolWith(), 'state')
  assert.deepEqual(directory.addressesOf(node).map(String), ['/ip4/10.0.0.9/tcp/4009'], 'no addresses keeps the ones held')
})

test('an invalid address is refused even beside the ones held, and a peer cannot set this node\'s own', () => {
  const directory = new PeerDirectory(self, () => [ownAddress], () => performance.now())
  const node = directory.decodePeer(carolWith('/ip4/10.0.0.3/tcp/4003'), 'state')
  const garbage: Peer = { id: own(carol.toMultihash().bytes), addrs: [own(multiaddr('/ip4/10.0.0.3/tcp/4003').bytes), Uint8Array.of(0xff, 0xff, 0xff)] }
  assert.throws(() => directory.decodePeer(garbage, 'state'), (err: Error) => err instanceof BadRequestError && /state\.addrs holds an invalid multiaddr/.test(err.message))
  assert.deepEqual(directory.addressesOf(node).map(String), ['/ip4/10.0.0.3/tcp/4003'])

  const me: Peer = { id: own(self.toMultihash().bytes), addrs: [own(multiaddr('/ip4/10.0.0.66/tcp/6666').bytes)] }
  assert.equal(directory.decodePeer(me, 'state').peer, self.toString())
  assert.deepEqual(directory.addressesOf(directory.self).map(String), [ownAddress.toString()])
})
