// The one-file build of the peer (dist/bundle/, `npm run bundle`): esbuild
// over tsc's output, split into chunks where the code loads lazily.
//
// Node.js's own modules are loaded with require(), not import. An ESM import
// of a built-in module builds its namespace, which reads every export, and
// reading an export that Node.js loads lazily loads it: `import ... from
// 'node:http'` loads TLS, HTTP/2, zlib, worker threads and undici (17 MiB
// more at rest, measured); node:util, node:process and node:fs/promises do
// the same on a smaller scale. require() hands back the module object and
// loads nothing more until a property is read.
import { rm } from 'node:fs/promises'
import { builtinModules } from 'node:module'
import { build } from 'esbuild'

const builtins = new Set(builtinModules)
const bare = (path) => path.replace(/^node:/, '')

const builtinsByRequire = {
  name: 'builtins-by-require',
  setup (b) {
    b.onResolve({ filter: /^(node:)?[a-z_][a-z_0-9/]*$/ }, (args) => {
      if (!builtins.has(bare(args.path))) return undefined
      // the require() in the stand-in module below stays a require()
      if (args.kind === 'require-call') return { path: `node:${bare(args.path)}`, external: true }
      return { path: bare(args.path), namespace: 'builtin' }
    })
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents: `module.exports = require('node:${args.path}')`,
      loader: 'js'
    }))
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
  plugins: [builtinsByRequire]
})
