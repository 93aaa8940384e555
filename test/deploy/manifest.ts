import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { parseAllDocuments } from 'yaml'
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget'
import type { IService } from 'kubernetes-models/v1/Service'
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet'

/** deploy/kubernetes/chordkv.yaml, from dist/test/deploy/. */
export const MANIFEST = fileURLToPath(new URL('../../../deploy/kubernetes/chordkv.yaml', import.meta.url))

export interface Manifest {
  /** Every document, parsed, in file order. */
  readonly documents: ReadonlyArray<Record<string, unknown>>
  readonly service: IService
  readonly statefulSet: IStatefulSet
  readonly budget: IPodDisruptionBudget
}

type Container = NonNullable<NonNullable<IStatefulSet['spec']>['template']['spec']>['containers'][number]

/** Parses the manifest; throws on YAML errors and when a kind is missing or repeated. */
export async function loadManifest (): Promise<Manifest> {
  const parsed = parseAllDocuments(await readFile(MANIFEST, 'utf8'))
  if (!Array.isArray(parsed)) throw new Error('the manifest holds no documents')
  const problems = parsed.flatMap(d => [...d.errors, ...d.warnings].map(e => e.message))
  if (problems.length > 0) throw new Error(`YAML problems in ${MANIFEST}: ${problems.join('; ')}`)
  const documents = parsed.map(d => d.toJS() as Record<string, unknown> | null).filter(d => d !== null)
  const one = <T>(kind: string): T => {
    const found = documents.filter(d => d.kind === kind)
    if (found.length !== 1) throw new Error(`expected one ${kind} in the manifest, found ${found.length}`)
    return found[0] as T
  }
  return { documents, service: one('Service'), statefulSet: one('StatefulSet'), budget: one('PodDisruptionBudget') }
}

/** The pod template's single container. */
export function peerContainer (manifest: Manifest): Container {
  const containers = manifest.statefulSet.spec?.template.spec?.containers ?? []
  if (containers.length !== 1 || containers[0] === undefined) throw new Error(`expected one container in the pod template, found ${containers.length}`)
  return containers[0]
}

/**
 * A container's environment as the kubelet makes it for one pod: fieldRefs
 * to the pod's name and namespace filled in, and $(VAR) replaced by the
 * value of a variable defined earlier in the list (a later or unknown one
 * stays as written, as Kubernetes leaves it).
 */
export function podEnvironment (manifest: Manifest, pod: { name: string, namespace: string }): Map<string, string> {
  const env = new Map<string, string>()
  for (const variable of peerContainer(manifest).env ?? []) {
    const field = variable.valueFrom?.fieldRef?.fieldPath
    if (field !== undefined) {
      const value = field === 'metadata.name' ? pod.name : field === 'metadata.namespace' ? pod.namespace : undefined
      if (value === undefined) throw new Error(`${variable.name}: fieldRef ${field} is not emulated`)
      env.set(variable.name, value)
      continue
    }
    env.set(variable.name, (variable.value ?? '').replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) => env.get(name) ?? whole))
  }
  return env
}

/** Where the pod reads the swarm key: the Secret it comes from, its key in it, and the directory its volume is mounted on. */
export function swarmKeyMount (manifest: Manifest): { secret: string, item: string, dir: string, file: string, mode: number | undefined, readOnly: boolean } | undefined {
  const container = peerContainer(manifest)
  const file = container.env?.find(v => v.name === 'CHORDKV_SWARM_KEY')?.value
  if (file === undefined) return undefined
  const mount = container.volumeMounts?.find(m => file.startsWith(`${m.mountPath}/`))
  if (mount === undefined) throw new Error(`CHORDKV_SWARM_KEY ${file} lies in no mounted volume`)
  const volume = manifest.statefulSet.spec?.template.spec?.volumes?.find(v => v.name === mount.name)
  const secret = volume?.secret?.secretName
  if (secret === undefined) throw new Error(`the volume ${mount.name} holding the swarm key is not a Secret`)
  return { secret, item: file.slice(mount.mountPath.length + 1), dir: mount.mountPath, file, mode: volume?.secret?.defaultMode, readOnly: mount.readOnly === true }
}
