import { generateKeyPair } from '@libp2p/crypto/keys'
import { createLibp2p, type Libp2p } from 'libp2p'
import { stackOptions } from '../../src/stack.js'

/** A protocol the sink only reads. */
export const SINK = '/chordkv-test/sink/1.0.0'

/** Two peers of chordkv's libp2p stack (stack.ts) on loopback TCP; the sink reads {@link SINK} and counts what it read. */
export interface SinkPair {
  readonly sender: Libp2p
  readonly sink: Libp2p
  /** Bytes the sink has read, by stream id (the same on both ends of a connection). */
  readonly read: Map<string, number>
  stop (): Promise<void>
}

export async function sinkPair (): Promise<SinkPair> {
  const peer = async (): Promise<Libp2p> => createLibp2p(await stackOptions({ listen: ['/ip4/127.0.0.1/tcp/0'], privateKey: await generateKeyPair('Ed25519') }, true))
  const [sender, sink] = await Promise.all([peer(), peer()])
  const read = new Map<string, number>()
  await sink.handle(SINK, stream => {
    stream.addEventListener('message', evt => { read.set(stream.id, (read.get(stream.id) ?? 0) + evt.data.byteLength) })
  })
  return { sender, sink, read, stop: async () => { await Promise.all([sender.stop(), sink.stop()]) } }
}
