import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { docker, image, PREFIX, removeAll, stateOf, waitForHealth } from './docker.js'

/**
 * The image's HEALTHCHECK, with its probe as built: healthy exactly when
 * the peer can take writes. Only the timing is shortened (--health-*), so
 * the test does not wait out the 30 s start period and 10 s interval.
 */

const FAST_HEALTH = ['--health-interval', '1s', '--health-retries', '1', '--health-start-period', '1s', '--health-timeout', '5s']

describe('the image HEALTHCHECK', () => {
  const group = `${PREFIX}-health-`
  const network = `${group}net`
  const [founder, second] = [`${group}1`, `${group}2`]

  before(async () => {
    await removeAll(group)
    await docker(['network', 'create', network])
  })

  after(async () => {
    await removeAll(group)
  })

  test('the image probes with the lightweight script, not the CLI', async () => {
    const test = JSON.parse((await docker(['image', 'inspect', '--format', '{{json .Config.Healthcheck.Test}}', image()])).out) as string[]
    assert.deepEqual(test, ['CMD', 'node', '/app/dist/src/cli/health-probe.js'])
  })

  test('a lone founder is unhealthy; with a second peer both are healthy and take a put at once; without it the founder is unhealthy again', async () => {
    await docker(['run', '-d', '--name', founder, '--network', network, ...FAST_HEALTH,
      '-e', `CHORDKV_ANNOUNCE=/dns4/${founder}/tcp/4001`, image()])
    // Before it has founded its ring a probe finds no socket or a joining peer; then it is alone.
    await waitForHealth([founder], 'unhealthy', 60_000, /^unhealthy \(joined\): only 1 of the 2 replicas a write needs is reachable \(the peer is alone on its ring\)$/)
    const refused = await docker(['exec', founder, 'chordkv', 'put', 'early', 'x'], { allowFailure: true })
    assert.equal(refused.code, 1, 'a put is refused while the peer is unhealthy')
    assert.match(refused.err, /QUORUM/)

    await docker(['run', '-d', '--name', second, '--network', network, ...FAST_HEALTH,
      '-e', `CHORDKV_ANNOUNCE=/dns4/${second}/tcp/4001`, '-e', `CHORDKV_BOOTSTRAP=/dns4/${founder}/tcp/4001`, image()])
    await waitForHealth([founder, second], 'healthy', 60_000)
    // Healthy means writable: the first put after the check passes needs no retry.
    for (const [name, key] of [[founder, 'first'], [second, 'second']] as const) {
      assert.equal((await docker(['exec', name, 'chordkv', 'put', key, 'x'])).out, 'stored on 2 replicas\n')
    }
    assert.equal((await stateOf(founder)).lastProbe, 'healthy (joined)')

    await docker(['kill', second])
    await waitForHealth([founder], 'unhealthy', 60_000, /^unhealthy \(joined\): only 1 of the 2 replicas a write needs is reachable/)
  })
})
