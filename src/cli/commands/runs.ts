import type { Command } from 'commander';

/** Placeholder: registers `esdlab runs` once its issue lands. */
export function registerRunsCommand(program: Command): void {
  void program;
}
