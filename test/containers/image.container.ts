import assert from 'node:assert/strict'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { build, docker, image, PEER_UID, PREFIX, removeAll, ROOT } from './docker.js'

/** The image itself: what goes into it, whom it runs as, and a data directory it cannot write. */
describe('the image', () => {
  const group = `${PREFIX}-image-`
  let dir: string

  before(async () => {
    await removeAll(group)
    dir = await mkdtemp(join(tmpdir(), group))
  })

  after(async () => {
    await removeAll(group, { images: true })
    await rm(dir, { recursive: true, force: true })
  })

  test('the build context holds only what the build uses: no node_modules, dist, .git or data directories', async () => {
    // The same context as the real build, copied whole into an image and listed.
    const tag = `${group}context:test`
    await build(tag, ROOT, { dockerfile: `FROM ${image()}\nCOPY . /tmp/context\n` })
    const listed = await docker(['run', '--rm', '--entrypoint', 'ls', tag, '-A', '/tmp/context'])
    assert.deepEqual(listed.out.split('\n').filter(Boolean).sort(), ['bin', 'bundle.mjs', 'config', 'package-lock.json', 'package.json', 'src', 'tsconfig.build.json', 'tsconfig.json'])
  })

  test('it runs as uid 1000 with /data its own, and ships the health probe', async () => {
    const out = await docker(['run', '--rm', '--entrypoint', 'sh', image(), '-c', 'id -u; stat -c %u /data; test -f /app/dist/src/cli/health-probe.js && echo probe'])
    assert.equal(out.out, `${PEER_UID}\n${PEER_UID}\nprobe\n`)
  })

  test('a root-owned bind mount on /data stops the peer at start, saying why', async () => {
    await chmod(dir, 0o755)   // as mkdir leaves it
    const run = await docker(['run', '--name', `${group}1`, '-v', `${dir}:/data`, image()], { allowFailure: true })
    assert.equal(run.code, 1)
    assert.match(run.err, /^chordkv: cannot write \/data\/chordkv\.pid: EACCES: permission denied/m)
  })
})
