import assert from 'node:assert/strict'
import { test } from 'node:test'
import { streamPair } from '@libp2p/utils'
import { UnreachableError } from '../../src/errors.js'
import { RpcChannel } from '../../src/network/rpc-channel.js'
import { waitFor } from '../utils/network.js'

const FRAME = 64 * 1024
const CALL = { timeoutMs: 30_000 }

/** A channel over one end of an in-memory stream pair; the far end reads nothing and answers nothing. */
async function channelToSilentPeer (): Promise<{ channel: RpcChannel, far: Awaited<ReturnType<typeof streamPair>>[1] }> {
  const [near, far] = await streamPair()
  return { channel: new RpcChannel(near, 'peer-x', FRAME, 8), far }
}

test('calls in flight when the far side closes fail at once as unreachable, naming the peer, and so does every call after', async () => {
  const { channel, far } = await channelToSilentPeer()
  const calls = [channel.call({ ping: {} }, CALL), channel.call({ getState: {} }, CALL)]
  await waitFor(() => channel.inFlight === 2, 5000, () => `${channel.inFlight} calls in flight, not 2`)
  far.abort(new Error('gone'))
  for (const call of calls) await assert.rejects(call, (err: Error) => err instanceof UnreachableError && err.message.includes('peer-x'))
  assert.equal(channel.open, false)
  assert.equal(channel.inFlight, 0)
  await assert.rejects(channel.call({ ping: {} }, CALL), (err: Error) => err instanceof UnreachableError && err.message.includes('peer-x'))
})

test('a channel closed with nothing in flight refuses later calls as unreachable, each told why', async () => {
  const { channel } = await channelToSilentPeer()
  channel.close()
  assert.equal(channel.open, false)
  const first = await channel.call({ ping: {} }, CALL).then(() => undefined, (err: unknown) => err)
  assert.ok(first instanceof UnreachableError, `not unreachable: ${String(first)}`)
  assert.match(first.message, /stream to peer-x closed locally/)
  await assert.rejects(channel.call({ ping: {} }, CALL), (err: Error) => err === first, 'the same failure, made once')
})
