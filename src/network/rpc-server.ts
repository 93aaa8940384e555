import { Request, Response, Status } from '../protocol/chord.js'
import { REQUEST_LIMITS, statusOf } from '../protocol/codec.js'
import { encodeFrame, FrameDecoder } from './frames.js'
import type { Logger, PeerId, Stream } from '@libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'

/** What a request handler learns about the request besides its body. */
export interface RequestContext {
  readonly remotePeer: PeerId
  /** Sends the interim ACCEPTED reply: the request was forwarded, the answer will follow. */
  accept (): void
}

/** Serves one decoded request; throws a ChordError to answer with its code. */
export type RequestHandler = (request: Request, context: RequestContext) => Promise<Omit<Response, 'id'>>

export interface ServeOptions {
  readonly maxFrameSize: number
  /** Requests served at once per stream; more are answered BUSY. */
  readonly maxInFlight: number
  readonly log: Logger
}

/**
 * Serves every request arriving on one inbound stream, concurrently, and
 * writes each reply tagged with its request's id.
 *
 * A frame that is not a valid request is answered BAD_REQUEST and the stream
 * keeps serving, since framing is still intact. A length prefix over the
 * frame limit cannot be resynchronised: it is answered BAD_REQUEST and the
 * stream is closed. Nothing a peer sends can throw out of here.
 */
export function serveStream (stream: Stream, remotePeer: PeerId, handler: RequestHandler, options: ServeOptions): void {
  const decoder = new FrameDecoder(options.maxFrameSize)
  let inFlight = 0
  let broken = false
  let remoteDone = false

  // Once the peer sends nothing more, close our side after the last reply.
  const closeIfDone = (): void => {
    if (remoteDone && inFlight === 0) stream.close().catch(() => {})
  }

  const reply = (response: Response): void => {
    if (stream.writeStatus !== 'writable') return
    try {
      stream.send(encodeFrame(Response.encode(response)))
    } catch (err) {
      options.log.trace('could not reply to %p: %s', remotePeer, (err as Error).message)
    }
  }

  const serve = (request: Request): void => {
    if (inFlight >= options.maxInFlight) {
      reply({ id: request.id, status: Status.BUSY, error: `more than ${options.maxInFlight} requests in flight on one stream` })
      return
    }
    inFlight++
    let accepted = false
    const context: RequestContext = {
      remotePeer,
      accept: () => {
        if (accepted) return
        accepted = true
        reply({ id: request.id, status: Status.ACCEPTED, error: '' })
      }
    }
    handler(request, context)
      .then(response => { reply({ ...response, id: request.id }) })
      .catch((err: unknown) => {
        const status = statusOf(err)
        if (status === Status.INTERNAL) options.log.error('request from %p failed - %e', remotePeer, err)
        reply({ id: request.id, status, error: err instanceof Error ? err.message : String(err) })
      })
      .finally(() => {
        inFlight--
        closeIfDone()
      })
  }

  const onFrame = (frame: Uint8ArrayList): void => {
    let request: Request
    try {
      request = Request.decode(frame, { limits: REQUEST_LIMITS })
    } catch (err) {
      reply({ id: 0, status: Status.BAD_REQUEST, error: `malformed request: ${(err as Error).message}` })
      return
    }
    if (request.id === 0) {
      reply({ id: 0, status: Status.BAD_REQUEST, error: 'request id must not be 0' })
      return
    }
    serve(request)
  }

  stream.addEventListener('message', evt => {
    if (broken) return
    try {
      for (const frame of decoder.push(evt.data)) onFrame(frame)
    } catch (err) {
      broken = true
      options.log('closing stream from %p: %s', remotePeer, (err as Error).message)
      reply({ id: 0, status: Status.BAD_REQUEST, error: `bad frame: ${(err as Error).message}; closing the stream` })
      stream.close().catch(() => { stream.abort(err as Error) })
    }
  })
  stream.addEventListener('remoteCloseWrite', () => {
    remoteDone = true
    closeIfDone()
  })
}
