import assert from 'node:assert/strict'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { PeerProcess } from '../../src/cli/peer-process.js'
import { tempDir } from '../utils/control.js'

/**
 * What Node.js modules a `chordkv start` peer (the one-file build, as
 * bin/chordkv runs it) has loaded by the time it stops. Importing a built-in
 * module as ESM reads all its exports, and node:http's pull in TLS, HTTP/2,
 * zlib and undici (17 MiB at rest); bundle.mjs loads built-ins with
 * require(), and the metrics listener loads only when configured. Worker
 * threads and performance hooks (3 MiB) came in through esbuild copying
 * node:util's lazy exports, mortice's cross-process locks and the global
 * `performance`.
 */
const HTTP_STACK = ['http', 'https', 'http2', 'tls', 'zlib', 'internal/deps/undici/undici']
const WORKERS_AND_PERFORMANCE = ['worker_threads', 'internal/worker', 'perf_hooks', 'internal/perf/performance']

/**
 * Counts the WebAssembly modules compiled, however they are made. Noise's
 * default primitives compile two AssemblyScript modules when imported
 * (6 MiB at rest: V8's WebAssembly compilers); the peer uses others (src/noise-crypto.ts).
 */
const WASM_COUNTER = `
let compiled = 0
const { Module, compile, instantiate } = WebAssembly
WebAssembly.Module = new Proxy(Module, { construct (target, args) { compiled++; return Reflect.construct(target, args) } })
WebAssembly.compile = (...args) => { compiled++; return compile(...args) }
WebAssembly.instantiate = (source, ...rest) => { if (!(source instanceof Module)) compiled++; return instantiate(source, ...rest) }
`

/** What a peer loaded: its built-in modules, and the WebAssembly modules it compiled. */
interface Loaded {
  readonly builtins: Set<string>
  readonly wasmModules: number
}

/** Runs a peer with a preload that writes what it loaded to a file on exit. */
async function loadedBy (args: readonly string[]): Promise<Loaded> {
  const dir = await tempDir('chordkv-modules-')
  const probe = join(dir, 'probe.mjs')
  const out = join(dir, 'modules.json')
  await writeFile(probe, `${WASM_COUNTER}\nprocess.on('exit', () => { process.getBuiltinModule('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify({ list: process.moduleLoadList, compiled })) })\n`)
  try {
    const peer = await PeerProcess.start({ name: 'p', dataDir: join(dir, 'data'), args: ['--storage', 'memory', ...args], env: { NODE_OPTIONS: `--import=${probe}` } })
    try {
      await peer.waitFor(/^founded a new ring/, 60_000)
    } finally {
      await peer.stop()
    }
    const { list, compiled } = JSON.parse(await readFile(out, 'utf8')) as { list: string[], compiled: number }
    return { builtins: new Set(list.filter(entry => entry.startsWith('NativeModule ')).map(entry => entry.slice('NativeModule '.length))), wasmModules: compiled }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

describe('the modules a peer loads', () => {
  test('a peer without a metrics listener loads no HTTP, TLS, HTTP/2, zlib or fetch, no worker threads and no performance hooks, and compiles no WebAssembly', async () => {
    const { builtins: loaded, wasmModules } = await loadedBy([])
    assert.ok(loaded.has('net') && loaded.has('crypto'), `the probe saw the peer's modules: ${[...loaded].join(' ')}`)
    assert.deepEqual(HTTP_STACK.filter(name => loaded.has(name)), [])
    assert.deepEqual(WORKERS_AND_PERFORMANCE.filter(name => loaded.has(name)), [])
    assert.equal(wasmModules, 0)
  })

  test('with --metrics-listen it loads the HTTP server (Prometheus\' client brings TLS), still no HTTP/2 or fetch', async () => {
    const { builtins: loaded } = await loadedBy(['--metrics-listen', '/ip4/127.0.0.1/tcp/0'])
    assert.ok(loaded.has('http'), 'node:http is loaded for the listener')
    assert.deepEqual(['http2', 'internal/deps/undici/undici'].filter(name => loaded.has(name)), [])
  })
})
