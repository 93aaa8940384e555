import { parseArgs, type ParseArgsConfig } from 'node:util'

/** A command-line mistake: printed with a hint, exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** Exit statuses. */
export const EXIT = {
  OK: 0,
  /** The operation failed (not found, ring error, bad request). */
  FAILED: 1,
  USAGE: 2,
  /** No peer listens on the control socket. */
  NO_PEER: 3,
  /** get found no value but the key's replicas could not confirm it is absent: retry. */
  REPLICAS_UNAVAILABLE: 4
} as const

export const USAGE = `chordkv — a replicated key/value store on a Chord ring over libp2p

Usage:
  chordkv start [options]          run a peer (Ctrl-C or SIGTERM leaves the ring gracefully)
  chordkv demo [--peers N]         run a local demo ring of N peers (default 3)
  chordkv put KEY VALUE            store VALUE under KEY (VALUE "-" reads stdin)
  chordkv get KEY                  print the value (raw bytes); exit 1 if absent,
                                   4 if its replicas cannot confirm that (retry)
  chordkv del KEY                  delete KEY (chord overlay only)
  chordkv lookup KEY [--json]      show the peer responsible for KEY and the route to it
  chordkv status [--json]          show this peer's ring state
  chordkv health                   exit 0 if this peer can take writes, 1 (and why) if not
  chordkv leave                    hand this peer's keys to its successor and stop it

Options of start:
  --listen MULTIADDR               listen address, repeatable (default /ip4/127.0.0.1/tcp/0)
  --announce MULTIADDR             address to advertise, repeatable
  --bootstrap MULTIADDR            ring member to join through, repeatable
  --data-dir DIR                   identity, store and socket (default ~/.chordkv)
  --socket PATH                    control socket (default DATA_DIR/chordkv.sock)
  --config FILE                    JSON config file (see config/default.json)
  --storage leveldb|memory         where records live (default leveldb)
  --overlay chord|kad              overlay network (default chord; see docs/overlays.md)
  --successors R                   successor-list length (default 8)
  --replicas K                     replication factor (default 3; W defaults to a majority)

Client commands reach a peer through its control socket:
  --socket PATH | --data-dir DIR   which peer (default ~/.chordkv/chordkv.sock)
  --config FILE                    read socket / dataDir from a config file
  Put "--" before a KEY or VALUE that starts with "-":  chordkv put -- k -5

Environment variables CHORDKV_… set the same options (see README).
Exit status: 0 ok, 1 operation failed, 2 usage error, 3 no peer on the socket,
4 get could not confirm the key is absent (REPLICAS_UNAVAILABLE; retry).
`

/** parseArgs that reports mistakes as {@link UsageError}s. */
export function parse<T extends ParseArgsConfig> (config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config)
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
}
