import assert from 'node:assert/strict'
import { readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { PeerProcess } from '../../src/cli/peer-process.js'
import { ControlClient } from '../../src/control/client.js'
import { readAll, tempDir } from '../utils/control.js'
import { waitFor } from '../utils/network.js'

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
let instances = 0
const { Module, Instance, compile, instantiate } = WebAssembly
WebAssembly.Module = new Proxy(Module, { construct (target, args) { compiled++; return Reflect.construct(target, args) } })
WebAssembly.Instance = new Proxy(Instance, { construct (target, args) { instances++; return Reflect.construct(target, args) } })
WebAssembly.compile = (...args) => { compiled++; return compile(...args) }
WebAssembly.instantiate = (source, ...rest) => { if (!(source instanceof Module)) compiled++; instances++; return instantiate(source, ...rest) }
`

/** What a peer loaded: its built-in modules, and the WebAssembly modules it compiled and instantiated. */
interface Loaded {
  readonly builtins: Set<string>
  readonly wasmModules: number
  readonly wasmInstances: number
}

/** Writes a preload that writes what its process loaded to `dir/loaded-<pid>.json` on exit; returns its NODE_OPTIONS. */
async function probeIn (dir: string): Promise<NodeJS.ProcessEnv> {
  const probe = join(dir, 'probe.mjs')
  const out = `${JSON.stringify(join(dir, 'loaded-'))} + process.pid + '.json'`
  await writeFile(probe, `${WASM_COUNTER}\nprocess.on('exit', () => { process.getBuiltinModule('node:fs').writeFileSync(${out}, JSON.stringify({ list: process.moduleLoadList, compiled, instances })) })\n`)
  return { NODE_OPTIONS: `--import=${probe}` }
}

/** What each probed process in `dir` loaded. */
async function probed (dir: string): Promise<Loaded[]> {
  const files = (await readdir(dir)).filter(name => /^loaded-\d+\.json$/.test(name))
  return Promise.all(files.map(async name => {
    const { list, compiled, instances } = JSON.parse(await readFile(join(dir, name), 'utf8')) as { list: string[], compiled: number, instances: number }
    return { builtins: new Set(list.filter(entry => entry.startsWith('NativeModule ')).map(entry => entry.slice('NativeModule '.length))), wasmModules: compiled, wasmInstances: instances }
  }))
}

/** Runs a lone peer with the probe; returns what it loaded. */
async function loadedBy (args: readonly string[]): Promise<Loaded> {
  const dir = await tempDir('chordkv-modules-')
  try {
    const peer = await PeerProcess.start({ name: 'p', dataDir: join(dir, 'data'), args: ['--storage', 'memory', ...args], env: await probeIn(dir) })
    try {
      await peer.waitFor(/^founded a new ring/, 60_000)
    } finally {
      await peer.stop()
    }
    const [loaded] = await probed(dir)
    assert.ok(loaded !== undefined, 'the peer wrote what it loaded')
    return loaded
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

describe('the modules a peer loads', () => {
  test('a peer without a metrics listener loads no HTTP, TLS, HTTP/2, zlib or fetch, no worker threads and no performance hooks, and compiles no WebAssembly', async () => {
    const { builtins: loaded, wasmModules, wasmInstances } = await loadedBy([])
    assert.ok(loaded.has('net') && loaded.has('crypto'), `the probe saw the peer's modules: ${[...loaded].join(' ')}`)
    assert.deepEqual(HTTP_STACK.filter(name => loaded.has(name)), [])
    assert.deepEqual(WORKERS_AND_PERFORMANCE.filter(name => loaded.has(name)), [])
    assert.deepEqual([wasmModules, wasmInstances], [0, 0])
  })

  test('peers that get busy compile the WebAssembly cipher for small Noise frames, once each, and serve on', async () => {
    const dir = await tempDir('chordkv-busy-')
    try {
      const env = await probeIn(dir)
      const args = ['--storage', 'memory']
      const a = await PeerProcess.start({ name: 'a', dataDir: join(dir, 'a'), args, env })
      try {
        const b = await PeerProcess.start({ name: 'b', dataDir: join(dir, 'b'), args, env, bootstrap: await a.waitFor(/^listening: (.*)$/) })
        try {
          await b.waitFor(/^(joined the ring.*)$/, 60_000)
          await a.waitFor(/^(neighbours changed: .*successor 12D3.*)$/, 60_000)
          // Each put goes between the two (route or replica, and the answer): thousands of small
          // frames in seconds. Twenty at a time, so that none is refused as too busy; a write the
          // ring cannot take yet (the joiner still settling) is retried, as a client does.
          const keys = Array.from({ length: 1500 }, (_, i) => `busy-${i}`)
          const client = await ControlClient.connect(a.socket)
          try {
            for (let i = 0; i < keys.length; i += 20) {
              await Promise.all(keys.slice(i, i + 20).map(async key => {
                await waitFor(async () => (await client.request({ op: 'put', key, value: `value of ${key}` })).ok === true, 60_000, () => `put ${key}`, 100)
              }))
            }
          } finally {
            client.close()
          }
          assert.deepEqual(await readAll(b.socket, keys.slice(0, 50)), keys.slice(0, 50).map(key => `value of ${key}`))
        } finally {
          await b.stop()
        }
      } finally {
        await a.stop()
      }
      // Importing the AssemblyScript cipher compiles its module and makes one instance; the peer makes its own.
      assert.deepEqual((await probed(dir)).map(({ wasmModules, wasmInstances }) => [wasmModules, wasmInstances]), [[1, 2], [1, 2]])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('with --metrics-listen it loads the HTTP server (Prometheus\' client brings TLS), still no HTTP/2 or fetch', async () => {
    const { builtins: loaded } = await loadedBy(['--metrics-listen', '/ip4/127.0.0.1/tcp/0'])
    assert.ok(loaded.has('http'), 'node:http is loaded for the listener')
    assert.deepEqual(['http2', 'internal/deps/undici/undici'].filter(name => loaded.has(name)), [])
  })
})
