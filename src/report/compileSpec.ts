/**
 * Vega-Lite to Vega compilation with the warnings collected instead of printed (the CLI's
 * `--json` mode must keep stdout clean, and tests assert that specs compile without warnings).
 */
import type { LoggerInterface, Spec as VegaSpec } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { compile } from './vegaModules.js';
import type { VegaLiteSpec } from './types.js';

/** A compiled spec and what vega-lite complained about while compiling it. */
export interface CompiledSpec {
  vegaSpec: VegaSpec;
  warnings: string[];
}

/** A vega logger that appends warnings and errors to `messages` and prints nothing. */
export function collectingLogger(messages: string[]): LoggerInterface {
  let currentLevel = 2;
  const logger: LoggerInterface = {
    level(value?: number) {
      if (value === undefined) return currentLevel;
      currentLevel = value;
      return logger;
    },
    error(...args: unknown[]) {
      messages.push(`error: ${args.map(String).join(' ')}`);
      return logger;
    },
    warn(...args: unknown[]) {
      messages.push(`warning: ${args.map(String).join(' ')}`);
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  return logger;
}

/** Compiles a Vega-Lite spec to Vega; throws what vega-lite throws on an invalid spec. */
export function compileSpec(spec: VegaLiteSpec): CompiledSpec {
  const warnings: string[] = [];
  const result = compile(spec as unknown as TopLevelSpec, { logger: collectingLogger(warnings) });
  return { vegaSpec: result.spec, warnings };
}
