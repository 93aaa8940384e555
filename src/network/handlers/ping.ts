import type { Handler } from './handler.js'

/** A ping only shows that this peer is alive (the dispatcher already noted the sender as seen). */
export const ping: Handler<'ping'> = async () => ({})
