/**
 * Corpora: one command over thousands of recordings (`dstft batch`, issue 21).
 *
 * - `listInputs`: files, folders (`recursive`) and globs (`*`, `?`, `**`) → files sorted by their path relative to
 *   their input root (the folder given, or the part of a glob before its first wildcard).
 * - `wavDuration`: a WAV's duration from its header alone (a few hundred bytes read, never the samples).
 * - `shardInputs`: a deterministic share of the inputs, balanced by duration (greedy, longest first), that does not
 *   depend on the order the inputs were listed in.
 * - `runCorpus`: an async iterator over per-file results, computed by a pool of `jobs` worker threads, each of which
 *   builds its per-run state (registry, transform setup) once and then takes file after file. At most `jobs` files
 *   are in flight; results are yielded as they finish and never collected here, so memory stays at about
 *   `jobs` × (the largest decoded file and its transform), whatever the corpus size.
 * - A manifest (JSON lines, one per finished file: the input's size and mtime, the output files' SHA-256, the
 *   result) makes a rerun skip what is done and still verified, and redo the rest.
 * - `summaryCsv`, `mergeSummaries`: the summary table, and shard summaries joined with a check that every input
 *   appears exactly once.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { ParameterError, type AbortSignalLike } from '@dstft/core';
import { removeJournaled, setOutputJournal, type OutputJournalEntry } from './output.js';

/** One input file: its absolute path and its path relative to its input root (the key of summaries and shards). */
export interface CorpusInput {
  path: string;
  rel: string;
}

/** One row of the summary: what happened to one file. */
export interface CorpusResult {
  /** The input, relative to its input root (`/` separators). */
  file: string;
  /** ok: processed now; skipped: done by an earlier run (manifest) and verified; failed: `error` says why. */
  status: 'ok' | 'failed' | 'skipped';
  durationSec: number | null;
  sampleRate: number | null;
  /** The window length found (optimize, grid, track --optimize constant) or used (spectrogram); null for maps. */
  theta: number | null;
  lossBefore: number | null;
  lossAfter: number | null;
  /** Wall time of this file's work (for a skipped file: of the run that did it). */
  timeMs: number;
  error?: string;
  /** The files written for this input, relative to the output folder. */
  outputs?: string[];
}

const GLOB_CHARS = /[*?[]/;

function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        // `**/` matches zero or more folders
        const slash = pattern[i + 2] === '/';
        re += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i);
      if (end < 0) re += '\\[';
      else {
        re += `[${pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function walk(dir: string, recursive: boolean, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (recursive) walk(p, recursive, out);
    } else if (e.isFile()) out.push(p);
  }
}

const toPosix = (p: string) => p.split(sep).join('/');

/**
 * The files named by `patterns` (files, folders, globs), sorted by path relative to their root, without
 * duplicates. Folders give their files with one of `extensions` (default `.wav`; `recursive` descends into
 * subfolders); globs match relative to the part before their first wildcard (`data/**\/*.wav`). A name that
 * matches nothing is a `ParameterError` naming it.
 */
export function listInputs(patterns: readonly string[], { recursive = false, extensions = ['.wav'], cwd = process.cwd() }: { recursive?: boolean; extensions?: readonly string[]; cwd?: string } = {}): CorpusInput[] {
  const seen = new Map<string, CorpusInput>();
  const wanted = (p: string) => extensions.some((x) => p.toLowerCase().endsWith(x));
  for (const pattern of patterns) {
    // resolve('') is the current folder: an empty name (an unset shell variable, say) must not mean "everything here"
    if (typeof pattern !== 'string' || pattern.trim() === '') {
      throw new ParameterError('inputs', pattern, 'is an empty name', 'name a file, a folder or a glob ("." for the current folder)');
    }
    const abs = isAbsolute(pattern) ? pattern : resolve(cwd, pattern);
    const found: CorpusInput[] = [];
    if (GLOB_CHARS.test(pattern)) {
      const parts = toPosix(abs).split('/');
      const first = parts.findIndex((s) => GLOB_CHARS.test(s));
      const root = parts.slice(0, first).join('/') || '/';
      const rest = parts.slice(first).join('/');
      const re = globToRegExp(rest);
      const files: string[] = [];
      if (existsSync(root)) walk(root, rest.includes('**') || rest.includes('/'), files);
      for (const f of files) {
        const rel = toPosix(relative(root, f));
        if (re.test(rel)) found.push({ path: f, rel });
      }
    } else if (existsSync(abs) && statSync(abs).isDirectory()) {
      const files: string[] = [];
      walk(abs, recursive, files);
      for (const f of files) if (wanted(f)) found.push({ path: f, rel: toPosix(relative(abs, f)) });
    } else if (existsSync(abs)) {
      found.push({ path: abs, rel: basename(abs) });
    }
    if (found.length === 0) {
      throw new ParameterError('inputs', pattern, 'no such file, or no matching file', existsSync(abs) ? `the folder holds no ${extensions.join(' / ')} file${recursive ? '' : ' at its top level: add --recursive to include subfolders'}` : 'check the name (globs: quote them so the shell passes them as written)');
    }
    for (const f of found) if (!seen.has(f.path)) seen.set(f.path, f);
  }
  const list = [...seen.values()].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : a.path < b.path ? -1 : 1));
  const byRel = new Map<string, string>();
  for (const f of list) {
    const other = byRel.get(f.rel);
    if (other) throw new ParameterError('inputs', f.rel, `two inputs have the same path relative to their roots (${other} and ${f.path}), so their outputs would collide`, 'pass their common parent folder (with --recursive) instead');
    byRel.set(f.rel, f.path);
  }
  return list;
}

/**
 * The duration in seconds of a WAV file from its header alone (RIFF chunks walked with small reads), or null when
 * it is not a readable WAV header (a malformed file: the run reports it when it decodes it).
 */
export function wavDuration(path: string): number | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const head = Buffer.alloc(12);
    if (readSync(fd, head, 0, 12, 0) < 12 || head.toString('latin1', 0, 4) !== 'RIFF' || head.toString('latin1', 8, 12) !== 'WAVE') return null;
    const size = statSync(path).size;
    let pos = 12;
    let byteRate = 0;
    const chunk = Buffer.alloc(24);
    while (pos + 8 <= size) {
      const n = readSync(fd, chunk, 0, 24, pos);
      if (n < 8) return null;
      const id = chunk.toString('latin1', 0, 4);
      const len = chunk.readUInt32LE(4);
      if (id === 'fmt ' && n >= 24) byteRate = chunk.readUInt32LE(16);
      if (id === 'data') return byteRate > 0 ? Math.min(len, size - pos - 8) / byteRate : null;
      pos += 8 + len + (len & 1);
    }
    return null;
  } finally {
    closeSync(fd);
  }
}

/** `"i/n"` with 1 ≤ i ≤ n (1-based, as Slurm array indices usually are) → `{ index: i − 1, count: n }`. */
export function parseShard(text: string, option = '--shard'): { index: number; count: number } {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const i = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || n < 1 || i < 1 || i > n) {
    throw new ParameterError(option, text, 'a shard is i/n with 1 ≤ i ≤ n (1-based)', `e.g. ${option} 1/4 … ${option} 4/4; from a 0-based index k (Kubernetes JOB_COMPLETION_INDEX), pass $((k+1))/n`);
  }
  return { index: i - 1, count: n };
}

/**
 * Shard `index` (0-based) of `count`: inputs sorted by duration (longest first, then by `rel`), each given to the
 * shard with the least total duration so far (ties: the lowest index). Deterministic and independent of the input
 * order; every input lands in exactly one shard. `duration` defaults to the WAV header's (0 when unreadable).
 */
export function shardInputs<T extends CorpusInput>(inputs: readonly T[], { index, count }: { index: number; count: number }, duration: (input: T) => number = (f) => wavDuration(f.path) ?? 0): T[] {
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 0 || index >= count) {
    throw new ParameterError('shard', `${index}/${count}`, 'the index must be an integer in [0, count)', 'pass { index: i − 1, count: n } for shard i of n');
  }
  const items = inputs.map((f) => ({ f, d: duration(f) })).sort((a, b) => b.d - a.d || (a.f.rel < b.f.rel ? -1 : a.f.rel > b.f.rel ? 1 : 0));
  const load = new Float64Array(count);
  const mine: T[] = [];
  for (const { f, d } of items) {
    let best = 0;
    for (let s = 1; s < count; s++) if (load[s]! < load[best]!) best = s;
    load[best] = load[best]! + d;
    if (best === index) mine.push(f);
  }
  return mine.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/** One manifest line: a finished file. */
export interface ManifestEntry {
  file: string;
  input: { size: number; mtimeMs: number };
  /** Output files relative to the output folder, with their SHA-256. */
  outputs: { path: string; sha256: string }[];
  /** The options the file was processed with (a key: a rerun with other options redoes it). */
  key: string;
  result: CorpusResult;
}

/** The SHA-256 of a file's contents, as lowercase hex (the batch manifest's output checksums). */
export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The manifest's entries by file (the last line of a file wins; a torn last line is ignored). */
export function readManifest(path: string): Map<string, ManifestEntry> {
  const map = new Map<string, ManifestEntry>();
  if (!existsSync(path)) return map;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as ManifestEntry;
      if (typeof e.file === 'string') map.set(e.file, e);
    } catch {
      /* a line cut by a crash: that file is redone */
    }
  }
  return map;
}

/** Whether `entry` still describes `input` and its outputs under `outDir` (sizes, mtimes and hashes). */
export function verifyEntry(entry: ManifestEntry | undefined, input: CorpusInput, outDir: string, key: string): boolean {
  if (!entry || entry.key !== key || entry.result.status !== 'ok') return false;
  try {
    const st = statSync(input.path);
    if (st.size !== entry.input.size || st.mtimeMs !== entry.input.mtimeMs) return false;
    return entry.outputs.every((o) => existsSync(join(outDir, o.path)) && sha256File(join(outDir, o.path)) === o.sha256);
  } catch {
    return false;
  }
}

/** What a worker's handler receives for one file. */
export interface CorpusJob {
  /** The input's absolute path. */
  path: string;
  /** Its path relative to its input root. */
  rel: string;
  /** Where this file's outputs go (`outDir`/`rel` without its extension), or null without an output folder. */
  out: string | null;
  /** Overwrite outputs (the run's `force`, or a file being redone). */
  force: boolean;
}

/** What a handler returns: the measured values (the runner adds `file`, `status`, `timeMs`, `outputs`). */
export type CorpusValues = Pick<CorpusResult, 'durationSec' | 'sampleRate' | 'theta' | 'lossBefore' | 'lossAfter'>;

/** A worker's per-file function, built once per worker and option set by the setup function given to `serveCorpus`. */
export type CorpusHandler = (job: CorpusJob, signal: AbortSignalLike) => Promise<CorpusValues> | CorpusValues;

/**
 * Options of {@link runCorpus}: the worker module and its options, parallel jobs, abort, the shard of the inputs, the
 * output folder and manifest (to resume), the options key, force and fail-fast.
 */
export interface RunCorpusOptions {
  /** The worker module: it calls `serveCorpus(setup)`. */
  worker: URL;
  /** Passed once to each worker's setup (plain data). */
  options: unknown;
  /** Worker threads (default `os.availableParallelism()`); at most this many files are in flight. */
  jobs?: number;
  /** Stops the run: files in flight are abandoned (their partial outputs removed) and the iterator ends. */
  signal?: AbortSignalLike;
  /** Only this shard of the inputs (0-based index). */
  shard?: { index: number; count: number };
  /** The output folder: per-file outputs under `outDir/<rel without extension>/`. */
  outDir?: string;
  /** The manifest (JSON lines); default `outDir/manifest.jsonl` when `outDir` is given. */
  manifest?: string;
  /** Identifies the option set: a manifest line written with another key does not count as done. */
  key?: string;
  /** Redo every file and overwrite its outputs. */
  force?: boolean;
  /** Stop after the first failed file (the iterator ends after yielding it). */
  failFast?: boolean;
}

interface FromWorker {
  type: 'ready' | 'result' | 'journal' | 'setup-failed';
  id?: number;
  values?: CorpusValues;
  error?: string;
  entry?: OutputJournalEntry;
}

/** The output folder of one input: `outDir/<rel without extension>`. */
export function outputFor(outDir: string, rel: string): string {
  return join(outDir, rel.replace(/\.[^./]*$/, ''));
}

/**
 * Runs the worker module's handler on every input (or on this shard's share), `jobs` at a time, and yields one
 * result per input as it finishes (a file done by an earlier run and verified through the manifest is yielded at
 * once as `skipped`). A file whose handler throws, or whose worker dies (out of memory), is a `failed` result with
 * the message; the run goes on with a fresh worker unless `failFast`. When `signal` aborts, the workers are
 * terminated at once, the partial outputs of the files in flight are removed, and the iterator returns: the
 * manifest lists exactly the files finished.
 */
export async function* runCorpus(inputs: readonly CorpusInput[], opts: RunCorpusOptions): AsyncGenerator<CorpusResult, void, undefined> {
  const jobs = opts.jobs ?? availableParallelism();
  if (!Number.isInteger(jobs) || jobs < 1) throw new ParameterError('jobs', jobs, 'must be a positive integer', 'pass --jobs 1 or more (default: the number of cores)');
  const list = opts.shard ? shardInputs(inputs, opts.shard) : [...inputs];
  const outDir = opts.outDir ? resolve(opts.outDir) : null;
  const manifestPath = opts.manifest ?? (outDir ? join(outDir, 'manifest.jsonl') : null);
  const done = manifestPath ? readManifest(manifestPath) : new Map<string, ManifestEntry>();
  const key = opts.key ?? JSON.stringify(opts.options ?? null);
  const signal = opts.signal;

  const queue: CorpusInput[] = [];
  for (const f of list) {
    if (signal?.aborted) return;
    if (!opts.force && outDir && verifyEntry(done.get(f.rel), f, outDir, key)) {
      yield { ...done.get(f.rel)!.result, status: 'skipped' };
    } else queue.push(f);
  }
  done.clear();
  if (queue.length === 0) return;

  // the pool
  interface Slot {
    worker: Worker;
    job: { id: number; input: CorpusInput; start: number; journal: OutputJournalEntry[] } | null;
    ready: boolean;
  }
  const results: CorpusResult[] = [];
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  let next = 0;
  let nextId = 0;
  let setupError: string | null = null;
  const slots: Slot[] = [];

  const finishJob = (slot: Slot, values: CorpusValues | null, error: string | undefined) => {
    const job = slot.job;
    if (!job) return;
    slot.job = null;
    const timeMs = Math.round(performance.now() - job.start);
    const empty: CorpusValues = { durationSec: null, sampleRate: null, theta: null, lossBefore: null, lossAfter: null };
    if (error !== undefined) {
      removeJournaled(job.journal); // what the failed file had written
      results.push({ file: job.input.rel, status: 'failed', ...empty, ...(values ?? {}), timeMs, error });
    } else {
      const outFiles = [...new Set(job.journal.filter((e) => e.kind === 'file').map((e) => e.path))];
      const outputs = outDir ? outFiles.map((p) => ({ path: toPosix(relative(outDir, p)), sha256: sha256File(p) })) : [];
      const result: CorpusResult = { file: job.input.rel, status: 'ok', ...empty, ...values, timeMs, outputs: outputs.map((o) => o.path) };
      if (manifestPath) {
        const st = statSync(job.input.path);
        const entry: ManifestEntry = { file: job.input.rel, input: { size: st.size, mtimeMs: st.mtimeMs }, outputs, key, result };
        appendFileSync(manifestPath, `${JSON.stringify(entry)}\n`);
      }
      results.push(result);
    }
    notify();
  };

  const spawn = (): Slot => {
    const worker = new Worker(opts.worker, { workerData: { corpusOptions: opts.options } });
    const slot: Slot = { worker, job: null, ready: false };
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'ready') {
        slot.ready = true;
        notify();
      } else if (m.type === 'setup-failed') {
        setupError = m.error ?? 'the worker setup failed';
        notify();
      } else if (m.type === 'journal' && m.entry && slot.job) slot.job.journal.push(m.entry);
      else if (m.type === 'result' && slot.job && m.id === slot.job.id) finishJob(slot, m.values ?? null, m.error);
    });
    const died = (why: string) => {
      if (!slot.ready && !slot.job) {
        // it never got ready: its module or setup is broken, and a fresh worker would be too
        setupError ??= `the corpus worker stopped before it was ready: ${why}`;
        notify();
        return;
      }
      if (slot.job) finishJob(slot, null, why);
      const k = slots.indexOf(slot);
      if (k >= 0) slots[k] = spawn(); // a fresh worker for the next file
      notify();
    };
    worker.on('error', (e) => died(`the worker stopped: ${e.message} (a file too large for the memory? see --jobs)`));
    worker.on('exit', (code) => {
      if (!stopping) died(`the worker exited with code ${code} (out of memory? run fewer --jobs)`);
    });
    return slot;
  };
  let stopping = false;
  for (let k = 0; k < Math.min(jobs, queue.length); k++) slots.push(spawn());

  const stop = async () => {
    stopping = true;
    await Promise.all(slots.map((s) => s.worker.terminate()));
    for (const s of slots) if (s.job) removeJournaled(s.job.journal);
  };
  let failed = false;
  let outstanding = queue.length;
  try {
    while (outstanding > 0) {
      if (signal?.aborted) return;
      if (setupError) throw new Error(setupError);
      while (results.length > 0) {
        const r = results.shift()!;
        outstanding--;
        yield r;
        if (r.status === 'failed' && opts.failFast) failed = true;
        if (signal?.aborted || failed) return;
      }
      for (const s of slots) {
        if (s.ready && !s.job && next < queue.length) {
          const input = queue[next++]!;
          s.job = { id: nextId++, input, start: performance.now(), journal: [] };
          const out = outDir ? outputFor(outDir, input.rel) : null;
          s.worker.postMessage({ type: 'job', id: s.job.id, job: { path: input.path, rel: input.rel, out, force: Boolean(opts.force) || (out !== null && existsSync(out) && readdirSync(out).length > 0 && ownedPartial(out)) } satisfies CorpusJob & Record<string, unknown> });
        }
      }
      if (outstanding === 0) break;
      if (results.length === 0) {
        // wait for a message, and poll the signal (an AbortSignalLike has no event)
        await new Promise<void>((r) => {
          wake = r;
          const t = setTimeout(notify, 50);
          t.unref?.();
        });
      }
    }
  } finally {
    await stop();
  }
}

/**
 * A per-file output folder left by an interrupted or crashed run of ours holds only what our commands write (and
 * their temporary files); anything else there is the user's and is never overwritten without --force.
 */
function ownedPartial(dir: string): boolean {
  return readdirSync(dir).every((n) => /\.(png|json|csv|dstft)$/i.test(n) || /\.tmp-\d+$/.test(n));
}

/**
 * In a worker module started by `runCorpus`: builds the handler once (`setup(options)`: load plugins, build the
 * registry and transforms) and runs it on every file the pool sends. Outputs written with this package's
 * functions are journaled to the pool, which removes them if the file fails or the run is interrupted.
 */
export function serveCorpus(setup: (options: unknown) => Promise<CorpusHandler> | CorpusHandler): void {
  const port = parentPort;
  if (!port) throw new Error('serveCorpus: not in a worker thread started by runCorpus');
  setOutputJournal((entry) => port.postMessage({ type: 'journal', entry } satisfies FromWorker));
  const never: AbortSignalLike = { aborted: false };
  void (async () => {
    let handler: CorpusHandler;
    try {
      handler = await setup((workerData as { corpusOptions: unknown }).corpusOptions);
    } catch (e) {
      port.postMessage({ type: 'setup-failed', error: e instanceof Error ? e.message : String(e) } satisfies FromWorker);
      return;
    }
    port.on('message', (m: { type: 'job'; id: number; job: CorpusJob }) => {
      void (async () => {
        try {
          const values = await handler(m.job, never);
          port.postMessage({ type: 'result', id: m.id, values } satisfies FromWorker);
        } catch (e) {
          port.postMessage({ type: 'result', id: m.id, error: oneLineMessage(e) } satisfies FromWorker);
        }
      })();
    });
    port.postMessage({ type: 'ready' } satisfies FromWorker);
  })();
}

function oneLineMessage(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ').trim();
}

/** The summary columns, in order. */
export const SUMMARY_COLUMNS = ['file', 'duration_s', 'sample_rate', 'theta', 'loss_before', 'loss_after', 'time_ms', 'status', 'error'] as const;

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The summary as CSV (RFC 4180 quoting), one row per result, in the order given. */
export function summaryCsv(rows: readonly CorpusResult[]): string {
  const lines = [SUMMARY_COLUMNS.join(',')];
  for (const r of rows) lines.push([r.file, r.durationSec, r.sampleRate, r.theta, r.lossBefore, r.lossAfter, r.timeMs, r.status, r.error ?? ''].map(csvCell).join(','));
  return `${lines.join('\n')}\n`;
}

/** The summary document (`summary.json`). */
export interface CorpusSummary {
  format: 'dstft-batch-summary';
  version: 1;
  command: string;
  shard: { index: number; count: number } | null;
  /** Every input of the whole run (all shards), relative to its root: what `mergeSummaries` checks against. */
  inputs?: string[];
  counts: { ok: number; skipped: number; failed: number; total: number };
  rows: CorpusResult[];
}

/** Builds the batch run's `summary.json` document from its results: counts by status and the rows sorted by file. */
export function summarize(command: string, rows: CorpusResult[], shard: { index: number; count: number } | null, inputs?: string[]): CorpusSummary {
  const count = (s: CorpusResult['status']) => rows.filter((r) => r.status === s).length;
  const sorted = [...rows].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { format: 'dstft-batch-summary', version: 1, command, shard, ...(inputs ? { inputs } : {}), counts: { ok: count('ok'), skipped: count('skipped'), failed: count('failed'), total: rows.length }, rows: sorted };
}

/**
 * Joins shard summaries. Every file must appear in exactly one of them, and, when the summaries list the run's
 * inputs, every input must appear: otherwise a `ParameterError` listing the missing and duplicated files.
 */
export function mergeSummaries(summaries: readonly { path: string; summary: CorpusSummary }[]): CorpusSummary {
  if (summaries.length === 0) throw new ParameterError('summaries', [], 'nothing to merge', 'pass the summary.json of every shard');
  const where = new Map<string, string[]>();
  const rows: CorpusResult[] = [];
  const expected = new Set<string>();
  const commands = new Set<string>();
  for (const { path, summary } of summaries) {
    if (summary.format !== 'dstft-batch-summary') throw new ParameterError('summaries', path, 'not a summary.json of `dstft batch`', 'pass the summary.json files the shards wrote in their --out folders');
    commands.add(summary.command);
    for (const f of summary.inputs ?? []) expected.add(f);
    for (const r of summary.rows) {
      const list = where.get(r.file) ?? [];
      list.push(path);
      where.set(r.file, list);
      if (list.length === 1) rows.push(r);
    }
  }
  if (commands.size > 1) throw new ParameterError('summaries', [...commands], 'the summaries come from different commands', 'merge the shards of one run');
  const duplicates = [...where].filter(([, l]) => l.length > 1);
  const missing = [...expected].filter((f) => !where.has(f)).sort();
  if (duplicates.length || missing.length) {
    const parts: string[] = [];
    if (missing.length) parts.push(`${missing.length} missing (${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''})`);
    if (duplicates.length) parts.push(`${duplicates.length} duplicated (${duplicates.slice(0, 10).map(([f, l]) => `${f} in ${l.join(' and ')}`).join('; ')}${duplicates.length > 10 ? '; …' : ''})`);
    throw new ParameterError('summaries', summaries.map((s) => s.path), `every input must appear in exactly one shard: ${parts.join(', ')}`, 'rerun the shards that are missing files (same command, same --shard i/n), and merge one summary per shard');
  }
  return summarize([...commands][0]!, rows, null, expected.size ? [...expected].sort() : undefined);
}

