import { readFileSync } from 'node:fs'
import { packageFile } from './package-files.js'

/**
 * chordkv's version, read from the package.json that ships beside `dist/`
 * (in the repository, the npm package and the container image alike).
 */
export const VERSION: string = (JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string }).version
