import assert from 'node:assert/strict'
import { test } from 'node:test'
import { PROTOCOL } from '../../src/protocol/constants.js'
import { startPeer, startRing, stopAll, waitFor } from '../utils/network.js'

/**
 * PeerClient.reachable, which owner hints ask before sending a request
 * straight to a key's owner: true only while a data stream to the peer is
 * open, so a hint never costs a dial or a new stream on a request's path.
 * Two real peers over TCP + Noise + Yamux.
 */
test('reachable: true once the data stream is open; after the stream is reset, false and it reopens by itself over the same connection', async (t) => {
  const peers = await startRing(2)
  t.after(async () => { await stopAll(peers) })
  const [a, b] = peers as [typeof peers[0], typeof peers[0]]
  const { transport, node } = a.services.chord.testing
  const to = b.services.chord.testing.node.self
  await waitFor(() => node.state.successor.peer === to.peer, 30_000, () => 'the two peers did not form a ring')

  // The ring lane reaches it (it is the successor), so its data lane opens too.
  await waitFor(() => transport.reachable(to), 30_000, () => 'the data stream to the successor never opened')
  const connection = a.getConnections(b.peerId)[0]
  assert.ok(connection !== undefined, 'connected')

  // Reset every chordkv stream this peer opened to the other; the connection stays.
  const ours = connection.streams.filter(s => s.protocol === PROTOCOL && s.direction === 'outbound')
  assert.ok(ours.length >= 1)
  for (const stream of ours) stream.abort(new Error('reset by the test'))
  await waitFor(() => connection.streams.every(s => !ours.includes(s)), 10_000, () => 'the reset streams are still listed')

  assert.equal(transport.reachable(to), false, 'a reset data stream is not reachable')
  // No request was sent: asking was enough to open a new one for the next request.
  await waitFor(() => transport.reachable(to), 10_000, () => 'the data stream was not reopened after the reset')
  assert.equal(a.getConnections(b.peerId).length, 1, 'over the connection it had, without a dial')
  assert.ok(connection.streams.some(s => s.protocol === PROTOCOL && s.direction === 'outbound' && !ours.includes(s)), 'a new stream')

  // Once the connection is gone its streams are too: not reachable.
  await a.hangUp(b.peerId)
  await waitFor(() => a.getConnections(b.peerId).length === 0, 10_000, () => 'still connected after the hang-up')
  assert.equal(transport.reachable(to), false)
})

test('reachable with dial (small rings): a peer with no connection is dialled for the next request; without, nothing is opened', async (t) => {
  // Two lone peers: neither routes to the other, so only reachable can connect them.
  const peers = [await startPeer([]), await startPeer([])]
  t.after(async () => { await stopAll(peers) })
  const [a, b] = peers as [typeof peers[0], typeof peers[0]]
  const { transport, directory } = a.services.chord.testing
  const to = directory.learn(b.peerId, b.getMultiaddrs())

  const channels = transport.channelCount
  assert.equal(transport.reachable(to), false)
  assert.equal(transport.channelCount, channels, 'without dial, nothing is opened to a peer it has no connection to')
  assert.equal(transport.reachable(to, true), false, 'not yet: the dial is for the next request')
  assert.equal(transport.channelCount, channels + 1, 'the data channel is opening')
  await waitFor(() => transport.reachable(to), 10_000, () => 'the dial did not open a data stream')
  assert.equal(a.getConnections(b.peerId).length, 1)
})
