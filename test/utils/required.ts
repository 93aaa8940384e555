/**
 * Tests that need something of the machine (network namespaces, a Docker
 * engine) skip with one line where it is missing, and fail instead where
 * they must run: in CI (.ci/run exports CHORDKV_REQUIRE_ALL=1; CI=true
 * counts too), or where the machine offers what they need and it still
 * does not work.
 */
export const requireAll = process.env.CHORDKV_REQUIRE_ALL === '1' || process.env.CI === 'true'

/**
 * `false` to run; a one-line reason to skip when `what` is `unavailable`
 * here. Throws where the tests must run: `requireAll`, or `offered` (the
 * machine has what `what` needs, so its failing is a fault to report).
 */
export function skipUnlessAvailable (what: string, unavailable: string | undefined, offered: boolean): false | string {
  if (unavailable === undefined) return false
  if (requireAll) throw new Error(`${what} are required here (CHORDKV_REQUIRE_ALL=1 or CI=true) but unavailable: ${unavailable}`)
  if (offered) throw new Error(`${what} should work on this machine, which offers what they need, but do not: ${unavailable}`)
  return `no ${what} here: ${unavailable}`
}
