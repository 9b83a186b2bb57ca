import type { Command } from 'commander';
import type { Context } from '../context.js';

/**
 * One CLI command, in its own file under src/commands/, listed once in src/commands/index.ts. The program
 * (src/program.ts) adds the global flags (--json, --quiet, --verbose, --force, --plugin, --config), the help text
 * with the examples, error handling and exit codes.
 */
export interface CommandSpec {
  readonly name: string;
  /** Positional arguments in commander syntax, e.g. '<input>' or '[input]'. */
  readonly args?: string;
  readonly summary: string;
  /** Shown under --help: each example is `[command line, what it does]`. */
  readonly examples: readonly (readonly [string, string])[];
  /** Extra help text after the examples (formats, notes). */
  readonly notes?: string;
  /** Adds the command's options. */
  define(cmd: Command): Command;
  /** Runs the command. `args` are the positional arguments, `opts` the parsed options. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- commander's parsed options, validated by each command
  run(ctx: Context, args: (string | undefined)[], opts: Record<string, any>): Promise<void>;
}
