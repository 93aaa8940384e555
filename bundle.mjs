// The one-file build of the peer (dist/bundle/, `npm run bundle`): esbuild
// over tsc's output, split into chunks where the code loads lazily.
//
// Node.js's own modules are loaded with require(), not import. An ESM import
// of a built-in module builds its namespace, which reads every export, and
// reading an export that Node.js loads lazily loads it: `import ... from
// 'node:http'` loads TLS, HTTP/2, zlib, worker threads and undici (17 MiB
// more at rest, measured); node:util, node:process and node:fs/promises do
// the same on a smaller scale. Each built-in is a stand-in module that
// require()s it and exports each name it has as one property read, marked
// pure so the bundle keeps only the names the code imports. (A stand-in of
// `module.exports = require(...)` is not enough: esbuild copies a CommonJS
// module's exports into an ESM one by asking for each property's descriptor,
// which loads the lazy ones just the same; node:util's alone loaded worker
// threads and performance hooks, 3 MiB of a resting peer, measured.)
import { rm } from 'node:fs/promises'
import { builtinModules, createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const builtins = new Set(builtinModules)
const bare = (path) => path.replace(/^node:/, '')
const requireHere = createRequire(import.meta.url)
const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/** An ESM stand-in for a built-in module: its default export and each name, read once. */
function standIn (name) {
  const names = Object.getOwnPropertyNames(requireHere(`node:${name}`)).filter(n => identifier.test(n) && n !== 'default')
  return [
    `const m = require('node:${name}')`,
    'export default m',
    ...names.map(n => `export const ${n} = /* @__PURE__ */ (() => m.${n})()`)
  ].join('\n')
}

const builtinsByRequire = {
  name: 'builtins-by-require',
  setup (b) {
    b.onResolve({ filter: /^(node:)?[a-z_][a-z_0-9/]*$/ }, (args) => {
      if (!builtins.has(bare(args.path))) return undefined
      // the require() in the stand-in module below stays a require()
      if (args.kind === 'require-call') return { path: `node:${bare(args.path)}`, external: true }
      return { path: bare(args.path), namespace: 'builtin' }
    })
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({ contents: standIn(args.path), loader: 'js' }))
  }
}

// mortice (the peer store's per-peer locks) serves locks to cluster workers
// and worker threads from its Node.js module, which loads node:cluster and
// node:worker_threads and opens a BroadcastChannel at start-up: 2 MiB of a
// resting peer (measured). A peer is one process and the peer store asks for
// single-process locks, so the bundle takes mortice's single-process module,
// the one its package names for React Native.
const morticeSingleProcess = {
  name: 'mortice-single-process',
  setup (b) {
    b.onResolve({ filter: /^\.\/node\.js$/ }, (args) => {
      if (!/[\\/]mortice[\\/]dist[\\/]src[\\/]mortice\.js$/.test(args.importer)) return undefined
      return { path: join(dirname(args.importer), 'react-native.js') }
    })
  }
}

// Noise's module of default primitives compiles two AssemblyScript
// WebAssembly modules (ChaCha20-Poly1305 and SHA-256) when it is imported,
// and compiling any WebAssembly brings V8's WebAssembly compilers into
// memory: 6 MiB of a resting peer (measured). The peer hands Noise
// primitives without WebAssembly (src/noise-crypto.ts), so the bundle puts
// that file in the default's place.
const noiseNativeCrypto = {
  name: 'noise-native-crypto',
  setup (b) {
    b.onResolve({ filter: /^\.\/crypto\/index\.js$/ }, (args) => {
      if (!/[\\/]@chainsafe[\\/]libp2p-noise[\\/]dist[\\/]src[\\/]noise\.js$/.test(args.importer)) return undefined
      return { path: fileURLToPath(new URL('dist/src/noise-crypto.js', import.meta.url)) }
    })
  }
}

// Chunk names carry a content hash: a build leaves the last one's chunks behind.
await rm('dist/bundle', { recursive: true, force: true })
await build({
  entryPoints: ['dist/src/cli/main.js'],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  minify: true,
  sourcemap: true,
  external: ['classic-level'],
  outdir: 'dist/bundle',
  entryNames: 'chordkv',
  logLevel: 'warning',
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  plugins: [builtinsByRequire, morticeSingleProcess, noiseNativeCrypto]
})
