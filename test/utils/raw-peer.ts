import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import { createLibp2p, type Libp2p } from 'libp2p'
import { encodeFrame, FrameDecoder } from '../../src/network/frames.js'
import { Request, Response, Status } from '../../src/protocol/chord.js'
import { waitFor } from './network.js'
import type { ConnectionProtector, Stream } from '@libp2p/interface'

/** A stock libp2p node: TCP, Noise and Yamux, nothing of chordkv's; with a swarm key, a member of that private ring. */
export async function stockNode (connectionProtector?: () => ConnectionProtector): Promise<Libp2p> {
  return createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionProtector
  })
}

/** A raw protocol client: writes whatever bytes a test wants, collects decoded replies. */
export class RawClient {
  readonly replies: Response[] = []
  /** Why the stream closed, when it was reset. */
  closeError: Error | undefined
  private ended = false
  private readonly decoder = new FrameDecoder(64 << 20)

  constructor (readonly stream: Stream) {
    stream.addEventListener('message', evt => {
      for (const frame of this.decoder.push(evt.data)) this.replies.push(Response.decode(frame))
    })
    stream.addEventListener('close', evt => {
      this.ended = true
      this.closeError = evt.error
    })
    stream.addEventListener('remoteCloseWrite', () => { this.ended = true })
  }

  /** The peer closed its side or reset the stream (also before this client was made). */
  get closed (): boolean {
    return this.ended || this.stream.status !== 'open'
  }

  sendBytes (bytes: Uint8Array): void {
    this.stream.send(bytes)
  }

  sendRequest (request: Partial<Request>): void {
    this.stream.send(encodeFrame(Request.encode(request)))
  }

  /** The final reply to request `id` (an interim ACCEPTED is skipped). */
  async reply (id: number, timeoutMs = 5000): Promise<Response> {
    const final = (r: Response): boolean => r.id === id && r.status !== Status.ACCEPTED
    await waitFor(() => this.replies.some(final), timeoutMs, () => `no reply with id ${id}; got ${JSON.stringify(this.replies.slice(0, 20).map(r => [r.id, r.status, r.error]))}; the stream is ${this.stream.status}${this.closeError === undefined ? '' : ` (${this.closeError.message})`}`, 10)
    return this.replies.find(final) as Response
  }

  /** The final replies received so far. */
  get answers (): Response[] {
    return this.replies.filter(r => r.status !== Status.ACCEPTED)
  }

  async untilClosed (timeoutMs = 5000): Promise<void> {
    await waitFor(() => this.closed, timeoutMs, () => `the stream is still open; replies: ${JSON.stringify(this.replies.slice(0, 5).map(r => [r.id, r.status, r.error]))}`, 10)
  }
}
