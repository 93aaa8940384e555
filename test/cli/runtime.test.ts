import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { test } from 'node:test'
import { relative } from 'node:path'
import { PEER_RUNTIME } from '../../src/cli/runtime.js'
import { packageFile, PEER_ENTRY } from '../../src/package-files.js'
import { chordkv } from '../utils/cli.js'
import { VERSION } from '../../src/version.js'

const BIN = packageFile('bin/chordkv')

test('bin/chordkv runs Node.js with the peer runtime settings of src/cli/runtime.ts', async () => {
  const script = await readFile(BIN, 'utf8')
  for (const arg of PEER_RUNTIME.nodeArgs) {
    // Both exec lines: the project's Node.js and the fallback on PATH.
    assert.equal(script.split('\n').filter(l => l.includes('exec ') && l.includes(`${arg} `)).length, 2, `bin/chordkv passes ${arg} on both exec lines`)
  }
  for (const [name, value] of Object.entries(PEER_RUNTIME.env)) {
    assert.ok(script.includes(`export ${name}="\${${name}:-${value}}"`), `bin/chordkv sets ${name}=${value} unless set`)
  }
})

test('bin/chordkv, the tests and the demo run the same one-file build, which runs', async () => {
  const script = await readFile(BIN, 'utf8')
  const entry = `"$here/${relative(packageFile('bin'), PEER_ENTRY)}"`
  assert.equal(script.split('\n').filter(l => l.includes('exec ') && l.includes(entry)).length, 2, `bin/chordkv runs ${entry} on both exec lines`)
  const version = await chordkv(['version'], { env: {} })
  assert.equal(version.code, 0, version.stderr)
  assert.ok(version.out.includes(VERSION), `the build answers its version: ${version.out}`)
})
