/**
 * The `dstft` program: commander wiring, global flags, plugins, config, errors and exit codes
 * (0 success, 2 usage error, 1 failure, 130 interrupted).
 */
import { Command, CommanderError, Option } from 'commander';
import { createDefaultRegistry, isAbortError, type AbortSignalLike } from '@dstft/dstft';
import { COMMANDS } from './commands/index.js';
import type { CommandSpec } from './commands/types.js';
import { loadConfig } from './config.js';
import { createContext, type GlobalFlags, type Terminal } from './context.js';
import { describeError, oneLine } from './errors.js';
import { cleanupAfterFailure, cleanupAfterInterrupt } from '@dstft/node-io';
import { loadPlugins } from './plugins.js';
import { collect } from './options.js';

import { VERSION } from './version.js';

export { VERSION };

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

function examplesText(spec: CommandSpec): string {
  const width = Math.max(...spec.examples.map(([c]) => c.length));
  const lines = spec.examples.map(([c, what]) => `  $ ${c.padEnd(width)}  # ${what}`);
  return `\nExamples:\n${lines.join('\n')}\n${spec.notes ? `\n${spec.notes.trim()}\n` : ''}`;
}

export function buildProgram(io: Io, onRun: (spec: CommandSpec, args: (string | undefined)[], opts: Record<string, unknown>, flags: GlobalFlags) => Promise<void>): Command {
  const program = new Command('dstft');
  program
    .description('The differentiable short-time Fourier transform: sharper spectrograms of your recordings, and the window lengths that made them.')
    .version(VERSION, '-V, --version')
    .addOption(new Option('--json', 'print a machine-readable JSON result on stdout (and nothing else)'))
    .addOption(new Option('-q, --quiet', 'print nothing but errors; no progress bar'))
    .addOption(new Option('--verbose', 'details on stderr; stack traces on errors'))
    .addOption(new Option('-f, --force', 'overwrite existing output files / write into a non-empty output folder'))
    .addOption(new Option('--plugin <package>', 'load a plugin package (its default export goes to the registry); repeatable').argParser(collect))
    .addOption(new Option('--config <file.json>', 'settings as the umbrella package\'s plain options: {"nFft": 2048, ...} or {"transform": {...}, "optimize": {...}}'))
    .showHelpAfterError(false)
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .configureOutput({ writeOut: io.out, writeErr: io.err, outputError: () => {} })
    .exitOverride()
    .addHelpText(
      'after',
      `
Examples:
  $ dstft optimize                          # the main job on the built-in example signal → ./dstft-out/optimize-<time>/
  $ dstft optimize my.wav                   # an entropy-optimal window length for your recording
  $ dstft spectrogram my.wav -o my.png      # a spectrogram with given parameters
  $ dstft <command> --help                  # options and examples of one command

Exit codes: 0 success, 2 usage error (bad command line), 1 failure (input, output, computation), 130 interrupted.`,
    );
  for (const spec of COMMANDS) {
    const cmd = program.command(spec.args ? `${spec.name} ${spec.args}` : spec.name).description(spec.summary);
    spec.define(cmd);
    cmd.addHelpText('after', examplesText(spec));
    cmd.configureOutput({ writeOut: io.out, writeErr: io.err, outputError: () => {} }).exitOverride();
    cmd.action(async (...a: unknown[]) => {
      const command = a[a.length - 1] as Command;
      const opts = a[a.length - 2] as Record<string, unknown>;
      const args = a.slice(0, -2) as (string | undefined)[];
      const g = command.optsWithGlobals() as Record<string, unknown>;
      const flags: GlobalFlags = {
        json: Boolean(g['json']),
        quiet: Boolean(g['quiet']),
        verbose: Boolean(g['verbose']),
        force: Boolean(g['force']),
        plugin: (g['plugin'] as string[] | undefined) ?? [],
        ...(typeof g['config'] === 'string' ? { config: g['config'] } : {}),
      };
      await onRun(spec, args, opts, flags);
    });
  }
  return program;
}

export interface RunOptions {
  /** Stops the command (exit code 130, every output of the run removed); `dstft` wires it to Ctrl-C. */
  signal?: AbortSignalLike & { readonly signalName?: NodeJS.Signals | null };
  /** The terminal as the process sees it (a worker thread's own streams are never TTYs). */
  terminal?: Terminal;
}

/** The message and exit code of an interrupted run (SIGINT 130, SIGTERM 143). */
export function interruptedMessage(signalName: NodeJS.Signals | null | undefined): { exitCode: number; message: string } {
  const name = signalName ?? 'SIGINT';
  return { exitCode: name === 'SIGTERM' ? 143 : 130, message: `interrupted by ${name}; partial outputs removed` };
}

/**
 * Runs the CLI on `argv` (without the node and script entries) in this thread. Returns the exit code. The `dstft`
 * binary runs it in a worker thread (./cli-worker.ts) so that Ctrl-C is handled at once (./cli.ts).
 */
export async function run(argv: readonly string[], io: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }, options: RunOptions = {}): Promise<number> {
  const verbose = argv.includes('--verbose');
  const json = argv.includes('--json');
  // with --json, commander's own output (help, version) is wrapped in JSON too: stdout is always one JSON document
  let captured = '';
  const programIo: Io = json ? { out: (s) => void (captured += s), err: io.err } : io;
  const program = buildProgram(programIo, async (spec, args, opts, flags) => {
    const registry = createDefaultRegistry();
    const loaded = await loadPlugins(flags.plugin, registry);
    // the float32 backend ships with the CLI; its WebAssembly loads only when asked for
    if ((opts['fft'] === 'pffft' || spec.name === 'plugins') && !registry.has('fft', 'pffft')) registry.use(await (await import('@dstft/fft-pffft')).loadPffftPlugin());
    const config = loadConfig(flags.config);
    const ctx = createContext(flags, registry.freeze(), config, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.terminal ? { terminal: options.terminal } : {}),
    });
    for (const l of loaded) ctx.debug(`plugin ${l.package}: ${l.added.join(', ') || '(nothing new)'}`);
    await spec.run(ctx, args, opts);
    // a loop that stopped early on the signal (stopReason 'aborted') must not count as a finished run
    ctx.checkAborted();
  });
  if (argv.length === 0) {
    io.out(program.helpInformation());
    return 0;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') {
        if (json) io.out(`${JSON.stringify({ ok: true, command: e.code === 'commander.version' ? 'version' : 'help', text: captured })}\n`);
        return 0;
      }
      // commander's own message, on one line, with a pointer to the help
      const msg = oneLine(e.message.replace(/^error:\s*/i, ''));
      const sub = argv.find((a) => COMMANDS.some((c) => c.name === a));
      io.err(`dstft: ${msg} (see: dstft ${sub ? `${sub} ` : ''}--help)\n`);
      if (json) io.out(`${JSON.stringify({ ok: false, error: { code: 'ERR_USAGE', exitCode: 2, message: msg } })}\n`);
      return 2;
    }
    if (isAbortError(e) || options.signal?.aborted) {
      cleanupAfterInterrupt();
      const { exitCode, message } = interruptedMessage(options.signal?.signalName);
      io.err(`dstft: ${message}\n`);
      if (json) io.out(`${JSON.stringify({ ok: false, error: { code: 'ERR_INTERRUPTED', exitCode, message } })}\n`);
      return exitCode;
    }
    cleanupAfterFailure();
    const { exitCode, message, code } = describeError(e);
    io.err(`dstft: ${message}\n`);
    if (verbose && e instanceof Error && e.stack) io.err(`${e.stack}\n`);
    if (json) io.out(`${JSON.stringify({ ok: false, error: { code, exitCode, message } })}\n`);
    return exitCode;
  }
}
