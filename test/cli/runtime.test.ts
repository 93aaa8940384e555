import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { PEER_RUNTIME } from '../../src/cli/runtime.js'

const BIN = fileURLToPath(new URL('../../../bin/chordkv', import.meta.url))

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
