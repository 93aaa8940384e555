import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'
import { describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'

/**
 * The layering README's "How it works" draws, checked on every import in
 * src/: a layer imports only layers below it (and the kernel), folders of
 * one layer do not import each other, files do not import each other in a
 * loop, each layer imports only the packages its rule names, the ring does
 * no I/O and reads no global clock or process, and only the composition
 * roots pick the system clock. Each check is a function over the imports or
 * the text, shown to fail on a planted case before it runs on src/.
 */

const root = fileURLToPath(new URL('../../', import.meta.url))

/** Files anyone may import: they import nothing of the project but each other. */
const KERNEL = new Set(['errors.ts', 'version.ts', 'package-files.ts', 'defaults.ts', 'limits.ts'])

/**
 * The packages each lower layer may import (a specifier equal to, or under,
 * an entry). Layers above the records (`chord/`, `kad/`, the top-level
 * files, `daemon.ts`, `cli/`) put libp2p together and may import anything.
 */
const PACKAGES: Readonly<Record<string, readonly string[]>> = {
  // A pure-JS SHA-256: no I/O.
  'ring/': ['@noble/hashes/sha2.js'],
  // Encoding only.
  'protocol/': ['protons-runtime', 'uint8arrays', 'uint8arraylist', 'multiformats', '@libp2p/peer-id'],
  'node/': [],
  // Types (the logger) only.
  'maintenance/': ['@libp2p/interface'],
  'network/': ['@libp2p/interface', '@libp2p/interface-internal', '@libp2p/utils', '@libp2p/peer-id', '@multiformats/multiaddr', 'multiformats', 'uint8arraylist', 'uint8-varint'],
  'storage/': ['@libp2p/interface', 'level', 'node:crypto', 'node:fs/promises', 'node:path', 'node:timers/promises'],
  'control/': ['@libp2p/interface', 'node:net', 'node:fs/promises', 'node:string_decoder'],
  'metrics/': ['@libp2p/interface', 'node:http']
}

/** Globals the ring may not read: it is pure, the clock and randomness are handed to it. */
const RING_GLOBALS = /\b(?:Date|performance|process|setTimeout|setInterval|setImmediate|Math\.random|crypto)\b/

/**
 * Where the system clock may be chosen: the composition roots and the runs
 * above them; and Noise's primitives, which gauge how busy the process is
 * to pick a cipher (no ring logic runs on that clock, nor a simulation).
 */
const CLOCK_ROOTS = ['node/clock.ts', 'chord/service.ts', 'kad/service.ts', 'testnet.ts', 'daemon.ts', 'cli/', 'noise-crypto.ts']

/** Layers from the bottom up; within a layer, folders (or files at the top level) are siblings. */
const LAYERS: ReadonlyArray<readonly string[]> = [
  ['ring/'],
  ['protocol/'],
  ['node/'],
  ['network/', 'maintenance/', 'storage/'],
  // The control socket and the metrics listener serve whichever overlay runs.
  ['control/', 'metrics/'],
  // The memory budget sizes the control socket's, the peer protocol's and the
  // store's bounds; the trim gives a burst's memory back.
  ['memory-budget.ts', 'memory-trim.ts'],
  // libp2p's loggers, made only where they print; Noise's frames and
  // Yamux's window updates made cheaper.
  ['component-logger.ts', 'noise-crypto.ts', 'noise-frames.ts', 'yamux-window.ts'],
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

/** The imports of one file's text (`from` relative to src/): static, re-exports, side-effect only, dynamic. */
function importsOf (from: string, text: string): Import[] {
  return [...text.matchAll(/(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)].map(m => {
    const specifier = (m[1] ?? m[2] ?? m[3]) as string
    const to = specifier.startsWith('.') ? normalize(join(dirname(from), specifier)).replace(/\.js$/, '.ts') : specifier
    return { from, to, specifier }
  })
}

const SRC = join(root, 'src')
/** Every file under src/ (relative to it) and its text. */
const sources: ReadonlyArray<{ readonly path: string, readonly text: string }> = sourceFiles(SRC).map(file => ({ path: relative(SRC, file), text: readFileSync(file, 'utf8') }))

/** Every import of every file under src/. */
function imports (): Import[] {
  return sources.flatMap(f => importsOf(f.path, f.text))
}

/** Imports of packages a layer's rule does not name. */
function packageBreaches (all: readonly Import[]): string[] {
  return all.filter(i => {
    if (i.specifier.startsWith('.')) return false
    const allowed = PACKAGES[unitOf(i.from)]
    return allowed !== undefined && !allowed.some(p => i.specifier === p || i.specifier.startsWith(`${p}/`))
  }).map(i => `${i.from} imports ${i.specifier}`)
}

/** Loops of imports between the units `unit` names (files, or their folders): a → b → … → a, each named once. */
function cycles (internal: readonly Import[], unit: (path: string) => string = path => path): string[] {
  const edges = new Map<string, Set<string>>()
  for (const i of internal) {
    const [a, b] = [unit(i.from), unit(i.to)]
    if (a !== b) edges.set(a, (edges.get(a) ?? new Set()).add(b))
  }
  // Depth first: an edge back to a unit still open closes a cycle.
  const found = new Set<string>()
  const state = new Map<string, 'open' | 'done'>()
  const visit = (file: string, path: readonly string[]): void => {
    if (state.get(file) === 'done') return
    if (state.get(file) === 'open') {
      found.add([...path.slice(path.indexOf(file)), file].join(' → '))
      return
    }
    state.set(file, 'open')
    for (const next of edges.get(file) ?? []) visit(next, [...path, file])
    state.set(file, 'done')
  }
  for (const file of [...edges.keys()].sort()) visit(file, [])
  return [...found]
}

/** Code without its comments and string literals, so a word in prose does not count. */
function codeOf (text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '').replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, "''")
}

/** Ring files that read a global clock, timer, randomness or the process. */
function ringGlobals (files: ReadonlyArray<{ readonly path: string, readonly text: string }>): string[] {
  return files.filter(f => unitOf(f.path) === 'ring/' && RING_GLOBALS.test(codeOf(f.text))).map(f => `${f.path}: ${RING_GLOBALS.exec(codeOf(f.text))?.[0] ?? ''}`)
}

/** Files below the composition roots that pick the system clock (or read it) themselves. */
function clockBreaches (files: ReadonlyArray<{ readonly path: string, readonly text: string }>): string[] {
  return files.filter(f => !CLOCK_ROOTS.some(r => f.path === r || (r.endsWith('/') && f.path.startsWith(r))) && /\bDate\.now\b|\bperformance\.now\b|\bsystemClock\b/.test(codeOf(f.text))).map(f => f.path)
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
    const outside = internal.filter(i => unitOf(i.from) === 'ring/' && unitOf(i.to) !== 'ring/')
    assert.deepEqual(outside.map(i => `${i.from} imports ${i.specifier}`), [])
  })

  test('side-effect-only and dynamic imports are read too', () => {
    const planted = importsOf('node/x.ts', "import 'node:fs'\nconst m = await import('../network/y.js')\n")
    assert.deepEqual(planted.map(i => i.to), ['node:fs', 'network/y.ts'])
  })

  test('each lower layer imports only the packages its rule names', () => {
    assert.deepEqual(packageBreaches(importsOf('ring/x.ts', "import { createHash } from 'node:crypto'")), ['ring/x.ts imports node:crypto'], 'planted: the ring hashing with node:crypto')
    assert.deepEqual(packageBreaches(importsOf('maintenance/x.ts', "import { tcp } from '@libp2p/tcp'")), ['maintenance/x.ts imports @libp2p/tcp'], 'planted: maintenance dialling itself')
    assert.deepEqual(packageBreaches(importsOf('chord/x.ts', "import { tcp } from '@libp2p/tcp'")), [], 'the overlays may put libp2p together')
    assert.deepEqual(packageBreaches(all), [])
  })

  test('no two files import each other, however indirectly (within a folder too)', () => {
    const planted = importsOf('storage/a.ts', "import { b } from './b.js'").concat(importsOf('storage/b.ts', "import type { A } from './c.js'"), importsOf('storage/c.ts', "export { a } from './a.js'"))
    assert.deepEqual(cycles(planted), ['storage/a.ts → storage/b.ts → storage/c.ts → storage/a.ts'])
    assert.deepEqual(cycles(internal), [])
  })

  test('the ring reads no global clock, timer, randomness or process', () => {
    assert.deepEqual(ringGlobals([{ path: 'ring/x.ts', text: '// Date.now in a comment is prose\nexport const t = (): number => Date.now()\n' }]), ['ring/x.ts: Date'])
    assert.deepEqual(ringGlobals([{ path: 'ring/x.ts', text: "/** performance.now() */ export const s = 'process'\n" }]), [], 'prose and strings are not code')
    assert.deepEqual(ringGlobals(sources), [])
  })

  test('only the composition roots pick the system clock; everything below is handed one', () => {
    assert.deepEqual(clockBreaches([
      { path: 'storage/x.ts', text: 'const now = Date.now()\n' },
      { path: 'chord/x.ts', text: "import { systemClock } from '../node/clock.js'\n" },
      { path: 'network/x.ts', text: 'const started = performance.now()\n' }
    ]), ['storage/x.ts', 'chord/x.ts', 'network/x.ts'])
    assert.deepEqual(clockBreaches(sources), [])
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
    assert.deepEqual(cycles(importsOf('node/a.ts', "import { b } from '../storage/b.js'").concat(importsOf('storage/b.ts', "import { a } from '../node/a.js'")), unitOf), ['node/ → storage/ → node/'])
    assert.deepEqual(cycles(internal, unitOf), [])
  })

  test('control/ and metrics/ serve either overlay and depend on neither', () => {
    const bad = internal.filter(i => ['control/', 'metrics/'].includes(unitOf(i.from)) && ['chord/', 'kad/'].includes(unitOf(i.to)))
    assert.deepEqual(bad.map(i => `${i.from} imports ${i.to}`), [])
  })
})
