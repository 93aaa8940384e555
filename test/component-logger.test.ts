import assert from 'node:assert/strict'
import { test } from 'node:test'
import tty from 'node:tty'
import { disable, enable } from '@libp2p/logger'
import { componentLogger } from '../src/component-logger.js'

test('libp2p\'s loggers are made only for namespaces that print; a silent one\'s scopes are checked in turn', () => {
  const loggers = componentLogger()
  enable('chordkv-test:on*,chordkv-test:off:stream*')
  try {
    const on = loggers.forComponent('chordkv-test:on')
    assert.equal(on.enabled, true)
    assert.equal(on.newScope('connection').enabled, true)
    const off = loggers.forComponent('chordkv-test:off')
    assert.equal(off.enabled, false)
    assert.equal(off.newScope('connection').enabled, false)
    assert.equal(off.newScope('stream').enabled, true, 'a scope DEBUG enables prints under a silent parent')
    // Silent loggers take every call and print nothing.
    off('a %s', 'message')
    off.error('an error')
    off.trace('a trace')
  } finally {
    disable()
  }
  assert.equal(loggers.forComponent('chordkv-test:on').enabled, false, 'checked when made: after disable() it is silent')
})

test('a silent logger costs no debug logger: none of their terminal checks (a system call each)', (t) => {
  const isatty = t.mock.method(tty, 'isatty')
  const loggers = componentLogger()
  loggers.forComponent('chordkv-test:quiet').newScope('connection').newScope('stream')
  assert.equal(isatty.mock.callCount(), 0)
  enable('chordkv-test:loud')
  try {
    loggers.forComponent('chordkv-test:loud')
    assert.ok(isatty.mock.callCount() > 0, 'a logger that prints is libp2p\'s own, which checks the terminal')
  } finally {
    disable()
  }
})
