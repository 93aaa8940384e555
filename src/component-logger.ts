import { enabled, logger } from '@libp2p/logger'
import type { ComponentLogger, Logger } from '@libp2p/interface'

/**
 * libp2p's loggers, made only for namespaces that print. libp2p asks for
 * one per component, connection and stream, and its default logger builds
 * four `debug` loggers each time, with a terminal check (a system call)
 * apiece: 3 % of a forming ring's CPU in bench:scale (N = 300), for loggers
 * that print nothing. A namespace DEBUG does not enable gets a silent
 * logger instead; its scopes are checked in turn. Namespaces are checked
 * when a logger is made: enable them (DEBUG, or `--log-level debug`)
 * before the peer starts.
 */
export function componentLogger (): ComponentLogger {
  return { forComponent: loggerFor }
}

function loggerFor (name: string): Logger {
  return enabled(name) || enabled(`${name}:error`) || enabled(`${name}:trace`) ? logger(name) : silent(name)
}

const nothing = (): void => {}

function silent (name: string): Logger {
  return Object.assign((): void => {}, {
    error: nothing,
    trace: nothing,
    enabled: false,
    newScope: (scope: string): Logger => loggerFor(`${name}:${scope}`)
  })
}
