import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { RING, minute, second } from '../../src/defaults.js'
import { PassiveList } from '../../src/node/passive-list.js'
import { FakeClock } from '../utils/sim-network.js'
import type { NodeRef } from '../../src/ring/node-ref.js'

const node = (peer: string): NodeRef => ({ peer, id: BigInt(peer.length) })

/** A list with the production back-off and no jitter. */
function list (clock: FakeClock): PassiveList {
  return new PassiveList(clock, { ...RING.passive, jitter: 0 })
}

/** Probes `peer` whenever it is due, never answered, for `ms`; returns when each probe went out. */
async function probeSilently (clock: FakeClock, passive: PassiveList, ms: number, onProbe?: () => void): Promise<number[]> {
  const probes: number[] = []
  const end = clock.now() + ms
  while (clock.now() < end) {
    for (const entry of passive.due(2)) {
      probes.push(clock.now())
      passive.unanswered(entry.node.peer)
      onProbe?.()
    }
    await clock.advance(1000)
  }
  return probes
}

const gaps = (at: readonly number[]): number[] => at.slice(1).map((t, i) => t - (at[i] as number))

describe('passive list back-off', () => {
  it('a silent failed peer is probed every maxMs while within patienceMs, then ever more rarely up to slowMaxMs', async () => {
    const clock = new FakeClock()
    const passive = list(clock)
    passive.add(node('dead'), 'failed')
    const probes = await probeSilently(clock, passive, 60 * minute)
    const early = gaps(probes.filter(t => t < RING.passive.patienceMs))
    assert.deepEqual(early.slice(0, 4), [2 * second, 4 * second, 8 * second, 15 * second])
    assert.ok(early.slice(3).every(g => g === RING.passive.maxMs), `within patience, probes stay ${RING.passive.maxMs} ms apart: ${early.join(', ')}`)
    const late = gaps(probes).slice(early.length)
    assert.ok(late.every((g, i) => i === 0 || g >= (late[i - 1] as number)), `past patience the waits only grow: ${late.join(', ')}`)
    assert.ok(late.some(g => g > RING.passive.maxMs), 'past patience the waits grow beyond maxMs')
    assert.equal(Math.max(...late), RING.passive.slowMaxMs)
    // Over an hour: the first two minutes' probes, then a handful.
    assert.ok(probes.length < early.length + 12, `${probes.length} probes in an hour`)
  })

  it('a failure reported again while its probes go unanswered keeps the back-off', async () => {
    const clock = new FakeClock()
    const passive = list(clock)
    passive.add(node('dead'), 'failed')
    // Every probe finds it dead, and so does the ring's traffic, which reports it again.
    const probes = await probeSilently(clock, passive, 30 * minute, () => { passive.add(node('dead'), 'failed') })
    assert.ok(Math.max(...gaps(probes)) > RING.passive.maxMs, 'reported failures did not reset the wait')
  })

  it('known peers (bootstrap entries, remembered members) keep the short back-off, and an answer resets a failed one', async () => {
    const clock = new FakeClock()
    const passive = list(clock)
    passive.add(node('bootstrap'), 'known')
    const probes = await probeSilently(clock, passive, 30 * minute)
    assert.equal(Math.max(...gaps(probes)), RING.passive.maxMs)

    passive.add(node('cut-off'), 'failed')
    await probeSilently(clock, passive, 20 * minute)
    passive.answered('cut-off')
    passive.unanswered('cut-off')
    const entry = passive.list().find(e => e.node.peer === 'cut-off')
    assert.equal(entry?.nextProbeAt, clock.now() + 2 * RING.passive.initialMs, 'an answer starts the back-off again')
  })

  it('an entry silent for forgetMs is forgotten', async () => {
    const clock = new FakeClock()
    const passive = list(clock)
    passive.add(node('dead'), 'failed')
    await clock.advance(RING.passive.forgetMs)
    assert.equal(passive.due(2).length, 1)
    await clock.advance(1)
    assert.equal(passive.due(2).length, 0)
    assert.equal(passive.size, 0)
  })
})
