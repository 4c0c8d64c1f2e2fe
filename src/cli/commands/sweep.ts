import type { Command } from 'commander';

/** Placeholder: registers `esdlab sweep` once its issue lands. */
export function registerSweepCommand(program: Command): void {
  void program;
}
