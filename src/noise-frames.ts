import { noise } from '@chainsafe/libp2p-noise'
import { handshakeSigner, nativeNoiseCrypto } from './noise-crypto.js'
import type { ConnectionEncrypter, SecuredConnection } from '@libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'

type NoiseFactory = ReturnType<typeof noise>

/** What this file changes on Noise's encrypted connection (fields its typings keep private). */
interface NoiseConnection {
  encrypt?: (chunk: Uint8Array | Uint8ArrayList) => Uint8ArrayList | Uint8Array
  /** Its frame decoder, which hands the length function its whole buffer. */
  decoder?: { lengthDecoder?: (buf: Uint8ArrayList) => number }
}

/**
 * "The rest of the length prefix has not arrived": the reading side's
 * decoder treats a RangeError as that. One instance, so no stack is taken.
 */
const INCOMPLETE = new RangeError('incomplete Noise length prefix')

/** Noise's 2-byte big-endian frame length at the start of the decoder's buffer, or INCOMPLETE. */
function frameLength (buf: Uint8ArrayList): number {
  if (buf.byteLength < 2) throw INCOMPLETE
  return buf.getUint16(0)
}

/**
 * Noise (`@chainsafe/libp2p-noise` 17) as the connection encrypter, with
 * two costs of its encrypted connection taken away. Measured on a ring at
 * work, they were about a tenth of a peer's CPU each:
 * - Writing: each frame went to the socket as two writes, its 2-byte
 *   length and then its ciphertext, so two system calls and two TCP
 *   segments (Nagle is off) per frame. Here a frame's bytes are joined
 *   first and go out as one write.
 * - Reading: at the end of every chunk read from the socket, the frame
 *   decoder asks for the next length in an empty buffer, and Noise's
 *   decoder answers by building a RangeError, with its stack. Here the
 *   answer is one RangeError made once.
 * Its primitives are noise-crypto.ts's (OpenSSL and, for small frames, pure JS or, once the process is busy, WebAssembly),
 * and its handshake signs with the identity's key object made once (handshakeSigner).
 * Frames, keys and the handshake are Noise's own. A Noise whose
 * connection no longer has these parts is used as it is
 * (`test/noise-frames.test.ts` fails then).
 */
export function framedNoise (init: Parameters<typeof noise>[0] = {}): NoiseFactory {
  const make = noise({ crypto: nativeNoiseCrypto, ...init })
  return components => {
    const inner = make(Object.create(components, { privateKey: { value: handshakeSigner(components.privateKey) } }))
    const outer: ConnectionEncrypter = Object.create(inner)
    outer.secureInbound = async (connection, options) => joined(await inner.secureInbound(connection, options))
    outer.secureOutbound = async (connection, options) => joined(await inner.secureOutbound(connection, options))
    return outer as ReturnType<NoiseFactory>
  }
}

/** The secured connection with one write per batch of frames and a length decoder that takes no stack. */
function joined<T extends SecuredConnection> (secured: T): T {
  const connection = secured.connection as unknown as NoiseConnection
  const { encrypt, decoder } = connection
  if (typeof encrypt === 'function' && decoder !== undefined && typeof decoder.lengthDecoder === 'function') {
    connection.encrypt = chunk => {
      const frames = encrypt.call(connection, chunk)
      // A small copy instead of a system call and a TCP segment per part.
      return frames instanceof Uint8Array ? frames : frames.subarray()
    }
    decoder.lengthDecoder = frameLength
  }
  return secured
}

/** Whether a secured connection has both changes (for the tests). */
export function isFramed (secured: SecuredConnection): boolean {
  return (secured.connection as unknown as NoiseConnection).decoder?.lengthDecoder === frameLength
}
