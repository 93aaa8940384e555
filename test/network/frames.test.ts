import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { encodeFrame, FrameDecoder, FrameError } from '../../src/network/frames.js'
import type { Uint8ArrayList } from 'uint8arraylist'

const MAX = 2 * 1024 * 1024

/** Pushes each chunk in turn; returns the frames' bytes, or the FrameError thrown. */
function decode (chunks: readonly Uint8Array[], max = MAX): { frames: number[][], error?: FrameError, buffered: number } {
  const decoder = new FrameDecoder(max)
  const frames: number[][] = []
  try {
    for (const chunk of chunks) for (const frame of decoder.push(chunk)) frames.push([...frame.subarray()])
  } catch (err) {
    assert.ok(err instanceof FrameError, `expected a FrameError, got ${String(err)}`)
    return { frames, error: err, buffered: decoder.buffered }
  }
  return { frames, buffered: decoder.buffered }
}

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b)
const flat = (list: Uint8ArrayList): Uint8Array => list.subarray()

test('length prefixes that can never be valid are refused as soon as their bytes show it', () => {
  // encodingLength(2 MiB) is 4 bytes: a fifth continuation byte, or a value over the limit, is refused at once.
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['9-byte varint', bytes(...Array(8).fill(0xff), 0x01), /over the limit|longer than 4 bytes/],
    ['10-byte varint', bytes(...Array(9).fill(0x80), 0x01), /longer than 4 bytes/],
    ['11-byte varint', bytes(...Array(10).fill(0x81), 0x00), /over the limit|longer than 4 bytes/],
    ['16 continuation bytes', bytes(...Array(16).fill(0x80)), /longer than 4 bytes/],
    ['5 continuation bytes, no end', bytes(0x80, 0x80, 0x80, 0x80, 0x80), /longer than 4 bytes/],
    ['one byte over the limit', varintOf(MAX + 1), /over the limit of 2097152/],
    ['2^32', varintOf(2 ** 32), /over the limit|longer than 4 bytes/],
    ['not minimally encoded', bytes(0x81, 0x00, 0x2a), /not minimally encoded/],
    ['zero length', bytes(0x00, 0x08, 0x01), /empty frame/]
  ]
  for (const [name, prefix, pattern] of cases) {
    const { frames, error } = decode([prefix])
    assert.equal(frames.length, 0, name)
    assert.match(error?.message ?? '(nothing thrown)', pattern, name)
  }
})

test('a refused prefix is found whichever way the bytes are split', () => {
  const prefix = bytes(...Array(16).fill(0x80))
  const { error } = decode([...prefix].map(b => bytes(b)))
  assert.match(error?.message ?? '', /longer than 4 bytes/)
})

test('a prefix at the limit is waited on, and a frame of exactly the limit passes', () => {
  const payload = new Uint8Array(MAX).fill(7)
  const frame = encodeFrame(payload).subarray()
  const head = decode([frame.subarray(0, 100)])
  assert.equal(head.error, undefined)
  assert.equal(head.frames.length, 0)
  assert.equal(head.buffered, 100)
  const decoder = new FrameDecoder(MAX)
  const out = [...decoder.push(frame.subarray(0, 4)), ...decoder.push(frame.subarray(4))]
  assert.equal(out.length, 1)
  assert.equal(out[0]?.byteLength, MAX)
  assert.equal(decoder.buffered, 0)
})

test('an incomplete frame stays buffered and is counted', () => {
  const decoder = new FrameDecoder(MAX)
  const frame = encodeFrame(new Uint8Array(300).fill(1)).subarray()
  assert.equal([...decoder.push(frame.subarray(0, 1))].length, 0)
  assert.equal(decoder.buffered, 1)
  assert.equal([...decoder.push(frame.subarray(1, 200))].length, 0)
  assert.equal(decoder.buffered, 200)
  const [done] = [...decoder.push(frame.subarray(200))]
  assert.equal(done?.byteLength, 300)
  assert.equal(decoder.buffered, 0)
})

test('a buffer beyond a frame and a chunk is refused', () => {
  const decoder = new FrameDecoder(1024, 4096)
  const prefix = varintOf(1000)
  assert.throws(() => [...decoder.push(new Uint8Array([...prefix, ...new Uint8Array(8000)]))], FrameError)
})

test('any sequence of frames, cut into any chunks, decodes to the same frames with nothing left over', () => {
  const frame = fc.uint8Array({ minLength: 1, maxLength: 600 })
  fc.assert(fc.property(fc.array(frame, { maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 20 }), (frames, cuts) => {
    const stream = Uint8Array.from(frames.flatMap(f => [...flat(encodeFrame(f))]))
    const chunks: Uint8Array[] = []
    let at = 0
    for (let i = 0; at < stream.length; i++) {
      const size = cuts[i % cuts.length] as number
      chunks.push(stream.subarray(at, at + size))
      at += size
    }
    const { frames: out, error, buffered } = decode(chunks, 1024)
    assert.equal(error, undefined)
    assert.deepEqual(out, frames.map(f => [...f]))
    assert.equal(buffered, 0)
  }), { seed: 11, numRuns: 300 })
})

test('random bytes either decode into frames under the limit or throw a FrameError: never anything else, never a wait on a bad prefix', () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), input => {
    const { frames, error, buffered } = decode([input], 1000)
    for (const f of frames) assert.ok(f.length >= 1 && f.length <= 1000)
    // Whatever is left waiting starts with a prefix that can still be valid: at most 2 bytes (encodingLength(1000)).
    if (error === undefined && buffered > 0) {
      const rest = input.subarray(input.length - buffered)
      const prefixBytes = rest.findIndex(b => b < 0x80)
      assert.ok(prefixBytes === -1 ? rest.length <= 2 : prefixBytes < 2, `waiting on ${Buffer.from(rest.subarray(0, 4)).toString('hex')}`)
    }
  }), { seed: 11, numRuns: 2000 })
})

/** The minimal varint of n (any size). */
function varintOf (n: number): Uint8Array {
  const out: number[] = []
  let v = n
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80)
    v = Math.floor(v / 0x80)
  }
  out.push(v)
  return Uint8Array.from(out)
}
