import { StreamState, YamuxStream } from '@chainsafe/libp2p-yamux/stream'

/** The fields of a Yamux stream the rule reads (private in its typings). */
interface ReceiveWindow {
  readonly state: StreamState
  /** Bytes the peer may send before it must wait for an update. */
  readonly recvWindowCapacity: number
  /** The full window an update restores. */
  readonly recvWindow: number
}

const INSTALLED = Symbol.for('chordkv.yamux-window-updates-at-half')

/**
 * Yamux (`@chainsafe/libp2p-yamux` 8) answers every data frame it receives
 * with a window update frame, however little of the 256 KiB window the
 * frame used. For a request and its reply that is two more frames, each
 * encrypted by Noise and written to the socket, and one more wake-up of
 * each process: measured, a third of the CPU a request costs. Go's and
 * Rust's Yamux send an update only once half the window is used, and so
 * does this: an open stream whose remaining receive window is over half
 * the full window sends none. Everything else (opening and accepting a
 * stream, a paused reader, the window growing under bulk transfers) goes
 * through Yamux's own code unchanged. The sender never waits on it: it
 * always holds at least half a window of credit.
 *
 * Installed once per process, for every Yamux stream in it; the
 * prototype is Yamux's public `./stream` export.
 */
export function windowUpdatesAtHalf (): void {
  const proto = YamuxStream.prototype as unknown as { sendWindowUpdate: (this: ReceiveWindow) => void, [INSTALLED]?: true }
  if (proto[INSTALLED] === true) return
  const sendEveryTime = proto.sendWindowUpdate
  proto.sendWindowUpdate = function (this: ReceiveWindow): void {
    if (this.state === StreamState.Established && this.recvWindowCapacity * 2 > this.recvWindow) return
    sendEveryTime.call(this)
  }
  proto[INSTALLED] = true
}
