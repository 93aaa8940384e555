/**
 * Mutation testing (`npm run test:mutation`, not part of `npm test` or CI):
 * StrykerJS mutates the ring, the hybrid clock, replication, coverage,
 * the key owner, its arc and its joiners' arcs, the reach of new
 * successors, the record guard and the memory trim, builds
 * the mutated tree with tsc and runs the unit and simulated-network tests that cover each mutant (per test file, through
 * the TAP runner; Node's test runner prints TAP with --test-reporter=tap).
 * Reports: test-output/mutation/.
 */
export default {
  mutate: [
    'src/ring/**/*.ts',
    'src/storage/hlc.ts',
    'src/storage/replication.ts',
    'src/storage/coverage.ts',
    'src/storage/owner.ts',
    'src/storage/owned-arc.ts',
    'src/storage/joiner-arcs.ts',
    'src/maintenance/reach-successors.ts',
    'src/network/record-guard.ts',
    'src/memory-trim.ts'
  ],
  buildCommand: 'tsc -p tsconfig.json',
  // Stryker rewrites tsconfig paths that leave the sandbox through the
  // TypeScript API, which TypeScript 7 no longer ships; this project's
  // tsconfig.json has none to rewrite, so it is not handed over.
  tsconfigFile: 'test/mutation/no-tsconfig-to-rewrite.json',
  testRunner: 'tap',
  tap: {
    // The unit and simulated-network tests of what is mutated, run once per
    // mutant that they cover: no real network, and not the slowest
    // simulations (the 512-node ring, 6 s a run, and the merges, 2 s),
    // whose code the ring's own tests cover.
    testFiles: [
      'dist/test/ring/!(simulated-ring).test.js',
      'dist/test/storage/hlc.test.js',
      'dist/test/storage/coverage.test.js',
      'dist/test/storage/replication.test.js',
      'dist/test/storage/replica-reads.test.js',
      'dist/test/storage/late-writes.test.js',
      'dist/test/storage/hinted-handoff.test.js',
      'dist/test/network/record-guard.test.js',
      'dist/test/memory-trim.test.js',
      'dist/test/storage/owner.test.js',
      'dist/test/storage/owned-arc.test.js',
      'dist/test/storage/joiner-arcs.test.js',
      'dist/test/storage/join-catch-up.test.js',
      'dist/test/maintenance/reach-successors.test.js'
    ],
    // deadline.ts ends a test file's process that a mutant left looping.
    nodeArgs: ['-r', '{{hookFile}}', '--import', './dist/test/mutation/deadline.js', '--test-reporter=tap', '{{testFile}}'],
    forceBail: true
  },
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 5000,
  ignorePatterns: ['dist', 'test-output', 'bench/results'],
  tempDirName: 'test-output/stryker-tmp',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'test-output/mutation/index.html' },
  jsonReporter: { fileName: 'test-output/mutation/report.json' },
  thresholds: { high: 80, low: 70, break: null }
}
