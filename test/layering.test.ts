import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'
import { describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'

/**
 * The layering README's "How it works" draws, checked on every import in
 * src/: a layer imports only layers below it (and the kernel), folders of
 * one layer do not import each other, and the ring does no I/O.
 */

const root = fileURLToPath(new URL('../../', import.meta.url))

/** Files anyone may import: they import nothing of the project but each other. */
const KERNEL = new Set(['errors.ts', 'version.ts', 'defaults.ts', 'limits.ts'])

/** What the ring may import from outside: a pure-JS SHA-256 (no I/O). */
const RING_MAY_IMPORT = new Set(['@noble/hashes/sha2.js'])

/** Layers from the bottom up; within a layer, folders (or files at the top level) are siblings. */
const LAYERS: ReadonlyArray<readonly string[]> = [
  ['ring/'],
  ['protocol/'],
  ['node/'],
  ['network/', 'maintenance/', 'storage/'],
  // The control socket and the metrics listener serve whichever overlay runs.
  ['control/', 'metrics/'],
  // The memory budget sizes the control socket's, the peer protocol's and the store's bounds.
  ['memory-budget.ts'],
  // What both overlays build on: the libp2p stack, configuration, bootstrap
  // dialling, and the plug-in interface with the testnet both fill in.
  ['overlay.ts', 'testnet.ts', 'bootstrap.ts', 'stack.ts', 'swarm-key.ts', 'config.ts', 'socket-path.ts', 'identity.ts', 'data-dir-lock.ts', 'start-errors.ts', 'operation-observer.ts', 'listen-ports.ts'],
  ['chord/', 'kad/'],
  ['daemon.ts'],
  ['cli/']
]

interface Import { readonly from: string, readonly to: string, readonly specifier: string }

function sourceFiles (dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : []
  })
}

/** Every import and re-export (static and dynamic) of every file under src/, paths relative to src/. */
function imports (): Import[] {
  const src = join(root, 'src')
  return sourceFiles(src).flatMap(file => {
    const text = readFileSync(file, 'utf8')
    const from = relative(src, file)
    return [...text.matchAll(/(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)].map(m => {
      const specifier = (m[1] ?? m[2]) as string
      const to = specifier.startsWith('.') ? relative(src, normalize(join(dirname(file), specifier))).replace(/\.js$/, '.ts') : specifier
      return { from, to, specifier }
    })
  })
}

/** The unit of layering a file belongs to: its top folder, or the file itself at the top level. */
function unitOf (path: string): string {
  const slash = path.indexOf('/')
  return slash < 0 ? path : path.slice(0, slash + 1)
}

function layerOf (unit: string): number {
  const layer = LAYERS.findIndex(units => units.includes(unit))
  assert.ok(layer >= 0 || KERNEL.has(unit), `src/${unit} is in no layer of test/layering.test.ts: place it`)
  return layer
}

const all = imports()
const internal = all.filter(i => i.specifier.startsWith('.'))

describe('layering', () => {
  test('the scan reads the project\'s imports', () => {
    assert.ok(internal.length > 300, `read ${internal.length} imports`)
    assert.ok(internal.some(i => i.from === 'chord/service.ts' && i.to === 'chord/node.ts'))
  })

  test('the ring imports nothing of libp2p, Node or the rest of the project', () => {
    const outside = all.filter(i => unitOf(i.from) === 'ring/' && (i.specifier.startsWith('.') ? unitOf(i.to) !== 'ring/' : !RING_MAY_IMPORT.has(i.specifier)))
    assert.deepEqual(outside.map(i => `${i.from} imports ${i.specifier}`), [])
  })

  test('the kernel (errors, version, defaults) imports none of the project', () => {
    const bad = internal.filter(i => KERNEL.has(i.from) && !KERNEL.has(i.to))
    assert.deepEqual(bad.map(i => `${i.from} imports ${i.to}`), [])
  })

  test('every import points down: to a lower layer or the kernel, never to a sibling or a layer above', () => {
    const bad: string[] = []
    for (const i of internal) {
      const [a, b] = [unitOf(i.from), unitOf(i.to)]
      if (a === b || KERNEL.has(b) || KERNEL.has(a)) continue
      const [la, lb] = [layerOf(a), layerOf(b)]
      // Files at the top level share one folder, src/: siblings there may import each other (cycles are checked below).
      if (lb === la && !(a.endsWith('.ts') && b.endsWith('.ts'))) bad.push(`${i.from} imports its sibling ${i.to}`)
      else if (lb > la) bad.push(`${i.from} imports ${i.to}, a layer above it`)
    }
    assert.deepEqual(bad, [])
  })

  test('no two folders import each other, however indirectly', () => {
    const edges = new Map<string, Set<string>>()
    for (const i of internal) {
      const [a, b] = [unitOf(i.from), unitOf(i.to)]
      if (a !== b) edges.set(a, (edges.get(a) ?? new Set()).add(b))
    }
    // Depth first: an edge back to a folder still open closes a cycle.
    const cycles = new Set<string>()
    const state = new Map<string, 'open' | 'done'>()
    const visit = (unit: string, path: readonly string[]): void => {
      if (state.get(unit) === 'done') return
      if (state.get(unit) === 'open') {
        cycles.add([...path.slice(path.indexOf(unit)), unit].join(' → '))
        return
      }
      state.set(unit, 'open')
      for (const next of edges.get(unit) ?? []) visit(next, [...path, unit])
      state.set(unit, 'done')
    }
    for (const unit of edges.keys()) visit(unit, [])
    assert.deepEqual([...cycles], [])
  })

  test('control/ and metrics/ serve either overlay and depend on neither', () => {
    const bad = internal.filter(i => ['control/', 'metrics/'].includes(unitOf(i.from)) && ['chord/', 'kad/'].includes(unitOf(i.to)))
    assert.deepEqual(bad.map(i => `${i.from} imports ${i.to}`), [])
  })
})
