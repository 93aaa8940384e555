import assert from 'node:assert/strict'
import { rm, rmdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { leftovers, PEER_UID, PREFIX, removeAll, ROOT, statusInside, waitForRing } from './docker.js'
import { buildAs, readmeBlocks, runBlock } from './readme.js'

/**
 * README.md's "Running in containers" with plain docker, block by block as
 * written, in the repository. Only names change: chordkv-N (containers,
 * volumes, data/chordkv-N), the network chordkv and the image chordkv get
 * this run's prefix, so the blocks never touch a user's own.
 */

const BLOCK_MS = 150_000
const RING_MS = 60_000

describe('the README\'s docker commands, run as written', () => {
  const group = `${PREFIX}-readme-`
  const name = (i: number): string => `${group}chordkv-${i}`
  const names = (n: number): string[] => Array.from({ length: n }, (_, i) => name(i + 1))
  let blocks: string[] = []
  const bindDir = join(ROOT, 'data', name(5))

  /** The block with this run's names; every "chordkv" left is the command run inside a container. */
  function localise (script: string): string {
    const mapped = buildAs(script, `${group}image`)
      .replace(/chordkv-(?=[0-9$])/g, `${group}chordkv-`)
      .replace(/(--network|network create|network rm) chordkv\b(?!-)/g, `$1 ${group}net`)
      .replace(/ chordkv$/gm, ` ${group}image`)
    const stray = mapped.replace(new RegExp(`${group}[\\w$-]*`, 'g'), '').match(/\bchordkv\b(?! (health|put|get|status)\b|\.sock)/g)
    assert.equal(stray, null, `a name in this README block is not mapped:\n${script}`)
    return mapped
  }

  async function run (i: number): Promise<string> {
    return (await runBlock(localise(blocks[i] as string), { timeoutMs: BLOCK_MS })).out
  }

  before(async () => {
    await removeAll(group)
    blocks = await readmeBlocks('test/containers/readme.container.ts')
    assert.equal(blocks.length, 5, 'start, scale up, bind mount, rolling restart, remove')
  })

  after(async () => {
    await removeAll(group, { images: true })
    await rm(bindDir, { recursive: true, force: true })
    await rmdir(join(ROOT, 'data')).catch(() => {})   // only if empty: it may be a reader's own
  })

  test('three peers on a network: wait until they can take writes, then put and get', async () => {
    const out = await run(0)
    // W = 2 replicas acknowledge; the third normally too (README, Guarantees).
    assert.match(out, /^stored on [23] replicas\nworld$/m)
    await waitForRing(names(3), RING_MS)
  })

  test('scaling up: a fourth peer joins through the first', async () => {
    await run(1)
    await waitForRing(names(4), RING_MS)
  })

  test('a bind-mounted /data owned by uid 1000, its control socket reached from the host', async () => {
    const out = await run(2)
    assert.match(out, /world$/)
    const identity = await stat(join(bindDir, 'identity.key'))
    assert.deepEqual([identity.uid, identity.mode & 0o777], [PEER_UID, 0o600])
    await waitForRing(names(5), RING_MS)
  })

  test('a rolling restart, one peer at a time, keeps every peer\'s identity and the data', async () => {
    const before = await Promise.all(names(5).map(statusInside))
    const out = await run(3)
    assert.match(out, /world$/)
    const after = await waitForRing(names(5), RING_MS)
    assert.deepEqual(after.map(s => s.peerId), before.map(s => s.peerId))
  })

  test('removing it all leaves nothing behind', async () => {
    await run(4)
    const left = await leftovers(group)
    assert.deepEqual([left.containers, left.networks, left.volumes], [[], [], []])
    await assert.rejects(stat(bindDir), { code: 'ENOENT' })
  })
})
