#!/usr/bin/env node
/**
 * The `chordkv` command. libp2p needs Node.js 22 or newer: check before
 * loading anything that would fail on an older runtime.
 */
const major = Number(process.versions.node.split('.')[0])
if (major < 22) {
  process.stderr.write(`chordkv needs Node.js 22 or newer, but this is ${process.version}.\n` +
    'Run it as bin/chordkv from the project, or through its npm scripts (they use the Node.js it installs), or install Node.js 22+.\n')
  process.exit(1)
}
const { run } = await import('./run.js')
process.exitCode = await run(process.argv.slice(2))
