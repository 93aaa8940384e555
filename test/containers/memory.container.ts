import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { chown, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { ControlClient } from '../../src/control/client.js'
import { docker, image, PEER_UID, PREFIX, removeAll, stateOf, waitForRing } from './docker.js'

/**
 * A peer in a container with a memory limit takes its budget from the
 * limit (memory-budget.ts): under a flood of 1 MiB values it answers BUSY
 * rather than grow, is not killed, and serves again afterwards. The flood
 * comes from this process through the peer's socket on a bind mount.
 */

/** The container's limit, as an operator sets it. */
const LIMIT = '160m'
/** Puts of 1 MiB values, 64 of them in flight at once: far more than the budget lets in. */
const FLOOD = { puts: 96, connections: 8, inFlight: 8 }

describe('a peer under a container memory limit', () => {
  const group = `${PREFIX}-memory-`
  const network = `${group}net`
  const names = [1, 2, 3].map(i => `${group}${i}`)
  let dataDir: string

  before(async () => {
    await removeAll(group)
    dataDir = await mkdtemp(join(tmpdir(), `${group}data-`))
    await chown(dataDir, PEER_UID, PEER_UID)
    await docker(['network', 'create', network])
    const [limited, ...others] = names as [string, ...string[]]
    await docker(['run', '-d', '--name', limited, '--network', network, '--memory', LIMIT, '--memory-swap', LIMIT,
      '-v', `${dataDir}:/data`, '-e', `CHORDKV_ANNOUNCE=/dns4/${limited}/tcp/4001`, image()])
    for (const name of others) {
      await docker(['run', '-d', '--name', name, '--network', network, '-e', `CHORDKV_ANNOUNCE=/dns4/${name}/tcp/4001`, '-e', `CHORDKV_BOOTSTRAP=/dns4/${limited}/tcp/4001`, image()])
    }
    await waitForRing(names, 90_000)
  })

  after(async () => {
    await removeAll(group)
    await rm(dataDir, { recursive: true, force: true })
  })

  test(`with --memory ${LIMIT} it sizes its heap from the limit, answers a flood of 1 MiB values BUSY, is not killed, and serves again`, async () => {
    const limited = names[0] as string
    const cmdline = (await docker(['exec', limited, 'cat', '/proc/1/cmdline'])).out.split('\0')
    assert.ok(cmdline.includes('--max-old-space-size=64'), `the heap follows the limit: ${cmdline.join(' ')}`)

    const outcomes: Record<string, number> = {}
    let next = 0
    await Promise.all(Array.from({ length: FLOOD.connections }, async () => {
      const client = await ControlClient.connect(join(dataDir, 'chordkv.sock'))
      try {
        await Promise.all(Array.from({ length: FLOOD.inFlight }, async () => {
          while (next < FLOOD.puts) {
            const i = next++
            const reply = await client.request({ op: 'put', encoding: 'base64', key: Buffer.from(`flood-${i}`).toString('base64'), value: randomBytes(1 << 20).toString('base64') })
            const outcome = reply.ok === true ? 'ok' : (reply.error as { code: string }).code
            outcomes[outcome] = (outcomes[outcome] ?? 0) + 1
          }
        }))
      } finally {
        client.close()
      }
    }))
    console.log(`flood of ${FLOOD.puts} × 1 MiB: ${JSON.stringify(outcomes)}`)
    assert.ok((outcomes.BUSY ?? 0) > 0, `past its budget the peer answers BUSY: ${JSON.stringify(outcomes)}`)
    assert.ok((outcomes.ok ?? 0) > 0, `and stores what fits: ${JSON.stringify(outcomes)}`)

    const [inspected] = JSON.parse((await docker(['inspect', limited])).out) as Array<{ State: { OOMKilled: boolean }, RestartCount: number }>
    assert.equal(inspected?.State.OOMKilled, false, 'the kernel did not kill it')
    assert.equal((await stateOf(limited)).running, true)
    assert.equal(inspected?.RestartCount, 0)
    assert.equal((await docker(['exec', limited, 'chordkv', 'put', 'after-the-flood', 'served'])).code, 0)
    assert.equal((await docker(['exec', limited, 'chordkv', 'get', 'after-the-flood'])).out, 'served')
  })
})
