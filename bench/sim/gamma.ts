/**
 * Quantiles of the Gamma distribution with integer shape a and mean 1
 * (scale 1/a): the share of the ring a node holds when it owns a arcs,
 * each an exponential gap (chord-correctness §2.2). For integer shape the
 * CDF has a closed form, F(x) = 1 − e^(−ax)·Σ_{k<a} (ax)^k / k!, so a
 * bisection finds any quantile.
 */
export function gammaQuantile (a: number, q: number): number {
  let lo = 0
  let hi = 100
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2
    if (gammaCdf(a, mid) < q) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}

export function gammaCdf (a: number, x: number): number {
  const ax = a * x
  let term = 1
  let sum = 1
  for (let k = 1; k < a; k++) {
    term *= ax / k
    sum += term
  }
  return 1 - Math.exp(-ax) * sum
}
