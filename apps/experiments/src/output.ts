/**
 * Output folder of an experiment: created fresh (an existing non-empty folder is an error unless `force`), every
 * file written atomically (temporary file in the same folder, then rename), so a crash or Ctrl-C never leaves a
 * half-written result.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { encodePng, type Image } from '@dstft/plot';

export class OutputError extends Error {
  override name = 'OutputError';
}

export interface OutputDir {
  readonly path: string;
  /** Files written so far (relative names). */
  readonly files: string[];
  json(name: string, value: unknown): void;
  png(name: string, image: Image): void;
}

function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Opens `dir` for writing: creates it, or accepts an empty one; a non-empty folder needs `force`. */
export function openOutputDir(dir: string, { force = false }: { force?: boolean } = {}): OutputDir {
  const path = resolve(dir);
  if (existsSync(path)) {
    if (!statSync(path).isDirectory()) throw new OutputError(`${path}: exists and is not a folder. Fix: choose another --out path`);
    if (readdirSync(path).length > 0 && !force) {
      throw new OutputError(`${path}: folder is not empty, refusing to overwrite. Fix: choose another --out path, or pass --force`);
    }
  } else {
    try {
      mkdirSync(path, { recursive: true });
    } catch (e) {
      throw new OutputError(`${path}: cannot create the output folder (${(e as Error).message}). Fix: choose a writable --out path`);
    }
  }
  const files: string[] = [];
  return {
    path,
    files,
    json(name, value) {
      writeAtomic(join(path, name), `${JSON.stringify(value, null, 2)}\n`);
      files.push(name);
    },
    png(name, image) {
      writeAtomic(join(path, name), encodePng(image));
      files.push(name);
    },
  };
}

/** Rounds numbers for a readable JSON summary (keeps `digits` significant digits). */
export function round(value: number, digits = 6): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(digits));
}
