import { readFileSync } from 'node:fs'

/**
 * chordkv's version, read from the package.json that ships beside `dist/`
 * (in the repository, the npm package and the container image alike).
 */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version
