import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { test } from 'node:test'
import { resolveSocket } from '../src/socket-path.js'
import { tempDir } from './utils/control.js'

test('a client finds the socket: --socket, --data-dir, CHORDKV_SOCKET, CHORDKV_DATA_DIR, the config file, ~/.chordkv', async () => {
  const dir = await tempDir()
  const file = join(dir, 'c.json')
  await writeFile(file, JSON.stringify({ socket: '/file/s.sock', dataDir: '/file/dir', ring: { successors: 0 } }))
  const env = { HOME: '/home/u' }
  assert.equal(await resolveSocket({ env }), '/home/u/.chordkv/chordkv.sock')
  assert.equal(await resolveSocket({ env, file }), '/file/s.sock')
  assert.equal(await resolveSocket({ env: { ...env, CHORDKV_DATA_DIR: '/env/dir' }, file }), '/env/dir/chordkv.sock')
  assert.equal(await resolveSocket({ env: { ...env, CHORDKV_DATA_DIR: '/env/dir', CHORDKV_SOCKET: '/env/s.sock' }, file }), '/env/s.sock')
  assert.equal(await resolveSocket({ env: { ...env, CHORDKV_SOCKET: '/env/s.sock' }, file, dataDir: './flag' }), resolve('flag/chordkv.sock'))
  assert.equal(await resolveSocket({ env: { ...env, CHORDKV_SOCKET: '/env/s.sock' }, dataDir: '/flag', socket: '~/s.sock' }), '/home/u/s.sock')
})

test('a client reads only socket and dataDir: other settings, even invalid ones, cannot fail it', async () => {
  const env = { HOME: '/home/u', CHORDKV_SUCCESSORS: '0', CHORDKV_BOOTSTRAP: 'garbage' }
  assert.equal(await resolveSocket({ env, dataDir: '/d' }), '/d/chordkv.sock')
  const dir = await tempDir()
  const bad = join(dir, 'bad.json')
  await writeFile(bad, '{"socket": 5}')
  await assert.rejects(resolveSocket({ env, file: bad }), /config file .*bad\.json: socket must be a string/)
  await writeFile(bad, '{not json')
  await assert.rejects(resolveSocket({ env, file: bad }), /is not valid JSON/)
})
