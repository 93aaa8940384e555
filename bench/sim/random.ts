/**
 * A seeded pseudo-random generator (xoshiro128**, 128 bits of state), so a
 * simulation run is the same every time for the same seed. Math.random
 * cannot be seeded; the simulator never uses it.
 */
export class Random {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor (seed: number) {
    // SplitMix32 spreads the seed over the four state words (all zero would stick).
    let s = seed >>> 0
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0
      let z = s
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      return (z ^ (z >>> 16)) >>> 0
    }
    this.a = next()
    this.b = next()
    this.c = next()
    this.d = next()
  }

  /** 32 random bits as an unsigned integer. */
  uint32 (): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0
    const t = this.b << 9
    this.c ^= this.a
    this.d ^= this.b
    this.b ^= this.c
    this.a ^= this.d
    this.c ^= t
    this.d = rotl(this.d, 11)
    return result
  }

  /** Uniform in [0, 1). */
  next (): number {
    return this.uint32() / 4294967296
  }

  /** Uniform in [min, max). */
  uniform (min: number, max: number): number {
    return min + (max - min) * this.next()
  }

  /** A uniform integer in [0, n). */
  int (n: number): number {
    return Math.floor(this.next() * n)
  }

  /** An exponentially distributed wait with the given rate (events per unit): the gaps of a Poisson process. */
  exponential (rate: number): number {
    return -Math.log(1 - this.next()) / rate
  }

  /** A uniform integer of `bits` bits (a multiple of 32), e.g. a ring identifier. */
  bigint (bits: number): bigint {
    let out = 0n
    for (let i = 0; i < bits; i += 32) out = (out << 32n) | BigInt(this.uint32())
    return out
  }

  /** `k` distinct indexes of [0, n), in random order (a partial Fisher–Yates shuffle). */
  sample (n: number, k: number): number[] {
    const picked = new Map<number, number>()
    const out: number[] = []
    for (let i = 0; i < k; i++) {
      const j = i + this.int(n - i)
      out.push(picked.get(j) ?? j)
      picked.set(j, picked.get(i) ?? i)
    }
    return out
  }

  /** A new generator seeded from this one: independent streams for independent parts of a run. */
  fork (): Random {
    return new Random(this.uint32())
  }
}

function rotl (x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0
}
