/**
 * Errors of the CLI and how they map to exit codes: 2 for a wrong command line (unknown command or option, a
 * missing argument, an option value that is not valid, including DSTFT options the library rejects and unknown
 * plugin ids), 1 for everything else (unreadable or malformed input files, outputs that cannot be written, a
 * failed computation). Every message is one line; `--verbose` adds the stack.
 */
import { DstftError, ParameterError, UnknownPluginError } from '@dstft/dstft';
import { describeValue } from '@dstft/core';
import { OutputError } from '@dstft/node-io';

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
 * An output cannot be written (exists, not writable): exit code 1. The class is @dstft/node-io's (its safe-output
 * module writes every file of the CLI), re-exported here.
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
      const message = cliMessage(e);
      // a message that names a flag needs no "options:" prefix
      throw new UsageError(context && !/^-/.test(message) ? `${context}: ${message}` : message);
    }
    throw e;
  }
}

/**
 * The CLI flag of a library parameter (the `parameter` of a ParameterError): the libraries name their options as
 * an API user writes them (`nFft`, `theta`, `options.hop`), the CLI user typed `--n-fft`, `--theta`, `--hop`.
 */
export const PARAMETER_FLAGS: Readonly<Record<string, string>> = {
  nFft: '--n-fft',
  n: '--n-fft', // the kernel's FFT size
  hop: '--hop',
  hops: '--hop',
  theta: '--theta',
  thetaMin: '--theta-min',
  thetaMax: '--theta-max',
  thetas: '--from / --to / --step',
  window: '--window',
  windowParams: '--window-params',
  normalization: '--normalization',
  power: '--power',
  fft: '--fft',
  windowMode: '--mode',
  positionsMode: '--positions',
  positions: '--positions',
  loss: '--loss',
  shannon: '--loss-options',
  renyi: '--loss-options',
  optimizer: '--optimizer',
  lr: '--lr',
  maxIterations: '--iterations',
  scan: '--scan',
  starts: '--starts',
  order: '--order',
  band: '--band',
  jumpPenalty: '--jump-penalty',
  maxJump: '--max-jump',
  duration: '--duration',
  snrDb: '--snr',
  seed: '--seed',
  sampleRate: '--sample-rate',
  channels: '--channel',
  signalLength: 'the input',
  signal: 'the input',
  x: 'the input',
  length: 'the input',
};

/** `options.hop` → `--hop`, `theta.rows` → `--theta`, `sgd.momentum` → `--optimizer-options`; undefined when unknown. */
export function flagOf(parameter: string): string | undefined {
  const parts = parameter.replace(/\[.*?\]/g, '').split('.');
  if (parts[0] === 'options' || parts[0] === 'minimize') parts.shift();
  if (parts.length === 0) return undefined;
  if (['sgd', 'adam', 'lbfgs'].includes(parts[0]!)) return '--optimizer-options';
  return PARAMETER_FLAGS[parts[0]!];
}

/** The flag that names a plugin of each kind. */
const KIND_FLAGS: Readonly<Record<string, string>> = { window: '--window', loss: '--loss', regularizer: '--regularizer', optimizer: '--optimizer' };

/** Library wording meant for API users, as a CLI user reads it. */
const FIX_PHRASES: readonly [RegExp, string][] = [
  [/,? ?or register the plugin with registry\.use\(plugin\) before building the transform/g, ', or load the package that provides it with --plugin <package> (see `dstft plugins`)'],
  [/,? or pass \{ ?allowTruncated: true ?\} to decode the (\d+) whole frames present/g, ' (it holds only $1 whole sample frames: it was cut short; copy or export it again)'],
  [/pass \{ ?allowTruncated: true ?\}[^.;]*/g, 'copy or export the complete file again'],
  [/split the signal into shorter frames/g, 'use --n-fft ≤ 67108864 (2^26)'],
  [/drop the transform's sampleRate/g, 'pass the recording the transform was computed from'],
  [/register the backend's plugin \(kind "fft"\) in the registry you pass, or drop options\.fft for the exact float64 FFT/g, 'use --fft fftjs (exact, the default) or --fft pffft, or load a backend package with --plugin <package> (see `dstft plugins --kind fft`)'],
];

/** Whole-word option names of the libraries in a fix, as flags (`use nFft ≥ 2` → `use --n-fft ≥ 2`). */
const WORDS = ['nFft', 'thetaMin', 'thetaMax', 'theta', 'hop', 'windowMode', 'positionsMode', 'normalization', 'maxIterations', 'jumpPenalty', 'maxJump', 'snrDb', 'windowParams'];

/** Looks like code rather than a flag or a file: `f()`, `obj.method(`, `{ key: value }`. */
export function mentionsApi(text: string): boolean {
  return /\b[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*\([^)]*\)|\{\s*[A-Za-z_$][\w$]*\s*[:,]/.test(text.replace(/\(e\.g\.[^)]*\)/g, ''));
}

function translateWords(text: string): string {
  let out = text;
  for (const w of WORDS) out = out.replace(new RegExp(`(?<![\\w"'-])${w}(?![\\w("'])`, 'g'), PARAMETER_FLAGS[w] ?? w); // quoted: a config file's key
  return out;
}

/** A library fix in CLI terms: phrases, then option names, then (if code is still named) a pointer to --help. */
export function translateFix(fix: string, command?: string): string {
  let out = fix;
  for (const [re, to] of FIX_PHRASES) out = out.replace(re, to);
  out = translateWords(out);
  if (mentionsApi(out)) out = `see \`dstft ${command ? `${command} ` : ''}--help\` for the options`;
  return out.trim();
}

/**
 * The one-line message of a library error as the CLI prints it: a ParameterError's parameter as the flag
 * (`n = 100000000: must be ≤ 67108864` → `--n-fft = 100000000: …`), its fix through translateFix; other
 * DstftErrors keep their text with the fix translated.
 */
export function cliMessage(e: Error): string {
  if (e instanceof UnknownPluginError) {
    const flag = KIND_FLAGS[e.kind];
    const head = `${e.kind} id = ${JSON.stringify(e.id)}: `;
    if (flag && e.message.startsWith(head)) return cliMessage(new Error(`${flag} = ${JSON.stringify(e.id)}: ${e.message.slice(head.length)}`));
  }
  if (e instanceof ParameterError) {
    const head = `${e.parameter} = ${describeValue(e.value)}: `;
    const tail = `. Fix: ${e.fix}`;
    const problem = e.message.startsWith(head) && e.message.endsWith(tail) ? e.message.slice(head.length, e.message.length - tail.length) : null;
    const flag = flagOf(e.parameter);
    if (problem !== null) return `${flag ?? e.parameter} = ${describeValue(e.value)}: ${translateWords(problem)}. Fix: ${translateFix(e.fix)}`;
  }
  const k = e.message.indexOf('. Fix: ');
  if (k < 0) return e.message;
  return `${e.message.slice(0, k)}. Fix: ${translateFix(e.message.slice(k + 7))}`;
}

/** One line: the message with its line breaks folded. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** Exit code and one-line message for any thrown value. */
export function describeError(e: unknown): { exitCode: 1 | 2; message: string; code: string } {
  if (e instanceof CliError) return { exitCode: e.exitCode, message: oneLine(e.message), code: e.code };
  if (e instanceof OutputError) return { exitCode: 1, message: oneLine(e.message), code: e.code };
  if (e instanceof UnknownPluginError) return { exitCode: 2, message: oneLine(cliMessage(e)), code: e.code };
  if (e instanceof DstftError) return { exitCode: 1, message: oneLine(cliMessage(e)), code: e.code };
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return { exitCode: 1, message: oneLine(e.message), code: typeof code === 'string' ? code : 'ERR_INTERNAL' };
  }
  return { exitCode: 1, message: oneLine(String(e)), code: 'ERR_INTERNAL' };
}
