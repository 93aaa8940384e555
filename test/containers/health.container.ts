import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { waitFor } from '../utils/network.js'
import { docker, image, PREFIX, removeAll, stateOf, waitForHealth } from './docker.js'

/**
 * The image's HEALTHCHECK, with its probe as built: healthy while the peer
 * is alive and serving (it answers on its control socket), whatever its
 * ring state; whether it can take writes is `chordkv health` and the probe
 * without --live (Kubernetes' readiness). Only the timing is shortened
 * (--health-*), so the test does not wait out the 30 s start period and
 * 10 s interval.
 */

const FAST_HEALTH = ['--health-interval', '1s', '--health-retries', '1', '--health-start-period', '1s', '--health-timeout', '5s']
const ALONE = /^unhealthy \(joined\): only 1 of the 2 replicas a write needs is reachable \(the peer is alone on its ring\)/

describe('the image HEALTHCHECK', () => {
  const group = `${PREFIX}-health-`
  const network = `${group}net`
  const [founder, second] = [`${group}1`, `${group}2`]

  /** `chordkv health` in a container: its exit status and what it printed. */
  async function writable (name: string): Promise<{ code: number | null, out: string }> {
    const health = await docker(['exec', name, 'chordkv', 'health'], { allowFailure: true })
    return { code: health.code, out: health.out.trim() }
  }

  before(async () => {
    await removeAll(group)
    await docker(['network', 'create', network])
  })

  after(async () => {
    await removeAll(group)
  })

  test('the image probes liveness with the lightweight script, not the CLI', async () => {
    const test = JSON.parse((await docker(['image', 'inspect', '--format', '{{json .Config.Healthcheck.Test}}', image()])).out) as string[]
    assert.deepEqual(test, ['CMD', 'node', '/app/dist/src/cli/health-probe.js', '--live'])
  })

  test('a lone founder is healthy (alive) but cannot take writes, as chordkv health and the readiness probe say; with a second peer both take writes', async () => {
    await docker(['run', '-d', '--name', founder, '--network', network, ...FAST_HEALTH,
      '-e', `CHORDKV_ANNOUNCE=/dns4/${founder}/tcp/4001`, image()])
    await waitForHealth([founder], 'healthy', 60_000, /^alive \(joined\), not taking writes: only 1 of the 2 replicas a write needs is reachable \(the peer is alone on its ring\)$/)
    const health = await writable(founder)
    assert.equal(health.code, 1)
    assert.match(health.out, ALONE)
    const readiness = await docker(['exec', founder, 'node', '/app/dist/src/cli/health-probe.js'], { allowFailure: true })
    assert.equal(readiness.code, 1)
    assert.match(readiness.out, ALONE)
    const refused = await docker(['exec', founder, 'chordkv', 'put', 'early', 'x'], { allowFailure: true })
    assert.equal(refused.code, 1, 'a put is refused while the peer cannot take writes')
    assert.match(refused.err, /QUORUM/)

    await docker(['run', '-d', '--name', second, '--network', network, ...FAST_HEALTH,
      '-e', `CHORDKV_ANNOUNCE=/dns4/${second}/tcp/4001`, '-e', `CHORDKV_BOOTSTRAP=/dns4/${founder}/tcp/4001`, image()])
    let last: Array<{ code: number | null, out: string }> = []
    await waitFor(async () => {
      last = await Promise.all([founder, second].map(writable))
      return last.every(h => h.code === 0)
    }, 60_000, () => `chordkv health: ${JSON.stringify(last)}`, 500)
    // Writable means writable: the first put after chordkv health passes needs no retry.
    for (const [name, key] of [[founder, 'first'], [second, 'second']] as const) {
      assert.equal((await docker(['exec', name, 'chordkv', 'put', key, 'x'])).out, 'stored on 2 replicas\n')
    }
    await waitForHealth([founder, second], 'healthy', 60_000, /^alive \(joined\)$/)
  })

  test('a peer that stops answering (SIGSTOP) turns unhealthy; SIGCONT makes it healthy again', async () => {
    // The engine signals the container's process 1 (node: bin/chordkv execs it) from outside its namespace.
    await docker(['kill', '--signal', 'SIGSTOP', second])
    try {
      await waitForHealth([second], 'unhealthy', 60_000, /did not answer within 4000 ms/)
    } finally {
      await docker(['kill', '--signal', 'SIGCONT', second])
    }
    await waitForHealth([second], 'healthy', 60_000)
    assert.equal((await stateOf(second)).running, true)
  })
})
