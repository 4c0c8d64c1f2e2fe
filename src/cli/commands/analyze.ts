import type { Command } from 'commander';

/** Placeholder: registers `esdlab analyze` once its issue lands. */
export function registerAnalyzeCommand(program: Command): void {
  void program;
}
