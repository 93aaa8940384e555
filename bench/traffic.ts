import { subscribe } from 'node:diagnostics_channel'
import { RpcChannel } from '../src/network/rpc-channel.js'
import type { Socket } from 'node:net'
import type { Uint8ArrayList } from 'uint8arraylist'

/**
 * What the peers of one benchmark process have sent since it started:
 * `/chordkv/1.0.0` requests and their frame bytes (request and reply, on the
 * calling side), and every byte written to a TCP socket (the wire: Noise,
 * Yamux and every protocol over them together).
 */
export interface Traffic {
  requests: number
  /** Requests by message kind (the request body's field: route, getState, notify…). */
  byKind: Record<string, number>
  frameBytes: number
  wireBytes: number
  /** TCP sockets opened, dialled and accepted (a connection between two peers of the process counts twice). */
  socketsOpened: number
}

/**
 * Starts counting this process's traffic; returns a reader. Requests are
 * counted where every one goes out (RpcChannel.call, whatever the stream
 * mode), frame bytes where the channel writes a request and reads replies,
 * wire bytes from the sockets Node.js reports through diagnostics_channel.
 * Bench code only: the counters hook into the channel's prototype.
 */
export function countTraffic (): () => Traffic {
  const traffic: Traffic = { requests: 0, byKind: {}, frameBytes: 0, wireBytes: 0, socketsOpened: 0 }
  const channel = RpcChannel.prototype as unknown as {
    call: RpcChannel['call']
    write: (frame: Uint8ArrayList) => Promise<void>
    receive: (chunk: Uint8Array | Uint8ArrayList) => void
  }
  const { call, write, receive } = channel
  // The private methods are named here: a rename must fail loudly, not count zero.
  if (typeof write !== 'function' || typeof receive !== 'function') throw new Error('RpcChannel no longer has write() and receive() to count frames on')
  channel.call = async function (this: RpcChannel, ...args) {
    traffic.requests++
    const kind = Object.keys(args[0]).find(k => (args[0] as Record<string, unknown>)[k] !== undefined) ?? 'none'
    traffic.byKind[kind] = (traffic.byKind[kind] ?? 0) + 1
    return call.apply(this, args)
  }
  channel.write = async function (this: RpcChannel, frame) {
    traffic.frameBytes += frame.byteLength
    return write.call(this, frame)
  }
  channel.receive = function (this: RpcChannel, chunk) {
    traffic.frameBytes += chunk.byteLength
    receive.call(this, chunk)
  }

  // Open sockets are read when asked; a closed one's bytes are kept.
  const open = new Set<Socket>()
  let closedBytes = 0
  const track = ({ socket }: { socket: Socket }): void => {
    traffic.socketsOpened++
    open.add(socket)
    socket.once('close', () => {
      open.delete(socket)
      closedBytes += socket.bytesWritten
    })
  }
  subscribe('net.client.socket', message => { track(message as { socket: Socket }) })
  subscribe('net.server.socket', message => { track(message as { socket: Socket }) })
  return () => {
    let wire = closedBytes
    for (const socket of open) wire += socket.bytesWritten
    return { ...traffic, byKind: { ...traffic.byKind }, wireBytes: wire }
  }
}
