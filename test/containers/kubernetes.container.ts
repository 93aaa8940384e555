import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { chmod, chown, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadManifest, peerContainer, podEnvironment, swarmKeyMount, type Manifest } from '../deploy/manifest.js'
import { chordkv } from '../utils/cli.js'
import { waitFor } from '../utils/network.js'
import { docker, image, PREFIX, removeAll, waitForRing } from './docker.js'

/**
 * deploy/kubernetes/chordkv.yaml's pod template run in Docker, as far as
 * Docker can play Kubernetes: one container per pod with the pod's DNS name
 * (chordkv-N.chordkv.default.svc.cluster.local) and the headless Service's
 * (chordkv.default.svc.cluster.local, every pod's address) as network
 * aliases, the environment as the kubelet expands it, the pod's user, a
 * volume per pod for its claim, the swarm key Secret as a read-only
 * directory holding a new key (mode and group as the Secret volume gives
 * them), the container's args, and its readiness and liveness probes run
 * by docker exec. Not covered: the scheduler, the kubelet's own probing
 * and restarts, real PersistentVolumes, fsGroup, the budget.
 */

const NAMESPACE = 'default'
const READY_MS = 120_000

describe('the Kubernetes pod template, run in Docker', () => {
  const group = `${PREFIX}-k8s-`
  const network = `${group}net`
  let manifest: Manifest
  let pods: string[] = []
  /** The host directory standing in for the swarm key Secret's volume. */
  let secretDir: string | undefined
  const container = (pod: string): string => `${group}${pod}`

  /** Creates the pod's container as the kubelet would (without the scheduler). */
  async function startPod (pod: string): Promise<void> {
    const spec = manifest.statefulSet.spec?.template.spec
    const main = peerContainer(manifest)
    const service = manifest.service.metadata?.name as string
    const env = [...podEnvironment(manifest, { name: pod, namespace: NAMESPACE })].flatMap(([k, v]) => ['-e', `${k}=${v}`])
    const claim = manifest.statefulSet.spec?.volumeClaimTemplates?.[0]?.metadata?.name as string
    const mount = main.volumeMounts?.find(m => m.name === claim)?.mountPath as string
    const key = swarmKeyMount(manifest)
    const secret = key === undefined || secretDir === undefined ? [] : ['-v', `${secretDir}:${key.dir}:ro`]
    // The pod's own name, and the headless Service's name, which lists every pod.
    await docker(['run', '-d', '--name', container(pod), '--hostname', pod,
      '--network', network, '--network-alias', `${pod}.${service}.${NAMESPACE}.svc.cluster.local`,
      '--network-alias', `${service}.${NAMESPACE}.svc.cluster.local`,
      '--user', `${spec?.securityContext?.runAsUser}:${spec?.securityContext?.runAsGroup}`,
      '-v', `${group}${claim}-${pod}:${mount}`, ...secret, ...env, image(), ...(main.args ?? [])])
  }

  /** Runs a probe's command in the pod's container: undefined when it passes, else its output. */
  async function failing (pod: string, which: 'readinessProbe' | 'livenessProbe'): Promise<string | undefined> {
    const command = peerContainer(manifest)[which]?.exec?.command ?? []
    assert.ok(command.length > 0, `the ${which} runs a command`)
    const probe = await docker(['exec', container(pod), ...command], { allowFailure: true })
    return probe.code === 0 ? undefined : `${pod}: ${(probe.out + probe.err).trim()}`
  }

  async function waitUntilReady (names: readonly string[]): Promise<void> {
    let notReady: string[] = []
    await waitFor(async () => {
      notReady = (await Promise.all(names.map(async pod => failing(pod, 'readinessProbe')))).filter(p => p !== undefined)
      return notReady.length === 0
    }, READY_MS, () => `not ready:\n${notReady.join('\n')}`, 1000)
  }

  before(async () => {
    await removeAll(group)
    manifest = await loadManifest()
    pods = Array.from({ length: manifest.statefulSet.spec?.replicas ?? 1 }, (_, i) => `${manifest.statefulSet.metadata?.name}-${i}`)
    await docker(['network', 'create', network])
    // kubectl create secret generic … --from-file: a new key, as the Secret volume shows it (root-owned, group fsGroup).
    const key = swarmKeyMount(manifest)
    if (key !== undefined) {
      secretDir = await mkdtemp(join(tmpdir(), group))
      await chmod(secretDir, 0o755)
      const file = join(secretDir, key.item)
      const made = await chordkv(['swarm-key', file], { env: process.env })
      assert.equal(made.code, 0, made.stderr)
      await chmod(file, key.mode ?? 0o644)
      await chown(file, 0, manifest.statefulSet.spec?.template.spec?.securityContext?.fsGroup ?? 0)
    }
    // podManagementPolicy: Parallel, so all at once.
    for (const pod of pods) await startPod(pod)
  })

  after(async () => {
    await removeAll(group)
    if (secretDir !== undefined) await rm(secretDir, { recursive: true, force: true })
  })

  test('every pod becomes ready and they form one ring through the Service\'s name; a pod replaced as a rolling update does comes back ready in it', async () => {
    await waitUntilReady(pods)
    const statuses = await waitForRing(pods.map(container), 60_000)
    assert.equal(statuses.length, pods.length)
    assert.deepEqual(await Promise.all(pods.map(async pod => failing(pod, 'livenessProbe'))), pods.map(() => undefined), 'every pod is alive')
    // The ring they formed is private, keyed with the Secret's file.
    const key = swarmKeyMount(manifest)
    assert.ok(key !== undefined && secretDir !== undefined)
    assert.match((await docker(['logs', container(pods[1] as string)])).out, new RegExp(`^private ring: only peers holding the swarm key ${key.file} can connect$`, 'm'))
    assert.ok((await readFile(join(secretDir, key.item), 'utf8')).startsWith('/key/swarm/psk/1.0.0/'))

    // A rolling update: SIGTERM with the grace period, a new container on the same claim.
    const grace = manifest.statefulSet.spec?.template.spec?.terminationGracePeriodSeconds ?? 30
    const replaced = pods[0] as string
    await docker(['stop', '-t', String(grace), container(replaced)])
    await docker(['rm', container(replaced)])
    await startPod(replaced)
    await waitUntilReady([replaced])
    const after = await waitForRing(pods.map(container), 60_000)
    assert.equal(after[0]?.peerId, statuses[0]?.peerId, 'the new pod keeps the identity on its claim')
  })
})
