/**
 * @dstft/cli: the `dstft` command. The bin is `dist/cli.js`; this entry exposes the same program for embedding
 * and tests: `run(argv)` returns the exit code.
 */
export { run, VERSION } from './program.js';
export { COMMANDS } from './commands/index.js';
export type { CommandSpec } from './commands/types.js';
export { readTransformFile, encodeTransformFile, type TransformHeader } from './io/transform-file.js';
export { CliError, UsageError, InputError, OutputError } from './errors.js';
