import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OutputError, checkOutputFile, freshOutputPath, openAtomicStream, openOutputDir, round, writeFileAtomic } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'dstft-out-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The error `fn` throws (fails the test if it returns). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('safe output', () => {
  it('writes a file atomically, refuses to replace it without force, replaces it with force, leaves no temporary file', () => {
    const dir = join(root, 'a', 'b'); // missing folders are created
    const file = join(dir, 'x.txt');
    writeFileAtomic(file, 'first');
    expect(readFileSync(file, 'utf8')).toBe('first');
    const e = thrown(() => writeFileAtomic(file, 'second'));
    expect(e).toBeInstanceOf(OutputError);
    expect((e as OutputError).code).toBe('ERR_OUTPUT');
    expect(e.message).toBe(`${file}: exists already, refusing to overwrite. Fix: choose another --out path, or pass --force`);
    expect(readFileSync(file, 'utf8')).toBe('first');
    writeFileAtomic(file, 'second', { force: true });
    expect(readFileSync(file, 'utf8')).toBe('second');
    expect(readdirSync(dir)).toEqual(['x.txt']);
  });

  it('checks an output file before any work: existing file, a folder, a parent that is a file', () => {
    const file = join(root, 'exists.txt');
    writeFileSync(file, 'keep');
    expect(thrown(() => checkOutputFile(file, false, '--png')).message).toMatch(/exists already, refusing to overwrite\. Fix: choose another --png path, or pass --force$/);
    expect(checkOutputFile(file, true)).toBe(file);
    expect(thrown(() => checkOutputFile(root, true)).message).toMatch(/is a folder, expected a file name/);
    expect(thrown(() => checkOutputFile(join(file, 'inside.txt'), false)).message).toMatch(/cannot be created: .*exists\.txt is a file, not a folder/);
    expect(readFileSync(file, 'utf8')).toBe('keep');
  });

  it('an output folder: new or empty, a non-empty one only with force; files are listed as written', () => {
    const path = join(root, 'run');
    const dir = openOutputDir(path);
    expect(dir.json('s.json', { a: 1 })).toBe(join(path, 's.json'));
    expect(JSON.parse(readFileSync(join(path, 's.json'), 'utf8'))).toEqual({ a: 1 });
    dir.bytes('b.bin', Uint8Array.of(1, 2, 3));
    expect(dir.files).toEqual(['s.json', 'b.bin']);
    expect(thrown(() => openOutputDir(path)).message).toMatch(/folder is not empty, refusing to overwrite\. Fix: .*--force/);
    // with force the folder is accepted, and its files may be replaced
    const again = openOutputDir(path, { force: true });
    again.json('s.json', { a: 2 });
    expect(JSON.parse(readFileSync(join(path, 's.json'), 'utf8'))).toEqual({ a: 2 });
    const notDir = join(root, 'plain-file');
    writeFileSync(notDir, '');
    expect(thrown(() => openOutputDir(notDir)).message).toMatch(/exists and is not a folder/);
  });

  it('a stream is invisible until commit, and abort leaves nothing', () => {
    const dir = join(root, 'stream');
    mkdirSync(dir);
    const s = openAtomicStream(join(dir, 'big.csv'));
    s.write('a,b\n');
    s.write(Uint8Array.of(0x31, 0x2c, 0x32, 0x0a));
    expect(existsSync(join(dir, 'big.csv'))).toBe(false);
    s.commit();
    expect(readFileSync(join(dir, 'big.csv'), 'utf8')).toBe('a,b\n1,2\n');
    const t = openAtomicStream(join(dir, 'dropped.csv'));
    t.write('x');
    t.abort();
    expect(readdirSync(dir)).toEqual(['big.csv']);
  });

  it('freshOutputPath names a folder that does not exist yet', () => {
    const now = new Date(2026, 10, 22, 8, 5, 9);
    const first = freshOutputPath('grid', root, now);
    expect(first).toBe(join(root, 'grid-20261122-080509'));
    mkdirSync(first);
    expect(freshOutputPath('grid', root, now)).toBe(`${first}-2`);
  });

  it('round keeps significant digits and passes 0 and non-finite values through', () => {
    expect(round(1.23456789, 3)).toBe(1.23);
    expect(round(0)).toBe(0);
    expect(round(Number.NaN)).toBeNaN();
    expect(round(-1234567.89)).toBe(-1234570);
  });
});
