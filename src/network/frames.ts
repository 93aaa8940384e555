import { LengthPrefixedDecoder } from '@libp2p/utils'
import * as varint from 'uint8-varint'
import { Uint8ArrayList } from 'uint8arraylist'

/** Generous bound on one chunk read from a stream (yamux sends far smaller ones). */
const MAX_CHUNK = 1024 * 1024

/** Prefixes a message with its varint length: one frame on a stream. */
export function encodeFrame (message: Uint8Array): Uint8ArrayList {
  return new Uint8ArrayList(varint.encode(message.byteLength), message)
}

/**
 * Splits incoming stream chunks into frames. A length prefix above
 * `maxFrameSize` throws: the stream can no longer be trusted to be in sync
 * and must be reset. The buffer may hold a partial frame plus one chunk.
 */
export class FrameDecoder {
  private readonly decoder: LengthPrefixedDecoder

  constructor (maxFrameSize: number) {
    this.decoder = new LengthPrefixedDecoder({
      maxDataLength: maxFrameSize,
      maxBufferSize: 2 * maxFrameSize + MAX_CHUNK
    })
  }

  /** Appends a chunk and yields every frame it completes. */
  * push (chunk: Uint8Array | Uint8ArrayList): Generator<Uint8ArrayList> {
    yield * this.decoder.decode(chunk)
  }
}
