import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RemoteError, UnreachableError } from '../../src/errors.js'
import { leaveRing, NoSuccessorError, type LeaveSteps } from '../../src/maintenance/leave.js'
import { ref } from '../utils/ring-fixtures.js'
import type { NodeRef } from '../../src/ring/node-ref.js'

/** Leave steps that record what happens, in order; `down` peers fail as unreachable. */
function steps (over: Partial<LeaveSteps> = {}, down: readonly number[] = []): { steps: LeaveSteps, log: string[] } {
  const log: string[] = []
  const reach = (to: NodeRef): void => { if (down.includes(Number(to.id))) throw new UnreachableError(`${to.peer} is down`) }
  return {
    log,
    steps: {
      joined: true,
      predecessor: ref(10),
      successors: [ref(30), ref(40)],
      handOff: async (to, remove) => { reach(to); log.push(`${remove ? 'move' : 'copy'} ${to.id}`); return remove ? 1 : 5 },
      tell: async (to, notice) => {
        reach(to)
        log.push(`tell ${to.id}: ${notice.predecessor !== undefined ? `predecessor ${notice.predecessor.id}` : `successor ${notice.successor?.id}`}`)
      },
      hasLeft: () => false,
      stopServing: () => { log.push('stop serving') },
      stop: () => { log.push('stop') },
      left: (copied, moved, to) => { log.push(`left: ${copied} copied, ${moved} moved to ${to.id}`) },
      skipped: to => { log.push(`skipped ${to.id}`) },
      ...over
    }
  }
}

test('a leave copies, tells the successor then the predecessor, stops serving, then moves what changed meanwhile', async () => {
  const { steps: s, log } = steps()
  await leaveRing(s)
  assert.deepEqual(log, ['copy 30', 'tell 30: predecessor 10', 'tell 10: successor 30', 'stop serving', 'move 30', 'left: 5 copied, 1 moved to 30', 'stop'])
})

test('an unreachable successor is skipped for the next; a predecessor that does not answer does not stop the leave', async () => {
  const { steps: s, log } = steps({}, [30, 10])
  await leaveRing(s)
  assert.deepEqual(log, ['skipped 30', 'copy 40', 'tell 40: predecessor 10', 'stop serving', 'move 40', 'left: 5 copied, 1 moved to 40', 'stop'])
})

test('when no successor answers the leave fails, and the peer keeps serving and keeps its records', async () => {
  const { steps: s, log } = steps({}, [30, 40])
  await assert.rejects(leaveRing(s), (err: unknown) => err instanceof NoSuccessorError && err.leaving === 0 && /no successor could take over this peer's keys \(2 out of reach, 0 leaving too\)/.test(err.message))
  assert.deepEqual(log, ['skipped 30', 'skipped 40'])
})

test('successors that are leaving too are skipped; when every one is, the leave says so by name', async () => {
  const { steps: s, log } = steps({ handOff: async to => { throw new RemoteError(to.id === 30n ? 'NOT_MEMBER' : 'NOT_READY', 'this peer is not a ring member') } })
  await assert.rejects(leaveRing(s), (err: unknown) => err instanceof NoSuccessorError && err.leaving === 2 && /every successor \(2\) is leaving the ring too/.test(err.message))
  assert.deepEqual(log, ['skipped 30', 'skipped 40'])
})

test('a successor leaving too is skipped for the next that takes the records', async () => {
  const { steps: base, log } = steps()
  const { steps: s } = steps({
    handOff: async (to, remove) => {
      if (to.id === 30n) throw new RemoteError('NOT_READY', 'this peer is leaving the ring')
      return base.handOff(to, remove)
    }
  })
  await leaveRing({ ...s, tell: base.tell, stopServing: base.stopServing, stop: base.stop, left: base.left, skipped: base.skipped })
  assert.deepEqual(log, ['skipped 30', 'copy 40', 'tell 40: predecessor 10', 'tell 10: successor 40', 'stop serving', 'move 40', 'left: 5 copied, 1 moved to 40', 'stop'])
})

test('a refusal that is not a failure of the peer ends the leave with that error', async () => {
  const { steps: s, log } = steps({ handOff: async () => { throw new RemoteError('BUSY', 'busy') } })
  await assert.rejects(leaveRing(s), { code: 'BUSY' })
  assert.deepEqual(log, [])
})

test('a peer alone, or not a member, only stops serving', async () => {
  for (const over of [{ successors: [] }, { joined: false }]) {
    const { steps: s, log } = steps(over)
    await leaveRing(s)
    assert.deepEqual(log, ['stop serving'])
  }
})

test('a successor that is also the predecessor (two peers) is told once', async () => {
  const { steps: s, log } = steps({ predecessor: ref(30), successors: [ref(30)] })
  await leaveRing(s)
  assert.deepEqual(log.filter(l => l.startsWith('tell')), ['tell 30: predecessor 30'])
})
