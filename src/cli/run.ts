import { ChordError } from '../errors.js'
import { NoPeerError } from '../control/client.js'
import { clientCommand, isClientCommand } from './client-commands.js'
import { demo } from './demo.js'
import { start } from './start.js'
import { EXIT, USAGE, UsageError } from './usage.js'

/** Runs one `chordkv` command line; resolves with the exit status. */
export async function run (argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv
  try {
    if (command === undefined) {
      process.stderr.write(USAGE)
      return EXIT.USAGE
    }
    if (command === 'help' || command === '--help' || command === '-h') {
      process.stdout.write(USAGE)
      return EXIT.OK
    }
    if (command === 'start') return await start(args)
    if (command === 'demo') return await demo(args)
    if (isClientCommand(command)) return await clientCommand(command, args)
    throw new UsageError(`unknown command "${command}"`)
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`chordkv: ${err.message}\nRun "chordkv --help" for usage.\n`)
      return EXIT.USAGE
    }
    if (err instanceof NoPeerError) {
      process.stderr.write(`chordkv: ${err.message}\n`)
      return EXIT.NO_PEER
    }
    process.stderr.write(`chordkv: ${err instanceof ChordError || err instanceof Error ? err.message : String(err)}\n`)
    return EXIT.FAILED
  }
}
