/**
 * Errors of the CLI and how they map to exit codes: 2 for a wrong command line (unknown command or option, a
 * missing argument, an option value that is not valid, including DSTFT options the library rejects and unknown
 * plugin ids), 1 for everything else (unreadable or malformed input files, outputs that cannot be written, a
 * failed computation). Every message is one line; `--verbose` adds the stack.
 */
import { DstftError, ParameterError, UnknownPluginError } from '@dstft/dstft';
import { OutputError } from '@dstft/experiments';

export class CliError extends Error {
  readonly exitCode: 1 | 2;
  readonly code: string;
  constructor(message: string, exitCode: 1 | 2, code: string) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.code = code;
  }
}

/** The command line is wrong: exit code 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2, 'ERR_USAGE');
  }
}

/** An input file cannot be used: exit code 1. The message names the file. */
export class InputError extends CliError {
  constructor(file: string, problem: string, fix: string) {
    super(`${file}: ${problem}. Fix: ${fix}`, 1, 'ERR_INPUT');
  }
}

/**
 * An output cannot be written (exists, not writable): exit code 1. The class is @dstft/experiments' (its safe-output
 * module writes every file of the CLI too), re-exported here.
 */
export { OutputError };

/**
 * Runs `fn`, turning the library's complaints about option values into usage errors (exit 2): a ParameterError
 * raised while building a transform from command-line options is a wrong command line, not a failure.
 */
export function asUsage<T>(fn: () => T, context?: string): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ParameterError || e instanceof UnknownPluginError) {
      throw new UsageError(context ? `${context}: ${e.message}` : e.message);
    }
    throw e;
  }
}

/** One line: the message with its line breaks folded. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** Exit code and one-line message for any thrown value. */
export function describeError(e: unknown): { exitCode: 1 | 2; message: string; code: string } {
  if (e instanceof CliError) return { exitCode: e.exitCode, message: oneLine(e.message), code: e.code };
  if (e instanceof OutputError) return { exitCode: 1, message: oneLine(e.message), code: e.code };
  if (e instanceof UnknownPluginError) return { exitCode: 2, message: oneLine(e.message), code: e.code };
  if (e instanceof DstftError) return { exitCode: 1, message: oneLine(e.message), code: e.code };
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return { exitCode: 1, message: oneLine(e.message), code: typeof code === 'string' ? code : 'ERR_INTERNAL' };
  }
  return { exitCode: 1, message: oneLine(String(e)), code: 'ERR_INTERNAL' };
}
