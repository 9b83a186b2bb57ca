/**
 * What every command receives: the global flags, the plugin registry (built-ins + `--plugin` packages), the
 * config file, a logger and a progress bar that behave as users expect (human lines on stdout, nothing but the
 * JSON result with `--json`, nothing at all with `--quiet`, a progress bar only when stdout is a terminal).
 */
import { throwIfAborted, type AbortSignalLike, type FrozenRegistry } from '@dstft/dstft';
import type { CliConfig } from './config.js';

export interface GlobalFlags {
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  force: boolean;
  plugin: string[];
  config?: string;
}

export interface Progress {
  /** Sets the done count (of `total`). */
  update(done: number, note?: string): void;
  /** Clears the bar. */
  done(): void;
}

export interface Context {
  readonly flags: GlobalFlags;
  readonly registry: FrozenRegistry;
  readonly config: CliConfig;
  /** A human-readable line on stdout (suppressed by --quiet and --json). */
  log(line: string): void;
  /** A detail line on stderr, only with --verbose. */
  debug(line: string): void;
  /** A progress bar on stderr when stdout and stderr are terminals (and not --quiet / --json); otherwise silent. */
  progress(label: string, total: number): Progress;
  /** The command's machine-readable result: printed as JSON on stdout with --json. */
  result(value: Record<string, unknown>): void;
  /** Turns true on Ctrl-C / SIGTERM: pass it as `signal` to every long library call. */
  readonly signal: AbortSignalLike;
  /** Where the output goes, as the process sees it (`dstft batch` draws its progress line by it). */
  readonly terminal: Terminal;
  /** Throws an AbortError when interrupted: call between units of work (chunks, candidates, iterations). */
  checkAborted(): void;
  /**
   * `checkAborted()`, then a turn of the event loop: the command runs in a worker thread, whose output (log lines,
   * the progress bar) reaches the terminal only when its event loop runs. Await it between units of work.
   */
  checkpoint(): Promise<void>;
}

/** Where the output goes, as the process (not the worker thread the command may run in) sees it. */
export interface Terminal {
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  columns: number | undefined;
}

export const NEVER_ABORTED: AbortSignalLike = { aborted: false };

export function processTerminal(): Terminal {
  return { stdoutIsTTY: Boolean(process.stdout.isTTY), stderrIsTTY: Boolean(process.stderr.isTTY), columns: process.stderr.columns };
}

const NO_PROGRESS: Progress = { update() {}, done() {} };

export function createContext(
  flags: GlobalFlags,
  registry: FrozenRegistry,
  config: CliConfig,
  { signal = NEVER_ABORTED, terminal = processTerminal() }: { signal?: AbortSignalLike; terminal?: Terminal } = {},
): Context {
  const human = !flags.quiet && !flags.json;
  const tty = terminal.stdoutIsTTY && terminal.stderrIsTTY && human;
  return {
    flags,
    registry,
    config,
    log(line) {
      if (human) process.stdout.write(`${line}\n`);
    },
    debug(line) {
      if (flags.verbose) process.stderr.write(`${line}\n`);
    },
    progress(label, total) {
      if (!tty) return NO_PROGRESS;
      const width = 28;
      let last = 0;
      const draw = (done: number, note = '') => {
        const frac = total > 0 ? Math.min(1, done / total) : 0;
        const full = Math.round(frac * width);
        const line = `${label} [${'#'.repeat(full)}${'-'.repeat(width - full)}] ${String(Math.round(frac * 100)).padStart(3)}% ${note}`;
        const cols = terminal.columns || 100;
        process.stderr.write(`\r${line.slice(0, cols - 1).padEnd(Math.min(cols - 1, line.length + 8))}`);
      };
      draw(0);
      return {
        update(done, note) {
          const now = Date.now();
          if (now - last < 80 && done < total) return;
          last = now;
          draw(done, note);
        },
        done() {
          process.stderr.write('\r\x1b[2K');
        },
      };
    },
    result(value) {
      if (flags.json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    signal,
    terminal,
    checkAborted() {
      throwIfAborted(signal, 'dstft');
    },
    async checkpoint() {
      throwIfAborted(signal, 'dstft');
      await new Promise((r) => setImmediate(r));
    },
  };
}
