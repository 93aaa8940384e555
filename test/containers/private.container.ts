import assert from 'node:assert/strict'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { waitFor } from '../utils/network.js'
import { command, composeCommand, docker, image, leftovers, logsOf, PREFIX, removeAll, ROOT, statusInside, waitForRing, type PeerStatus } from './docker.js'
import { readmeBlocks, runBlock } from './readme.js'

/**
 * compose.private.yaml, brought up as README.md documents it: the three
 * peers of compose.yaml holding one swarm key form a ring, and a peer
 * started on the same Compose network without the key can reach their
 * port but not connect: it founds a ring of its own, which they never
 * hear of. The key file is written where CHORDKV_SWARM_KEY_FILE points
 * (a directory of this run), not in the checkout.
 */

const BLOCK_MS = 180_000
const RING_MS = 60_000
const SERVICES = ['chordkv-1', 'chordkv-2', 'chordkv-3']

describe('compose.private.yaml, as the README brings it up', () => {
  const group = `${PREFIX}-private-`
  const project = `${group}p`
  let dir = ''
  let keyFile = ''
  let compose: readonly string[] = []
  let blocks: string[] = []
  let formed = false
  const env = (): NodeJS.ProcessEnv => ({
    ...process.env,
    COMPOSE_PROJECT_NAME: project,
    CHORDKV_IMAGE: `${group}image`,
    CHORDKV_SWARM_KEY_FILE: keyFile,
    COMPOSE_FILE: 'compose.yaml:compose.private.yaml'
  })

  async function composed (args: readonly string[]): Promise<string> {
    const [file, ...rest] = compose as [string, ...string[]]
    return (await command(file, [...rest, ...args], { cwd: ROOT, env: env() })).out
  }

  async function statusOf (service: string): Promise<PeerStatus> {
    return JSON.parse(await composed(['exec', '-T', service, 'chordkv', 'status', '--json'])) as PeerStatus
  }

  before(async () => {
    await removeAll(group)
    compose = await composeCommand()
    blocks = await readmeBlocks('test/containers/private.container.ts')
    assert.equal(blocks.length, 1, 'one block: key, bring up, put and get, the log line')
    dir = await mkdtemp(join(tmpdir(), group))
    keyFile = join(dir, 'swarm.key')
    // The reader built the image with compose.yaml's first block; this run's image stands in for it.
    await docker(['tag', image(), env().CHORDKV_IMAGE as string])
  })

  after(async () => {
    await removeAll(group, { images: true })
    if (dir !== '') await rm(dir, { recursive: true, force: true })
  })

  test('three services holding one key form a ring, take a put, and say the ring is private', async () => {
    const script = (blocks[0] as string)
      .replaceAll('./swarm.key', keyFile)
      .replaceAll('docker compose ', `${compose.join(' ')} `)
    assert.ok(script.includes(keyFile), 'the block writes the key file the compose file mounts')
    const out = (await runBlock(script, { env: env(), timeoutMs: BLOCK_MS })).out
    assert.match(out, /^stored on [23] replicas\nworld$/m)
    assert.match(out, /private ring: only peers holding the swarm key \/run\/secrets\/swarm-key can connect/)
    // The block wrote a key only its owner (uid 1000, the peers' user) can read.
    const written = await stat(keyFile)
    assert.deepEqual([written.mode & 0o777, written.uid], [0o600, 1000])
    await waitForRing(SERVICES, RING_MS, statusOf)
    formed = true
  })

  test('a peer on the same network without the key cannot connect to them: it founds alone, and their ring never hears of it', async () => {
    assert.ok(formed, 'the private ring never formed (see the test before)')
    const networks = (await docker(['network', 'ls', '--format', '{{.Name}}'])).out.split('\n').filter(n => n.startsWith(project))
    assert.equal(networks.length, 1, `the project's network: ${networks.join(', ')}`)
    const outsider = `${group}outsider`
    await docker(['run', '-d', '--name', outsider, '--network', networks[0] as string,
      '-e', 'CHORDKV_BOOTSTRAP=/dns4/chordkv-1/tcp/4001,/dns4/chordkv-2/tcp/4001',
      '-e', 'CHORDKV_FOUND_AFTER_MS=3000', image()])
    // It reaches their port (TCP), but no connection completes: so it founds a ring of its own.
    let log = ''
    await waitFor(async () => /^founded a new ring/m.test(log = await logsOf(outsider)), RING_MS, () => `the outsider never founded:\n${log}`, 500)
    assert.match(log, /^open ring: no swarm key/m)
    const alone = await statusInside(outsider)
    assert.ok(alone.successors.every(s => s.peerId === alone.peerId), `the outsider's successors: ${alone.successors.map(s => s.peerId).join(', ')}`)
    // Its ring stays apart: the passive list keeps probing the bootstrap
    // entries, and would merge the rings if a connection ever completed.
    const statuses = await Promise.all(SERVICES.map(statusOf))
    for (const s of statuses) {
      assert.ok(!s.successors.some(n => n.peerId === alone.peerId) && s.predecessor?.peerId !== alone.peerId, `${s.peerId} lists the outsider`)
    }
    const chordkv1 = await composed(['logs', 'chordkv-1'])
    assert.ok(!chordkv1.includes(alone.peerId), 'chordkv-1 never logged the outsider')
    assert.equal((await leftovers(group)).containers.length, 4)
  })
})
