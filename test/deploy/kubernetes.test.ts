import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { before, describe, test } from 'node:test'
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget'
import { Service } from 'kubernetes-models/v1/Service'
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet'
import { defaultConfig } from '../../src/config.js'
import { loadManifest, peerContainer, podEnvironment, swarmKeyMount, type Manifest } from './manifest.js'

/**
 * deploy/kubernetes/chordkv.yaml without a cluster: every document against
 * the Kubernetes API's schemas (kubernetes-models: types, enums, required
 * fields, formats) and its TypeScript types (which, unlike the schemas,
 * refuse unknown fields), then what makes it run chordkv: the pieces refer
 * to each other, and agree with the image and the replication settings.
 * test/containers/kubernetes.container.ts runs its pod template in Docker.
 */

const DOCKERFILE = fileURLToPath(new URL('../../../Dockerfile', import.meta.url))
const TSC = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url))

/** The image's HEALTHCHECK command and ENV, read from the Dockerfile. */
async function imageFacts (): Promise<{ healthcheck: string[], env: Map<string, string> }> {
  const dockerfile = (await readFile(DOCKERFILE, 'utf8')).replace(/\\\n\s*/g, ' ')
  const healthcheck = /^HEALTHCHECK .* CMD (\[.*\])$/m.exec(dockerfile)?.[1]
  assert.ok(healthcheck !== undefined, 'the Dockerfile has a HEALTHCHECK in exec form')
  const env = new Map<string, string>()
  for (const line of dockerfile.matchAll(/^ENV (.*)$/gm)) {
    for (const pair of (line[1] as string).matchAll(/(\w+)=(\S+)/g)) env.set(pair[1] as string, pair[2] as string)
  }
  return { healthcheck: JSON.parse(healthcheck) as string[], env }
}

describe('the Kubernetes manifest', () => {
  let manifest: Manifest

  before(async () => { manifest = await loadManifest() })

  test('holds a Service, a StatefulSet and a PodDisruptionBudget, each valid against the API schema', () => {
    assert.deepEqual(manifest.documents.map(d => `${String(d.apiVersion)}/${String(d.kind)}`), ['v1/Service', 'apps/v1/StatefulSet', 'policy/v1/PodDisruptionBudget'])
    new Service(manifest.service).validate()
    new StatefulSet(manifest.statefulSet).validate()
    new PodDisruptionBudget(manifest.budget).validate()
  })

  test('the schema check catches a wrong type or value (so a pass means something)', () => {
    const broken = structuredClone(manifest.statefulSet) as { spec: { podManagementPolicy: string, replicas: unknown } }
    broken.spec.podManagementPolicy = 'AllAtOnce'
    assert.throws(() => { new StatefulSet(broken as never).validate() }, /podManagementPolicy must be equal to one of the allowed values/)
    broken.spec.podManagementPolicy = 'Parallel'
    broken.spec.replicas = '5'
    assert.throws(() => { new StatefulSet(broken as never).validate() }, /replicas must be integer/)
  })

  test('every field is one the API knows (type-checked against the API\'s TypeScript types)', async () => {
    const typed = async (documents: ReadonlyArray<Record<string, unknown>>): Promise<{ code: number | null, out: string }> => {
      const file = fileURLToPath(new URL(`./typed-manifest-${process.pid}.ts`, import.meta.url))
      const types: Record<string, [string, string]> = {
        Service: ['IService', 'kubernetes-models/v1/Service'],
        StatefulSet: ['IStatefulSet', 'kubernetes-models/apps/v1/StatefulSet'],
        PodDisruptionBudget: ['IPodDisruptionBudget', 'kubernetes-models/policy/v1/PodDisruptionBudget']
      }
      const source = [
        ...Object.values(types).map(([name, from]) => `import type { ${name} } from '${from}'`),
        ...documents.map((d, i) => `export const doc${i}: ${(types[String(d.kind)] as [string, string])[0]} = ${JSON.stringify(d, null, 2)}`)
      ].join('\n')
      await writeFile(file, source)
      try {
        const child = spawn(process.execPath, [TSC, '--ignoreConfig', '--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2023', '--types', 'node', file], { stdio: ['ignore', 'pipe', 'pipe'] })
        const chunks: Buffer[] = []
        child.stdout.on('data', (c: Buffer) => { chunks.push(c) })
        child.stderr.on('data', (c: Buffer) => { chunks.push(c) })
        const [code] = await once(child, 'close') as [number | null]
        return { code, out: Buffer.concat(chunks).toString('utf8') }
      } finally {
        await rm(file, { force: true })
      }
    }
    const checked = await typed(manifest.documents)
    assert.equal(checked.code, 0, checked.out)
    // A misspelt field is refused.
    const misspelt = structuredClone(manifest.documents) as Array<{ spec?: { template?: { spec: { containers: Array<Record<string, unknown>> } } } }>
    const container = misspelt[1]?.spec?.template?.spec.containers[0] as Record<string, unknown>
    container.readinesProbe = container.readinessProbe
    delete container.readinessProbe
    const refused = await typed(misspelt as Array<Record<string, unknown>>)
    assert.notEqual(refused.code, 0, refused.out)
    assert.match(refused.out, /'"readinesProbe"' does not exist in type/)
  })

  test('the headless Service, the StatefulSet and the budget select the same pods', () => {
    const { service, statefulSet, budget } = manifest
    const labels = statefulSet.spec?.template.metadata?.labels ?? {}
    const matches = (selector: Record<string, string> | undefined): boolean =>
      selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v)
    assert.equal(service.spec?.clusterIP, 'None', 'headless: one DNS name per pod')
    assert.equal(statefulSet.spec?.serviceName, service.metadata?.name)
    assert.ok(matches(service.spec?.selector), 'the Service selects the pods')
    assert.ok(matches(statefulSet.spec?.selector.matchLabels), 'the StatefulSet selects its pods')
    assert.ok(matches(budget.spec?.selector?.matchLabels), 'the budget selects the pods')
  })

  test('the pods can find each other before they are ready, and start together', () => {
    // Ready means "can take writes", which needs other peers: their names
    // must resolve before, and pod 1 must not wait for pod 0 to be ready.
    assert.equal(manifest.service.spec?.publishNotReadyAddresses, true)
    assert.equal(manifest.statefulSet.spec?.podManagementPolicy, 'Parallel')
  })

  test('each pod announces its stable DNS name and bootstraps through the headless Service\'s name, which lists every pod', () => {
    const service = manifest.service.metadata?.name as string
    const replicas = manifest.statefulSet.spec?.replicas ?? 1
    const port = peerContainer(manifest).ports?.find(p => p.name === 'libp2p')?.containerPort
    const dns = (host: string): string => `/dns4/${host}.prod.svc.cluster.local/tcp/${port}`
    for (let i = 0; i < replicas; i++) {
      const env = podEnvironment(manifest, { name: `chordkv-${i}`, namespace: 'prod' })
      assert.equal(env.get('CHORDKV_ANNOUNCE'), dns(`chordkv-${i}.${service}`))
      // As Swarm's tasks.<service> in deploy/swarm/stack.yaml: one name, every peer.
      assert.equal(env.get('CHORDKV_BOOTSTRAP'), dns(service))
    }
    assert.equal(manifest.statefulSet.metadata?.name, 'chordkv', 'pods are named chordkv-N')
  })

  test('the pod uses the image as built: its port, its data directory, its user, its health check for liveness and the same probe without --live for readiness', async () => {
    const { healthcheck, env } = await imageFacts()
    const container = peerContainer(manifest)
    const pod = manifest.statefulSet.spec?.template.spec
    assert.deepEqual(container.livenessProbe?.exec?.command, healthcheck, 'liveness is the image\'s "alive and serving"')
    assert.equal(healthcheck.at(-1), '--live')
    assert.deepEqual(container.readinessProbe?.exec?.command, healthcheck.slice(0, -1), 'readiness is "can take writes"')
    assert.equal(`/ip4/0.0.0.0/tcp/${container.ports?.[0]?.containerPort}`, env.get('CHORDKV_LISTEN'))
    assert.equal(manifest.service.spec?.ports?.[0]?.targetPort, container.ports?.[0]?.name)
    const mount = container.volumeMounts?.find(m => m.mountPath === env.get('CHORDKV_DATA_DIR'))
    assert.ok(mount !== undefined, 'the data directory is a volume')
    assert.ok(manifest.statefulSet.spec?.volumeClaimTemplates?.some(c => c.metadata?.name === mount.name), 'from a PersistentVolumeClaim per pod')
    assert.deepEqual([pod?.securityContext?.runAsUser, pod?.securityContext?.fsGroup], [1000, 1000])
  })

  test('the ring is private: every pod reads the swarm key, read-only, from a Secret only its user can read', () => {
    const key = swarmKeyMount(manifest)
    assert.ok(key !== undefined, 'CHORDKV_SWARM_KEY is set')
    assert.equal(key.secret, 'chordkv-swarm-key')
    assert.equal(key.item, 'swarm.key', 'the file name kubectl create secret generic --from-file=swarm.key=… gives it')
    assert.ok(key.readOnly)
    // Owner and group (fsGroup 1000) read; others nothing.
    assert.equal(key.mode, 0o440)
  })

  test('termination leaves time for the graceful leave; the budget stays within k−1', () => {
    const k = defaultConfig().replication.factor
    assert.ok((manifest.statefulSet.spec?.template.spec?.terminationGracePeriodSeconds ?? 30) >= 30)
    const maxUnavailable = manifest.budget.spec?.maxUnavailable
    assert.equal(typeof maxUnavailable, 'number')
    assert.ok((maxUnavailable as number) >= 1 && (maxUnavailable as number) <= k - 1, `maxUnavailable ${maxUnavailable}, k = ${k}`)
  })
})
