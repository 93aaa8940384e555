import { ConfigError } from './errors.js'

/**
 * A libp2p start failure in words an operator can act on: which listen
 * address failed and why, without libp2p's advice about its own options.
 */
export function startFailure (err: Error): ConfigError {
  if (err.name === 'UnsupportedListenAddressesError') {
    const failures = [...err.message.matchAll(/^\s+(\/\S+): (.*)$/gm)].map(([, addr, why]) => `${addr}: ${explain(why ?? '')}`)
    if (failures.length > 0) return new ConfigError(`cannot listen on ${failures.join('; ')} (listen is set by --listen, CHORDKV_LISTEN or the config file)`)
  }
  return new ConfigError(`cannot start the peer: ${err.message.split('\n')[0] ?? ''}`)
}

function explain (why: string): string {
  if (why.includes('EADDRINUSE')) return 'the address is already in use (another process listens on that port)'
  if (why.includes('EADDRNOTAVAIL')) return 'this host has no such address'
  if (why.includes('EACCES')) return 'permission denied (ports below 1024 need privileges)'
  if (/UnsupportedListenAddress|not supported/i.test(why)) return 'no transport of chordkv can listen there (it listens on TCP)'
  return why
}
