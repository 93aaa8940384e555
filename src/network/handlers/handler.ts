import type { Request, Response } from '../../protocol/chord.js'
import type { PeerCodec } from '../../protocol/peer-codec.js'
import type { NodeRef } from '../../ring/node-ref.js'
import type { RecordGuard } from '../record-guard.js'
import type { ChordHandlers, DataHandlers, InfoHandlers, WatchHandlers } from '../../protocol/ports.js'

/** The name of one request body of `/chordkv/1.0.0`: one handler each. */
export type BodyKind = Exclude<keyof Request, 'id'>

/** A request body of a kind, as decoded from the wire. */
export type Body<K extends BodyKind> = NonNullable<Request[K]>

/** What a handler answers besides OK: the reply's body, if it has one. */
export type ReplyBody = Omit<Response, 'id' | 'status' | 'error'>

/** The parts of a peer its handlers call. */
export interface PeerParts {
  /** The ring's side (ChordNode). */
  readonly ring: ChordHandlers
  /** The records' side (the record server). */
  readonly data: DataHandlers
  /** What the peer tells about itself. */
  readonly info: InfoHandlers
  /** The watches of this peer's clients. */
  readonly watches: WatchHandlers
}

/** What handlers ask the record guard (record-guard.ts): may this peer write, does it know that one, has it left. */
export type GuardChecks = Pick<RecordGuard, 'check' | 'knows' | 'left'>

/** What a handler gets with a request besides its body. */
export interface HandlerContext {
  /** The peer on the stream the request came over. */
  readonly from: NodeRef
  readonly peers: PeerCodec
  readonly parts: PeerParts
  /** Who may exchange records with this peer; none lets everyone through (tests). */
  readonly guard: GuardChecks | undefined
  /** Sends the interim ACCEPTED reply before a routed request is forwarded. */
  accept (): void
}

/**
 * Serves one kind of request: decodes its body (protocol/), checks who may
 * ask, calls the domain and encodes the reply. Throws a ChordError to
 * answer with its status (rpc-server.ts turns it into the reply).
 */
export type Handler<K extends BodyKind> = (body: Body<K>, ctx: HandlerContext) => Promise<ReplyBody>
