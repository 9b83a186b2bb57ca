/**
 * `dstft batch <command> <inputs…>`: spectrogram | optimize | track | grid over a corpus (issue 21), on a pool of
 * worker threads (`runCorpus` of @dstft/node-io), with per-file outputs mirrored under --out, a summary
 * (summary.csv, summary.json), a manifest to resume, and shards; `dstft batch merge <summary.json…>` joins shards.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { Command } from 'commander';
import {
  freshOutputPath,
  listInputs,
  mergeSummaries,
  parseShard,
  runCorpus,
  shardInputs,
  summarize,
  summaryCsv,
  writeFileAtomic,
  checkOutputDir,
  type CorpusResult,
  type CorpusSummary,
} from '@dstft/node-io';
import { BATCH_COMMANDS, type BatchOptions } from '../batch/spec.js';
import type { Context } from '../context.js';
import { CliError, InputError, UsageError, asUsage } from '../errors.js';
import { numberArg } from '../options.js';
import { show } from './common.js';
import type { CommandSpec } from './types.js';

/** Parses the single-file command's options with that command's own parser (same flags, same checks). */
function parseCommandArgs(spec: CommandSpec, argv: string[]): { opts: Record<string, unknown>; inputs: string[] } {
  const sub = new Command(`batch ${spec.name}`);
  spec.define(sub);
  sub.argument('<inputs...>').exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} });
  let inputs: string[] = [];
  sub.action((files: string[]) => void (inputs = files));
  sub.parse(argv, { from: 'user' });
  const opts = sub.opts();
  if (opts['out'] !== undefined) throw new UsageError('-o/--out is the batch\'s output folder: give it once, to `dstft batch`. Fix: dstft batch <command> <inputs…> --out DIR');
  return { opts, inputs };
}

/** One progress line on stderr: a redrawn line on a terminal, plain lines (at most every 2 s) otherwise. */
function progressLine(ctx: Context, total: number) {
  const human = !ctx.flags.quiet && !ctx.flags.json;
  const tty = ctx.terminal.stderrIsTTY;
  const start = performance.now();
  let last = 0;
  return {
    update(done: number, failed: number, skipped: number, final = false) {
      if (!human) return;
      const now = performance.now();
      if (!final && now - last < (tty ? 200 : 2000)) return;
      last = now;
      const sec = (now - start) / 1000;
      const rate = sec > 0 ? (done - skipped) / sec : 0;
      const eta = rate > 0 ? (total - done) / rate : NaN;
      const line = `batch: ${done}/${total} files${failed ? `, ${failed} failed` : ''}${skipped ? `, ${skipped} skipped (done before)` : ''}, ${rate.toFixed(2)} files/s, ${final ? `${sec.toFixed(1)} s` : `ETA ${Number.isFinite(eta) ? `${Math.ceil(eta)} s` : '?'}`}`;
      process.stderr.write(tty ? `\r\x1b[2K${line}${final ? '\n' : ''}` : `${line}\n`);
    },
  };
}

async function merge(ctx: Context, files: string[], out: string | undefined): Promise<void> {
  if (files.length === 0) throw new UsageError('dstft batch merge: no summary given. Fix: dstft batch merge out-1/summary.json out-2/summary.json … --out merged');
  const summaries = files.map((path) => {
    let summary: CorpusSummary;
    try {
      summary = JSON.parse(readFileSync(path, 'utf8')) as CorpusSummary;
    } catch (e) {
      throw new InputError(path, `cannot read a summary.json (${(e as Error).message})`, 'pass the summary.json files the shards wrote in their --out folders');
    }
    return { path: show(path), summary };
  });
  const merged = mergeSummaries(summaries); // a ParameterError (exit 1) listing missing / duplicated files
  const dir = resolve(out ?? freshOutputPath('batch-merge'));
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(join(dir, 'summary.json'), `${JSON.stringify(merged, null, 2)}\n`, { force: ctx.flags.force });
  writeFileAtomic(join(dir, 'summary.csv'), summaryCsv(merged.rows), { force: ctx.flags.force });
  ctx.log(`merged ${files.length} summaries: ${merged.counts.total} files (${merged.counts.ok + merged.counts.skipped} done, ${merged.counts.failed} failed) → ${show(dir)}/summary.csv, summary.json`);
  ctx.result({ ok: true, command: 'batch merge', out: dir, counts: merged.counts });
}

export const batch: CommandSpec = {
  name: 'batch',
  args: '<command> [inputs...]',
  summary: 'run spectrogram | optimize | track | grid over many recordings (files, folders, globs) on worker threads, with a summary, resume and shards',
  examples: [
    ['dstft batch optimize recordings/ --recursive --out runs/opt', 'every WAV under recordings/ → runs/opt/<same path>/, summary.csv, summary.json'],
    ['dstft batch spectrogram "data/**/*.wav" --n-fft 512 --out specs --jobs 2', 'a glob (quoted), the command\'s own options, 2 worker threads'],
    ['dstft batch optimize recordings/ --out runs/opt', 'the same command again: skips what the manifest says is done, redoes the rest'],
    ['dstft batch optimize recordings/ --shard 3/8 --out runs/opt-3', 'shard 3 of 8 (1-based), balanced by duration'],
    ['dstft batch merge runs/opt-*/summary.json --out runs/opt', 'join the shards\' summaries; every input exactly once'],
  ],
  notes: `
<command> takes the same options as the single-file command (dstft <command> --help), except -o/--out, which
names the batch's folder: each input's outputs go to <out>/<its path relative to its input root, without the
extension>/. Inputs: WAV files, folders (their .wav files; --recursive for subfolders) and globs (*, ?, **).
A file that fails (malformed WAV, too long for the memory…) is a row with status "failed", and the run goes on
(--fail-fast stops). manifest.jsonl in --out records every finished file (input size and mtime, outputs' SHA-256):
rerunning the same command skips those still verified; --force redoes everything. Ctrl-C stops at once: the files
in flight are discarded, the manifest keeps the finished ones, exit code 130. Exit code 1 when a file failed.`,
  define(cmd) {
    return cmd
      .option('-o, --out <dir>', 'output folder (default ./dstft-out/batch-<command>-<time>): per-file outputs, summary.csv, summary.json, manifest.jsonl')
      .option('-j, --jobs <n>', `worker threads, i.e. files in flight (default: the number of cores, here ${availableParallelism()})`, numberArg('--jobs', { integer: true, min: 1 }))
      .option('-r, --recursive', 'folders: include the files of their subfolders')
      .option('--shard <i/n>', 'only shard i of n (1-based: 1/4 … 4/4), balanced by WAV duration, independent of the input order')
      .option('--fail-fast', 'stop at the first file that fails')
      .allowUnknownOption()
      .allowExcessArguments();
  },
  async run(ctx, args, opts) {
    const command = args[0]!;
    const rest = (args.slice(1) as unknown as (string | string[] | undefined)[]).flat().filter((a): a is string => typeof a === 'string');
    if (command === 'merge') return merge(ctx, rest, opts.out);
    const spec = BATCH_COMMANDS.find((c) => c.name === command);
    if (!spec) throw new UsageError(`batch: unknown command "${command}". Fix: one of ${BATCH_COMMANDS.map((c) => c.name).join(', ')}, or merge`);
    const { opts: commandOpts, inputs: patterns } = parseCommandArgs(spec, rest);
    const shard = opts.shard !== undefined ? asUsage(() => parseShard(String(opts.shard))) : undefined;
    const inputs = (() => {
      try {
        return listInputs(patterns, { recursive: Boolean(opts.recursive) });
      } catch (e) {
        const p = e as { value?: unknown; message: string; fix?: string };
        // the input names itself (a path or a glob); an empty one would print as nothing, so it is shown quoted
        const label = typeof p.value === 'string' && p.value.trim() !== '' ? p.value : `inputs ${JSON.stringify(p.value ?? null)}`;
        throw new InputError(label, p.message.replace(/^.*?: /, '').replace(/\. Fix: .*$/, ''), p.fix ?? 'check the inputs');
      }
    })();
    const out = resolve(opts.out ?? freshOutputPath(`batch-${command}`));
    // the folder is new, empty, or a previous batch's (its manifest): never a folder of the user's without --force
    if (existsSync(out) && readdirSync(out).length > 0 && !existsSync(join(out, 'manifest.jsonl')) && !ctx.flags.force) checkOutputDir(out, false);
    mkdirSync(out, { recursive: true });
    const jobs: number = opts.jobs ?? availableParallelism();
    const options: BatchOptions = { command, opts: commandOpts, flags: ctx.flags, jobs };
    ctx.log(`batch ${command}: ${inputs.length} inputs${shard ? `, shard ${shard.index + 1}/${shard.count}` : ''}, ${jobs} worker${jobs > 1 ? 's' : ''} → ${show(out)}/`);
    const rows: CorpusResult[] = [];
    let failed = 0;
    let skipped = 0;
    const total = shard ? shardInputs(inputs, shard).length : inputs.length;
    const p = progressLine(ctx, total);
    for await (const r of runCorpus(inputs, {
      worker: new URL('./batch-worker.js', import.meta.url),
      options,
      jobs,
      signal: ctx.signal,
      ...(shard ? { shard } : {}),
      outDir: out,
      key: JSON.stringify({ command, opts: commandOpts, config: ctx.flags.config ?? null, plugin: ctx.flags.plugin }),
      force: ctx.flags.force,
      failFast: Boolean(opts.failFast),
    })) {
      rows.push(r);
      if (r.status === 'failed') {
        failed++;
        ctx.debug(`${r.file}: ${r.error}`);
      }
      if (r.status === 'skipped') skipped++;
      p.update(rows.length, failed, skipped);
    }
    if (ctx.signal.aborted) {
      if (!ctx.flags.quiet && !ctx.flags.json) process.stderr.write(`${ctx.terminal.stderrIsTTY ? '\n' : ''}dstft batch: stopped after ${rows.length} of ${total} files; ${show(join(out, 'manifest.jsonl'))} lists the finished ones: rerun the same command to resume\n`);
      ctx.checkAborted();
    }
    p.update(rows.length, failed, skipped, true);
    const summary = summarize(command, rows, shard ?? null, inputs.map((f) => f.rel));
    writeFileAtomic(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`, { force: true });
    writeFileAtomic(join(out, 'summary.csv'), summaryCsv(summary.rows), { force: true });
    ctx.log(`${summary.counts.ok} done, ${summary.counts.skipped} skipped (done before), ${summary.counts.failed} failed → ${show(out)}/summary.csv, summary.json`);
    // with failures, --json prints the error document instead (stdout carries one JSON document)
    if (failed === 0) ctx.result({ ok: true, command: `batch ${command}`, out, counts: summary.counts, summary: join(out, 'summary.json') });
    if (failed > 0) {
      const first = rows.find((r) => r.status === 'failed')!;
      throw new CliError(`batch ${command}: ${failed} of ${total} files failed${opts.failFast ? ' (--fail-fast: stopped at the first)' : ''}, the first: ${first.file}. Fix: see the "error" column of ${show(join(out, 'summary.csv'))}`, 1, 'ERR_BATCH_FAILED');
    }
  },
};
