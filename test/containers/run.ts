import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { skipUnlessAvailable } from '../utils/required.js'
import { build, buildStageImages, docker, engineProblem, PREFIX, removeAll, ROOT } from './docker.js'
import { leaveSwarmCreated } from './swarm.js'

/**
 * `npm run test:containers`: builds the image from the working tree, runs
 * every test/containers/*.container.ts against it with Node's test runner,
 * then removes whatever the run created (names start with
 * ckvtest-<this pid>-, the build stage's untagged images, and a swarm the
 * Swarm tests initialised and could not leave), also when a test failed or
 * was interrupted.
 *
 * Without a Docker engine it prints one line and exits 0, except where
 * the tests must run (test/utils/required.ts): in CI, where .ci/run has
 * set one up, and on a machine with a Docker socket, whose engine should
 * answer. There its absence is a failure.
 * CHORDKV_TEST_IMAGE=<tag> tests an existing image instead of building one
 * (and leaves it in place); CHORDKV_CONTAINER_TESTS=ring,swarm runs only
 * the files whose names contain one of these.
 */

const problem = await engineProblem()
if (problem !== undefined) {
  // A socket means an engine is set up here (DOCKER_HOST names another).
  const offered = existsSync('/var/run/docker.sock') || (process.env.DOCKER_HOST ?? '') !== ''
  try {
    skipUnlessAvailable('container tests (a Docker engine)', problem, offered)
  } catch (err) {
    process.stderr.write(`${(err as Error).message}; .ci/run starts one with .ci/docker-engine.sh\n`)
    process.exit(1)
  }
  process.stdout.write(`container tests skipped: no Docker engine answers (${problem}); "bash .ci/docker-engine.sh" sets one up\n`)
  process.exit(0)
}

/** The whole container suite takes 8–10 min; three times that is a hang. */
const RUN_LIMIT_MS = 30 * 60_000

const given = process.env.CHORDKV_TEST_IMAGE
const image = given !== undefined && given !== '' ? given : `${PREFIX}-chordkv:test`
let status = 1
// Build-stage images that exist now are someone else's (or a cache to keep).
const stagesBefore = new Set(await buildStageImages())
// Interrupted, the tests get the signal too; the sweep below still runs.
const onSignal = (): void => { status = 130 }
process.on('SIGINT', onSignal)
process.on('SIGTERM', onSignal)
try {
  if (image !== given) {
    const seconds = await build(image, ROOT)
    const { out: bytes } = await docker(['image', 'inspect', '--format', '{{.Size}}', image])
    process.stdout.write(`# built ${image} from ${ROOT} in ${seconds.toFixed(1)} s (${(Number(bytes) / 2 ** 20).toFixed(0)} MiB)\n`)
  }
  const here = fileURLToPath(new URL('.', import.meta.url))
  const only = (process.env.CHORDKV_CONTAINER_TESTS ?? '').split(',').filter(Boolean)
  const files = (await readdir(here)).filter(f => f.endsWith('.container.js') && (only.length === 0 || only.some(o => f.includes(o)))).sort().map(f => `${here}${f}`)
  const child = spawn(process.execPath, ['--test', '--test-concurrency=1', ...files], {
    stdio: 'inherit',
    env: { ...process.env, CHORDKV_TEST_PREFIX: PREFIX, CHORDKV_TEST_IMAGE: image }
  })
  // A test that hangs (a child process or timer it left running) would hold CI until its own limit: end it here instead.
  let overran = false
  const deadline = setTimeout(() => {
    overran = true
    process.stderr.write(`# the container tests ran over ${RUN_LIMIT_MS / 60_000} min; ending them\n`)
    child.kill('SIGTERM')
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref()
  }, RUN_LIMIT_MS)
  const [code] = await once(child, 'exit') as [number | null]
  clearTimeout(deadline)
  if (status !== 130) status = overran ? 1 : code ?? 1
} finally {
  const removed = await removeAll(`${PREFIX}-`, { images: image !== given })
  const stages = (await buildStageImages()).filter(id => !stagesBefore.has(id))
  if (stages.length > 0) await docker(['rmi', ...stages], { allowFailure: true })
  process.stdout.write(`# removed ${removed} services, containers, networks, volumes and images named ${PREFIX}-… (the tests' leftovers and the image under test) and ${stages.length} build-stage images of this run\n`)
  if (await leaveSwarmCreated()) process.stdout.write('# left the swarm the Swarm tests had initialised\n')
}
process.exit(status)
