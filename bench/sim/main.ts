/**
 * The simulator: production ChordNodes on a simulated network and a
 * virtual clock, reproducing the Chord papers' experiments (docs/scale.md).
 *
 *   npm run sim -- --help
 *   npm run sim -- fig10 --max-exp 14
 *   npm run sim -- all --write
 */
import { parseArgs } from 'node:util'
import { EXPERIMENTS, type Experiment } from './experiments/index.js'
import { writeSections, type Section } from './report.js'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    help: { type: 'boolean', short: 'h' },
    write: { type: 'boolean' },
    doc: { type: 'string', default: 'docs/scale.md' },
    seed: { type: 'string' },
    n: { type: 'string' },
    lookups: { type: 'string' },
    keys: { type: 'string' },
    'min-exp': { type: 'string' },
    'max-exp': { type: 'string' },
    fractions: { type: 'string' },
    rates: { type: 'string' },
    hours: { type: 'string' },
    v: { type: 'string' },
    departures: { type: 'string' },
    paces: { type: 'string' },
    chord: { type: 'string' }
  }
})

function help (): string {
  const rows = Object.entries(EXPERIMENTS).map(([name, e]) => `  ${name.padEnd(9)} ${e.summary}\n            options: ${e.options}`)
  return [
    'usage: npm run sim -- <experiment>… [options]',
    '',
    'experiments:',
    ...rows,
    '  all       every experiment above, in order, with its defaults',
    '',
    'options for all:',
    '  --seed S      seed of every random choice (default 1); the same seed gives the same run',
    '  --write       also replace the experiment\'s block in the document and write its charts',
    '  --doc PATH    the document --write updates (default docs/scale.md; charts go to docs/scale/)'
  ].join('\n')
}

const names = positionals.includes('all') ? Object.keys(EXPERIMENTS) : positionals
if (values.help === true || names.length === 0) {
  console.log(help())
  process.exit(names.length === 0 && values.help !== true ? 1 : 0)
}
const unknown = names.filter(n => !(n in EXPERIMENTS))
if (unknown.length > 0) {
  console.error(`unknown experiment: ${unknown.join(', ')}\n\n${help()}`)
  process.exit(1)
}

const sections: Section[] = []
for (const name of names) {
  const experiment = EXPERIMENTS[name] as Experiment
  const started = performance.now()
  const section = await experiment.run(values, name)
  const seconds = (performance.now() - started) / 1000
  const { rss, heapUsed } = process.memoryUsage()
  console.log(`\n## ${name}\n\n${section.markdown}\n`)
  console.error(`${name}: ${seconds.toFixed(1)} s, RSS ${(rss / 2 ** 20).toFixed(0)} MiB, heap ${(heapUsed / 2 ** 20).toFixed(0)} MiB`)
  sections.push(section)
}
if (values.write === true) writeSections(values.doc ?? 'docs/scale.md', sections)
