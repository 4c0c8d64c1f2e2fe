import type { Command } from 'commander';

/** Placeholder: registers `esdlab bench` once its issue lands. */
export function registerBenchCommand(program: Command): void {
  void program;
}
