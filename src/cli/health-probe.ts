/**
 * The container health probe: one `{"op":"health"}` request over a peer's
 * control socket, judged in one of two ways:
 *
 * - writable (the default, Kubernetes' readiness probe, `chordkv health`):
 *   exit status 0 when the peer can take writes (a ring member, not
 *   leaving, W replicas reachable), 1 otherwise;
 * - `--live` (the image's HEALTHCHECK, Kubernetes' liveness probe): exit
 *   status 0 when the peer is alive and serving, that is it answers on its
 *   control socket in time, whatever its ring state: a peer still joining,
 *   or alone on its ring waiting for others, is alive. An orchestrator that
 *   replaces unhealthy containers (Docker Swarm) or lists only healthy ones
 *   in its DNS (Swarm's `tasks.<service>`) must see a starting peer as
 *   alive, or no ring ever forms.
 *
 * The verdict and its reason go to stdout, where `docker inspect` and
 * `kubectl describe` show them. Docker reserves status 2, so every
 * failure, no peer included, is 1.
 *
 * It imports nothing but Node's built-ins, so it depends on nothing else in
 * the project: a probe costs one Node start-up and one request (tens of
 * milliseconds, against the HEALTHCHECK's five-second timeout) whatever the
 * CLI comes to load, and answers with Docker's statuses only (the CLI also
 * has 3 for no peer and 4 for no answer).
 *
 *   node dist/src/cli/health-probe.js [--live] [SOCKET]
 *
 * The socket is SOCKET, else $CHORDKV_SOCKET, else
 * $CHORDKV_DATA_DIR/chordkv.sock, else ~/.chordkv/chordkv.sock: where
 * `chordkv start` puts it when no config file moves it.
 */
import { createConnection } from 'node:net'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

/** Answer within this (ms): under Docker's and Kubernetes' probe timeouts, so the reason printed is this probe's own. */
const TIMEOUT_MS = 4000
/** A health reply is a few hundred bytes; anything this long without a newline is not one. */
const MAX_REPLY_BYTES = 64 * 1024

/** What the probe checks: that the peer can take writes, or only that it is alive. */
type Mode = 'writable' | 'live'

function socketPath (given: string | undefined): string {
  const env = (name: string): string | undefined => (process.env[name] === '' ? undefined : process.env[name])
  const path = given ?? env('CHORDKV_SOCKET') ?? join(env('CHORDKV_DATA_DIR') ?? join(homedir(), '.chordkv'), 'chordkv.sock')
  return resolve(path)
}

interface Verdict {
  readonly healthy: boolean
  readonly message: string
}

/** Judges the health reply line. */
function judge (line: string, mode: Mode): Verdict {
  let reply: { ok?: unknown, healthy?: unknown, state?: unknown, reasons?: unknown, error?: { code?: unknown, message?: unknown } }
  try {
    reply = JSON.parse(line) as typeof reply
  } catch {
    return { healthy: false, message: `unhealthy: the peer answered with something that is not JSON: ${line.slice(0, 80)}` }
  }
  if (reply.ok !== true) {
    return { healthy: false, message: `unhealthy: the peer refused the health request: ${String(reply.error?.code)}: ${String(reply.error?.message)}` }
  }
  const state = String(reply.state)
  const reasons = Array.isArray(reply.reasons) ? reply.reasons.map(String) : []
  const why = reasons.length > 0 ? reasons.join('; ') : 'no reason given'
  if (mode === 'live') return { healthy: true, message: reply.healthy === true ? `alive (${state})` : `alive (${state}), not taking writes: ${why}` }
  if (reply.healthy === true) return { healthy: true, message: `healthy (${state})` }
  return { healthy: false, message: `unhealthy (${state}): ${why}` }
}

async function probe (path: string, mode: Mode): Promise<Verdict> {
  return new Promise(resolveVerdict => {
    const socket = createConnection(path)
    let buffered = ''
    const finish = (verdict: Verdict): void => {
      clearTimeout(timer)
      socket.destroy()
      resolveVerdict(verdict)
    }
    const timer = setTimeout(() => { finish({ healthy: false, message: `unhealthy: the peer on ${path} did not answer within ${TIMEOUT_MS} ms` }) }, TIMEOUT_MS)
    socket.setEncoding('utf8')
    socket.once('connect', () => { socket.write('{"id":1,"op":"health"}\n') })
    socket.on('data', (chunk: string) => {
      buffered += chunk
      const nl = buffered.indexOf('\n')
      if (nl >= 0) finish(judge(buffered.slice(0, nl), mode))
      else if (buffered.length > MAX_REPLY_BYTES) finish({ healthy: false, message: `unhealthy: the peer on ${path} sent ${buffered.length} bytes without a reply line` })
    })
    socket.once('end', () => { finish({ healthy: false, message: `unhealthy: the peer on ${path} closed the connection without answering` }) })
    socket.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'ENOENT' ? 'no such socket' : err.code === 'ECONNREFUSED' ? 'connection refused' : err.message
      finish({ healthy: false, message: `unhealthy: no chordkv peer is listening on ${path} (${why})` })
    })
  })
}

const args = process.argv.slice(2)
const mode: Mode = args[0] === '--live' ? 'live' : 'writable'
const verdict = await probe(socketPath(mode === 'live' ? args[1] : args[0]), mode)
process.stdout.write(`${verdict.message}\n`)
process.exitCode = verdict.healthy ? 0 : 1
