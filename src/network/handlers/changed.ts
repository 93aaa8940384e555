import type { Handler } from './handler.js'

/** The sender's neighbours changed: this peer stabilizes now. */
export const changed: Handler<'changed'> = async (_body, { from, parts }) => {
  parts.ring.changed(from)
  return {}
}
