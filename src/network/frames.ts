import { LengthPrefixedDecoder } from '@libp2p/utils'
import * as varint from 'uint8-varint'
import { Uint8ArrayList } from 'uint8arraylist'

/** Prefixes a message with its varint length: one frame on a stream. */
export function encodeFrame (message: Uint8Array): Uint8ArrayList {
  return new Uint8ArrayList(varint.encode(message.byteLength), message)
}

/**
 * The stream's framing is broken: a length prefix that is malformed (longer
 * than any frame under the limit needs, not minimally encoded, or zero) or
 * over the limit, or more buffered than a frame and a chunk can take. The
 * stream cannot be resynchronised and must be closed.
 */
export class FrameError extends Error {
  override name = 'FrameError'
}

/**
 * Splits incoming stream chunks into frames (libp2p's length-prefixed
 * decoder, with a stricter prefix). A prefix is refused as soon as its bytes
 * show it is bad, so no prefix is ever waited on for more than
 * `encodingLength(maxFrameSize)` bytes. The buffer holds at most a partial
 * frame plus one chunk of `maxChunk` bytes.
 */
export class FrameDecoder {
  private readonly decoder: LengthPrefixedDecoder
  private held = 0

  constructor (maxFrameSize: number, maxChunk = 4 * 1024 * 1024) {
    const prefixBytes = varint.encodingLength(maxFrameSize)
    this.decoder = new LengthPrefixedDecoder({
      maxDataLength: maxFrameSize,
      maxBufferSize: maxFrameSize + prefixBytes + maxChunk,
      lengthDecoder: buf => decodeLength(buf, maxFrameSize, prefixBytes)
    })
  }

  /** Bytes of an incomplete frame waiting for the rest. */
  get buffered (): number {
    return this.held
  }

  /** Appends a chunk and yields every frame it completes; throws FrameError when the framing is broken. */
  * push (chunk: Uint8Array | Uint8ArrayList): Generator<Uint8ArrayList> {
    this.held += chunk.byteLength
    try {
      for (const frame of this.decoder.decode(chunk)) {
        this.held -= frame.byteLength + varint.encodingLength(frame.byteLength)
        yield frame
      }
    } catch (err) {
      if (err instanceof FrameError) throw err
      throw new FrameError((err as Error).message)
    }
  }
}

/**
 * "Wait for more bytes", thrown at the end of every chunk the decoder has
 * consumed: one instance, as building an error (its stack) each time cost
 * about 4 % of a busy peer's CPU (the socket benchmark's profile).
 */
const INCOMPLETE = new RangeError('incomplete length prefix')

/**
 * The varint length at the start of `buf`. RangeError means "not all there
 * yet" (the decoder waits for more); FrameError means it can never be valid.
 * Minimal encoding is required, so the prefix's length follows from its value.
 */
function decodeLength (buf: Uint8ArrayList | Uint8Array, maxFrameSize: number, prefixBytes: number): number {
  let value = 0
  for (let i = 0; i < prefixBytes; i++) {
    if (i >= buf.byteLength) throw INCOMPLETE
    const byte = buf instanceof Uint8Array ? buf[i] as number : buf.get(i)
    value += (byte & 0x7f) * 2 ** (7 * i)
    if (value > maxFrameSize) throw new FrameError(`frame length over the limit of ${maxFrameSize} bytes`)
    if (byte < 0x80) {
      if (i > 0 && byte === 0) throw new FrameError('length prefix is not minimally encoded')
      if (value === 0) throw new FrameError('empty frame')
      return value
    }
  }
  throw new FrameError(`length prefix longer than ${prefixBytes} bytes (the limit is ${maxFrameSize} bytes)`)
}
