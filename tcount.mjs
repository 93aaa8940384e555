import { startRing, stopAll } from './dist/src/chord/testnet.js'
import { checkIdeal } from './dist/src/ring/invariants.js'
const n = Number(process.argv[2] ?? 20)
const peers = await startRing(n, {}, 180000)
for (;;) { const snap = new Map(peers.map(p => [p.services.chord.self.peer, p.services.chord.snapshot()])); if (checkIdeal(snap, 8).length === 0) break; await new Promise(r => setTimeout(r, 200)) }
await new Promise(r => setTimeout(r, 30000))
const counts = new Map()
const orig = globalThis.setTimeout
globalThis.setTimeout = function (fn, ms, ...a) { const lines = new Error().stack.split('\n').slice(2).filter(l => (l.includes('/dist/src/') && !l.includes('clock.js') && !l.includes('scheduler.js')) || l.includes('node_modules')).slice(0, 2).map(l => (l.match(/(dist\/src\/[^:]+|node_modules\/(?:@[^/]+\/)?[^/]+\/dist\/src\/[^:]+):(\d+)/) ?? [l]).slice(1, 3).join(':')); const k = lines.join(' <- '); counts.set(k, (counts.get(k) ?? 0) + 1); return orig(fn, ms, ...a) }
const { PerformanceObserver } = await import('node:perf_hooks'); let gcMs = 0; let gcs = 0; const obs = new PerformanceObserver(list => { for (const e of list.getEntries()) { gcMs += e.duration; gcs++ } }); obs.observe({ entryTypes: ['gc'] })
const elu0 = performance.eventLoopUtilization()
const c0 = process.cpuUsage(); const t0 = performance.now()
await new Promise(r => orig(r, 20000))
const used = process.cpuUsage(c0); const el = performance.now() - t0
globalThis.setTimeout = orig
console.log('gc ms per s', (gcMs / el * 1000).toFixed(2), 'gcs', gcs, 'event loop utilization', performance.eventLoopUtilization(elu0).utilization.toFixed(4))
console.log('cpu % of a core', ((used.user + used.system) / 10 / el).toFixed(2), 'user', (used.user / 10 / el).toFixed(2), 'sys', (used.system / 10 / el).toFixed(2))
for (const [k, c] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log((c / 20 / n).toFixed(3), 'per peer per s', k)
await stopAll(peers)
process.exit(0)
