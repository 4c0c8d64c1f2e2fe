/**
 * The esdlab command. It only assembles subcommands (one file each in commands/) and reports
 * errors in one place; every command calls library functions for the work.
 *
 * Only the command named on the command line is loaded (all of them for help or an unknown
 * command): each command module pulls in its own stack (vega for reports, SQLite, protobuf for
 * ONNX, ...), and loading all of them cost every command about 0.3 s before it started.
 */
import { Command, CommanderError } from 'commander';
import { handleError } from './handleError.js';

type Register = (program: Command) => void;

/** The subcommands, in the order help lists them. */
const COMMANDS: Record<string, () => Promise<Register>> = {
  run: async () => (await import('./commands/run.js')).registerRunCommand,
  bench: async () => (await import('./commands/bench.js')).registerBenchCommand,
  analyze: async () => (await import('./commands/analyze.js')).registerAnalyzeCommand,
  sweep: async () => (await import('./commands/sweep.js')).registerSweepCommand,
  runs: async () => (await import('./commands/runs.js')).registerRunsCommand,
  doctor: async () => (await import('./commands/doctor.js')).registerDoctorCommand,
  worker: async () => (await import('./commands/worker.js')).registerWorkerCommand,
  queue: async () => (await import('./commands/queue.js')).registerQueueCommand,
};

const program = new Command();
program
  .name('esdlab')
  .description('Spectral analysis of neural-network weights: from spikes to heavy tails.')
  .option('--debug', 'print stack traces of errors')
  .showHelpAfterError()
  .exitOverride();

// the first argument that is not an option names the command (--debug, the only global option, takes no value)
const named = process.argv.slice(2).find((argument) => !argument.startsWith('-'));
const wanted = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);

try {
  for (const register of await Promise.all(wanted.map((name) => COMMANDS[name]!()))) register(program);
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // commander already printed its message; help and version exit 0
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    process.exitCode = handleError(error, Boolean(program.opts().debug));
  }
}
