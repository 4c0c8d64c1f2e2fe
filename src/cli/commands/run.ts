import type { Command } from 'commander';

/** Placeholder: registers `esdlab run` once its issue lands. */
export function registerRunCommand(program: Command): void {
  void program;
}
