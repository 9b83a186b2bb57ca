/**
 * Writing results safely (used by `runExperiment` and by the `dstft` CLI for every file it writes).
 * - Never overwrite: an existing file (or a non-empty output folder) is an error unless `--force`.
 * - Atomic: every file is written to a temporary file in the same folder (`.<name>.tmp-<pid>`), then moved into
 *   place; without `--force` the move is a hard link (which fails if the name exists), so a file that appeared
 *   meanwhile is not clobbered either. A crash leaves at most a temporary file, never a half-written result.
 * - Interrupts: `cleanupAfterInterrupt()` removes EVERY output of this run (temporary files, the files already
 *   committed, and the folders it created once they are empty): an interrupted run leaves nothing half-done. The
 *   CLI and `npm run experiment` run their work in a worker thread (`./interrupt.ts`), whose outputs are reported
 *   to the main thread through `setOutputJournal`, so Ctrl-C is handled at once even during a long transform.
 * - A write that fails removes its temporary file and throws an `OutputError` naming the path.
 */
import { closeSync, existsSync, linkSync, mkdirSync, openSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, unlinkSync, writeSync, accessSync, constants } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { encodePng, type Image } from '@dstft/plot';

/**
 * An output cannot be written (it exists, its folder is not writable, the disk is full…). The message names the path,
 * the problem and the fix; `code` is 'ERR_OUTPUT' (the CLI exits with 1).
 */
export class OutputError extends Error {
  override name = 'OutputError';
  readonly code = 'ERR_OUTPUT';
  constructor(path: string, problem: string, fix: string) {
    super(`${path}: ${problem}. Fix: ${fix}`);
  }
}

const temps = new Set<string>();
const createdDirs: string[] = [];
const committed: string[] = [];
let handlersInstalled = false;

/** One change to the set of paths this run has written: what an interrupt has to remove. */
export interface OutputJournalEntry {
  kind: 'temp' | 'temp-gone' | 'file' | 'dir';
  path: string;
}
let journal: ((entry: OutputJournalEntry) => void) | null = null;

/** Reports every temporary file, committed file and created folder to `fn` (a worker thread tells its parent). */
export function setOutputJournal(fn: ((entry: OutputJournalEntry) => void) | null): void {
  journal = fn;
}

function addTemp(tmp: string): void {
  temps.add(tmp);
  journal?.({ kind: 'temp', path: tmp });
}

function dropTemp(tmp: string): void {
  temps.delete(tmp);
  journal?.({ kind: 'temp-gone', path: tmp });
}

/** Removes what a journal recorded: temporary and committed files, then the recorded folders that are empty. */
export function removeJournaled(entries: Iterable<OutputJournalEntry>): void {
  const files = new Set<string>();
  const dirs: string[] = [];
  for (const e of entries) {
    if (e.kind === 'temp' || e.kind === 'file') files.add(e.path);
    else if (e.kind === 'temp-gone') files.delete(e.path);
    else dirs.push(e.path);
  }
  for (const f of files) rmSync(f, { force: true });
  for (const d of dirs.reverse()) {
    try {
      if (readdirSync(d).length === 0) rmdirSync(d);
    } catch {
      /* already gone */
    }
  }
}

function cleanupPartial(): void {
  for (const t of temps) rmSync(t, { force: true });
  temps.clear();
  for (const d of createdDirs.slice().reverse()) {
    try {
      if (readdirSync(d).length === 0) rmdirSync(d);
    } catch {
      /* already gone */
    }
  }
}

/**
 * Removes every output of this run: temporary files, the files it committed, and the folders it created (when
 * empty). For an interrupted run, whose results would be incomplete.
 */
export function cleanupAfterInterrupt(): void {
  for (const f of committed) rmSync(f, { force: true });
  committed.length = 0;
  cleanupPartial();
}

/**
 * Installs SIGINT / SIGTERM handlers (once) that remove every output of this run and exit with 128 + the signal
 * number, and an exit hook that removes leftover temporary files. Only effective while the event loop runs: a
 * program whose work is long and synchronous runs it in a worker instead (`./interrupt.ts`).
 */
export function installSignalHandlers(onSignal: (signal: NodeJS.Signals) => void): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const handler = (signal: NodeJS.Signals) => {
    cleanupAfterInterrupt();
    onSignal(signal);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  process.on('exit', () => {
    for (const t of temps) rmSync(t, { force: true });
  });
}

/** Removes what a failed run left: temporary files, and the folders it created if they are still empty. */
export function cleanupAfterFailure(): void {
  cleanupPartial();
}

function tempFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
}

/** The closest existing ancestor of `path` (or `path` itself). */
function existingAncestor(path: string): string {
  let p = resolve(path);
  while (!existsSync(p)) {
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  return p;
}

/** Checks, before any work, that a file can be created at `path` (its folder exists or can be created; it does not exist, or force). */
export function checkOutputFile(path: string, force: boolean, option = '--out'): string {
  const abs = resolve(path);
  if (existsSync(abs)) {
    if (statSync(abs).isDirectory()) throw new OutputError(abs, 'is a folder, expected a file name', `give ${option} a file path`);
    if (!force) throw new OutputError(abs, 'exists already, refusing to overwrite', `choose another ${option} path, or pass --force`);
  }
  checkFolderCreatable(dirname(abs), option);
  return abs;
}

function checkFolderCreatable(dir: string, option: string): void {
  const anc = existingAncestor(dir);
  if (!statSync(anc).isDirectory()) {
    throw new OutputError(dir, `cannot be created: ${anc} is a file, not a folder`, `choose a writable ${option} path`);
  }
  try {
    accessSync(anc, constants.W_OK);
  } catch {
    throw new OutputError(dir, `cannot be written: ${anc} is not writable`, `choose a writable ${option} path`);
  }
}

function ensureDir(dir: string, option: string): void {
  if (existsSync(dir)) return;
  checkFolderCreatable(dir, option);
  // remember every level we create, so an interrupted or failed run can remove them again
  const missing: string[] = [];
  for (let p = dir; !existsSync(p); p = dirname(p)) missing.unshift(p);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new OutputError(dir, `cannot create the folder (${(e as Error).message})`, `choose a writable ${option} path`);
  }
  for (const m of missing) {
    createdDirs.push(m);
    journal?.({ kind: 'dir', path: m });
  }
}

function commit(tmp: string, path: string, force: boolean, option: string): void {
  try {
    if (force) {
      renameSync(tmp, path);
    } else {
      linkSync(tmp, path);
      unlinkSync(tmp);
    }
  } catch (e) {
    rmSync(tmp, { force: true });
    dropTemp(tmp);
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new OutputError(path, 'exists already, refusing to overwrite', `choose another ${option} path, or pass --force`);
    }
    throw new OutputError(path, `cannot be written (${(e as Error).message})`, `choose a writable ${option} path`);
  }
  committed.push(path);
  journal?.({ kind: 'file', path });
  dropTemp(tmp);
}

/** Writes `data` to `path` atomically (temporary file + move). Refuses an existing file unless `force`. */
export function writeFileAtomic(path: string, data: string | Uint8Array, { force = false, option = '--out' }: { force?: boolean; option?: string } = {}): void {
  const abs = resolve(path);
  ensureDir(dirname(abs), option);
  if (!force && existsSync(abs)) throw new OutputError(abs, 'exists already, refusing to overwrite', `choose another ${option} path, or pass --force`);
  const tmp = tempFor(abs);
  addTemp(tmp);
  let fd = -1;
  try {
    fd = openSync(tmp, 'w');
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, Math.min(1 << 24, bytes.length - off));
    closeSync(fd);
    fd = -1;
  } catch (e) {
    if (fd >= 0) closeSync(fd);
    rmSync(tmp, { force: true });
    dropTemp(tmp);
    throw new OutputError(abs, `cannot be written (${(e as Error).message})`, `choose a writable ${option} path with enough space`);
  }
  commit(tmp, abs, force, option);
}

/** A file written piece by piece into a temporary file, moved into place by `commit()`. */
export interface AtomicStream {
  readonly path: string;
  write(chunk: string | Uint8Array): void;
  commit(): void;
  abort(): void;
}

/**
 * Opens a file to be written piece by piece into a temporary file and moved into place on `commit()`; refuses to
 * overwrite an existing file unless `force` (`option` names the CLI flag in errors).
 */
export function openAtomicStream(path: string, { force = false, option = '--out' }: { force?: boolean; option?: string } = {}): AtomicStream {
  const abs = resolve(path);
  ensureDir(dirname(abs), option);
  if (!force && existsSync(abs)) throw new OutputError(abs, 'exists already, refusing to overwrite', `choose another ${option} path, or pass --force`);
  const tmp = tempFor(abs);
  addTemp(tmp);
  let fd: number;
  try {
    fd = openSync(tmp, 'w');
  } catch (e) {
    dropTemp(tmp);
    throw new OutputError(abs, `cannot be written (${(e as Error).message})`, `choose a writable ${option} path`);
  }
  let open = true;
  const close = () => {
    if (open) closeSync(fd);
    open = false;
  };
  return {
    path: abs,
    write(chunk) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      let off = 0;
      try {
        while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      } catch (e) {
        close();
        rmSync(tmp, { force: true });
        dropTemp(tmp);
        throw new OutputError(abs, `cannot be written (${(e as Error).message})`, `choose a writable ${option} path with enough space`);
      }
    },
    commit() {
      close();
      commit(tmp, abs, force, option);
    },
    abort() {
      close();
      rmSync(tmp, { force: true });
      dropTemp(tmp);
    },
  };
}

/** A fresh output folder: created, or an existing empty one; a non-empty folder needs `force`. */
export interface OutputDir {
  readonly path: string;
  /** Files written so far, relative to `path`. */
  readonly files: string[];
  json(name: string, value: unknown): string;
  png(name: string, image: Image): string;
  bytes(name: string, data: Uint8Array | string): string;
  stream(name: string): AtomicStream;
}

/** Checks an output folder before any work (exists and non-empty without force, or cannot be created: error). */
export function checkOutputDir(dir: string, force: boolean, option = '--out'): string {
  const path = resolve(dir);
  if (existsSync(path)) {
    if (!statSync(path).isDirectory()) throw new OutputError(path, 'exists and is not a folder', `choose another ${option} path`);
    if (readdirSync(path).length > 0 && !force) {
      throw new OutputError(path, 'folder is not empty, refusing to overwrite', `choose another ${option} path, or pass --force`);
    }
    try {
      accessSync(path, constants.W_OK);
    } catch {
      throw new OutputError(path, 'folder is not writable', `choose a writable ${option} path`);
    }
  } else {
    checkFolderCreatable(path, option);
  }
  return path;
}

/**
 * Opens an output folder (new or empty, unless `force`) whose files are each written atomically and removed again if
 * the run is interrupted.
 */
export function openOutputDir(dir: string, { force = false, option = '--out' }: { force?: boolean; option?: string } = {}): OutputDir {
  const path = checkOutputDir(dir, force, option);
  ensureDir(path, option);
  const files: string[] = [];
  const add = (name: string) => {
    files.push(name);
    return join(path, name);
  };
  return {
    path,
    files,
    json(name, value) {
      writeFileAtomic(join(path, name), `${JSON.stringify(value, null, 2)}\n`, { force, option });
      return add(name);
    },
    png(name, image) {
      writeFileAtomic(join(path, name), encodePng(image), { force, option });
      return add(name);
    },
    bytes(name, data) {
      writeFileAtomic(join(path, name), data, { force, option });
      return add(name);
    },
    stream(name) {
      const s = openAtomicStream(join(path, name), { force, option });
      return {
        path: s.path,
        write: s.write,
        abort: s.abort,
        commit() {
          s.commit();
          add(name);
        },
      };
    },
  };
}

/** `./dstft-out/<command>-<YYYYMMDD-HHMMSS>` (with `-2`, `-3`… if taken): a folder that does not exist yet. */
export function freshOutputPath(command: string, base = 'dstft-out', now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  const root = resolve(base, `${command}-${stamp}`);
  let path = root;
  for (let k = 2; existsSync(path); k++) path = `${root}-${k}`;
  return path;
}

/** Rounds numbers for a readable JSON summary (keeps `digits` significant digits). */
export function round(value: number, digits = 6): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(digits));
}
