import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { command, composeCommand, leftovers, PREFIX, removeAll, ROOT, waitForRing as waitForServicesRing, type PeerStatus } from './docker.js'
import { buildAs, readmeBlocks, runBlock } from './readme.js'

/**
 * The shipped compose.yaml, brought up as README.md documents it, block by
 * block: one bootstrap list on every service, so the peers must skip their
 * own entry and one of them must found the ring. The project gets this
 * run's prefix (COMPOSE_PROJECT_NAME) and the image this run's tag
 * (CHORDKV_IMAGE); `docker compose` becomes `docker-compose` where only
 * Debian's Compose is installed.
 */

const BLOCK_MS = 300_000
const RING_MS = 120_000
const SERVICES = ['chordkv-1', 'chordkv-2', 'chordkv-3', 'chordkv-4', 'chordkv-5']

describe('compose.yaml, as the README brings it up', () => {
  const group = `${PREFIX}-compose-`
  const env = { COMPOSE_PROJECT_NAME: `${group}p`, CHORDKV_IMAGE: `${group}image` }
  let compose: readonly string[] = []
  let blocks: string[] = []
  /** Set once the first three services formed a ring: the later blocks build on it. */
  let formed = false

  function localise (script: string): string {
    return buildAs(script, env.CHORDKV_IMAGE).replaceAll('docker compose ', `${compose.join(' ')} `)
  }

  async function run (i: number): Promise<string> {
    return (await runBlock(localise(blocks[i] as string), { env, timeoutMs: BLOCK_MS })).out
  }

  async function statusOf (service: string): Promise<PeerStatus> {
    const [file, ...args] = compose as [string, ...string[]]
    return JSON.parse((await command(file, [...args, 'exec', '-T', service, 'chordkv', 'status', '--json'], { cwd: ROOT, env: { ...process.env, ...env } })).out) as PeerStatus
  }

  async function waitForRing (services: readonly string[]): Promise<PeerStatus[]> {
    return waitForServicesRing(services, RING_MS, statusOf)
  }

  before(async () => {
    await removeAll(group)
    compose = await composeCommand()
    blocks = await readmeBlocks('test/containers/compose.container.ts')
    assert.equal(blocks.length, 3, 'bring up; scale up and restart; take down')
  })

  after(async () => {
    await removeAll(group, { images: true })
  })

  test('three services with one bootstrap list form one ring and take a put once healthy', async () => {
    const out = await run(0)
    // W = 2 replicas acknowledge; the third normally too (README, Guarantees).
    assert.match(out, /^stored on [23] replicas\nworld$/m)
    await waitForRing(SERVICES.slice(0, 3))
    formed = true
    // chordkv-1 serves its metrics (the put above among them) to the others on the Compose network.
    const [file, ...args] = compose as [string, ...string[]]
    const scrape = 'fetch("http://chordkv-1:9464/metrics").then(r => r.text()).then(t => process.stdout.write(t))'
    const metrics = await command(file, [...args, 'exec', '-T', 'chordkv-2', 'node', '-e', scrape], { cwd: ROOT, env: { ...process.env, ...env } })
    assert.match(metrics.out, /^chordkv_operations_total\{kind="put",outcome="ok"\} 1$/m)
    // The services' containers carry the project's prefix.
    assert.equal((await leftovers(group)).containers.length, 3)
  })

  test('two more with --profile more join the ring; a rolling restart of all five keeps it and the data', async () => {
    assert.ok(formed, 'the first three services never formed a ring (see the test before)')
    const first = await Promise.all(SERVICES.slice(0, 3).map(statusOf))
    const out = await run(1)
    assert.match(out, /world$/)
    const after = await waitForRing(SERVICES)
    assert.deepEqual(after.slice(0, 3).map(s => s.peerId), first.map(s => s.peerId), 'restarted on their volumes, the peers keep their identities')
  })

  test('down -v removes every container, network and volume of the project', async () => {
    await run(2)
    const left = await leftovers(group)
    assert.deepEqual([left.containers, left.networks, left.volumes], [[], [], []])
  })
})
