/**
 * What the control socket asks of a running peer, whichever overlay it runs.
 * Keys and values are bytes; a missing key reads as `undefined`.
 */
export interface ControlApi {
  put (key: Uint8Array, value: Uint8Array): Promise<Record<string, unknown>>
  get (key: Uint8Array): Promise<Uint8Array | undefined>
  /** Whether the key held a value. */
  del (key: Uint8Array): Promise<boolean>
  /** The peer responsible for the key, as a JSON-ready object. */
  lookup (key: Uint8Array): Promise<Record<string, unknown>>
  status (): Promise<Record<string, unknown>>
  /** Leaves gracefully; the process exits after the response is sent. */
  leave (): Promise<void>
}
