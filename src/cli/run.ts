import { VERSION } from '../version.js'
import { parseCommand, UsageError } from './args.js'
import { clientCommand } from './client-commands.js'
import { closestCommand, commandHelp, commandNamed, EXIT, usage } from './commands.js'

/**
 * Runs one `chordkv` command line; resolves with the exit status. `start`,
 * `demo` and `swarm-key` load libp2p on demand, so client commands start fast.
 */
export async function run (argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv
  try {
    if (command === undefined) {
      process.stderr.write(usage())
      return EXIT.USAGE
    }
    if (command === '--version' || command === '-V') return version()
    if (command === 'help' || command === '--help' || command === '-h') {
      const topic = args[0]
      if (topic === undefined || topic === 'help' || topic === '--help' || topic === '-h') {
        process.stdout.write(usage())
        return EXIT.OK
      }
      const spec = commandNamed(topic)
      if (spec === undefined) throw unknownCommand(topic)
      process.stdout.write(commandHelp(spec))
      return EXIT.OK
    }
    const spec = commandNamed(command)
    if (spec === undefined) throw unknownCommand(command)
    const parsed = parseCommand(spec, args)
    if (parsed.help) {
      process.stdout.write(commandHelp(spec))
      return EXIT.OK
    }
    switch (spec.name) {
      case 'start': return await (await import('./start.js')).start(parsed)
      case 'demo': return await (await import('./demo.js')).demo(parsed)
      case 'swarm-key': return await (await import('./swarm-key.js')).swarmKey(parsed)
      case 'version': return version()
      case 'watch': return await (await import('./watch-command.js')).watchCommand(parsed)
      default: return await clientCommand(spec, parsed)
    }
  } catch (err) {
    if (err instanceof UsageError) {
      const topic = command !== undefined && commandNamed(command) !== undefined ? `help ${command}` : '--help'
      process.stderr.write(`chordkv: ${err.message}\nRun "chordkv ${topic}" for usage.\n`)
      return EXIT.USAGE
    }
    process.stderr.write(`chordkv: ${err instanceof Error ? err.message : String(err)}\n`)
    return EXIT.FAILED
  }
}

function unknownCommand (name: string): UsageError {
  const meant = closestCommand(name)
  return new UsageError(`unknown command "${name}"${meant === undefined ? '' : `; did you mean "${meant}"?`}`)
}

function version (): number {
  process.stdout.write(`chordkv ${VERSION}\n`)
  return EXIT.OK
}
