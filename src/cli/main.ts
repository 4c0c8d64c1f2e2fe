/**
 * The esdlab command. It only assembles subcommands (one file each in commands/) and reports
 * errors in one place; every command calls library functions for the work.
 */
import { Command, CommanderError } from 'commander';
import { handleError } from './handleError.js';
import { registerRunCommand } from './commands/run.js';
import { registerBenchCommand } from './commands/bench.js';
import { registerAnalyzeCommand } from './commands/analyze.js';
import { registerSweepCommand } from './commands/sweep.js';
import { registerRunsCommand } from './commands/runs.js';
import { registerWorkerCommand } from './commands/worker.js';
import { registerQueueCommand } from './commands/queue.js';
import { registerDoctorCommand } from './commands/doctor.js';

const program = new Command();
program
  .name('esdlab')
  .description('Spectral analysis of neural-network weights: from spikes to heavy tails.')
  .option('--debug', 'print stack traces of errors')
  .showHelpAfterError()
  .exitOverride();

registerRunCommand(program);
registerBenchCommand(program);
registerAnalyzeCommand(program);
registerSweepCommand(program);
registerRunsCommand(program);
registerWorkerCommand(program);
registerQueueCommand(program);
registerDoctorCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // commander already printed its message; help and version exit 0
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    process.exitCode = handleError(error, Boolean(program.opts().debug));
  }
}
