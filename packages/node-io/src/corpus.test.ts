import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { listInputs, mergeSummaries, parseShard, readManifest, runCorpus, shardInputs, summarize, summaryCsv, wavDuration, type CorpusResult } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'dstft-corpus-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A minimal PCM 16-bit mono WAV header + `n` zero samples (with an extra LIST chunk before data). */
function wav(n: number, rate: number): Buffer {
  const list = Buffer.from('LIST\x04\x00\x00\x00INFO', 'latin1');
  const fmt = Buffer.alloc(24);
  fmt.write('fmt ', 0, 'latin1');
  fmt.writeUInt32LE(16, 4);
  fmt.writeUInt16LE(1, 8);
  fmt.writeUInt16LE(1, 10);
  fmt.writeUInt32LE(rate, 12);
  fmt.writeUInt32LE(rate * 2, 16);
  fmt.writeUInt16LE(2, 20);
  fmt.writeUInt16LE(16, 22);
  const data = Buffer.alloc(8 + 2 * n);
  data.write('data', 0, 'latin1');
  data.writeUInt32LE(2 * n, 4);
  const body = Buffer.concat([Buffer.from('WAVE', 'latin1'), fmt, list, data]);
  const head = Buffer.alloc(8);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

describe('listInputs', () => {
  const dir = join(root, 'tree');
  mkdirSync(join(dir, 'x', 'y'), { recursive: true });
  for (const f of ['a.wav', 'b.WAV', 'c.txt', 'x/d.wav', 'x/y/e.wav', '.hidden.wav']) writeFileSync(join(dir, f), 'RIFF');
  it('folders (top level, or --recursive), globs with ** and *, files; sorted by path relative to the root', () => {
    expect(listInputs([dir]).map((f) => f.rel)).toEqual(['a.wav', 'b.WAV']);
    expect(listInputs([dir], { recursive: true }).map((f) => f.rel)).toEqual(['a.wav', 'b.WAV', 'x/d.wav', 'x/y/e.wav']);
    expect(listInputs([`${dir}/**/*.wav`]).map((f) => f.rel)).toEqual(['a.wav', 'x/d.wav', 'x/y/e.wav']);
    expect(listInputs([`${dir}/x/*.wav`]).map((f) => f.rel)).toEqual(['d.wav']);
    expect(listInputs([join(dir, 'x', 'y', 'e.wav'), join(dir, 'c.txt')]).map((f) => f.rel)).toEqual(['c.txt', 'e.wav']);
  });
  it('a name matching nothing, and two inputs with the same relative path, are errors naming them', () => {
    expect(() => listInputs([join(dir, 'nope.wav')])).toThrow(/nope\.wav.*no such file/);
    // an empty name is not the current folder (resolve('') would be)
    expect(() => listInputs([''], { cwd: dir })).toThrow(/inputs = "".*empty name.*Fix: name a file/);
    expect(() => listInputs(['  '], { cwd: dir })).toThrow(/empty name/);
    expect(() => listInputs([join(dir, 'x', 'y')], { recursive: false, extensions: ['.flac'] })).toThrow(/holds no \.flac file/);
    writeFileSync(join(dir, 'x', 'a.wav'), 'RIFF');
    expect(() => listInputs([join(dir, 'a.wav'), join(dir, 'x', 'a.wav')])).toThrow(/same path relative/);
  });
});

describe('wavDuration, shards', () => {
  it('reads the duration from the header alone (chunks walked), null for a non-WAV', () => {
    const p = join(root, 'h.wav');
    writeFileSync(p, wav(12000, 8000));
    expect(wavDuration(p)).toBe(1.5);
    writeFileSync(p, 'not a wav');
    expect(wavDuration(p)).toBeNull();
  });
  it('parseShard is 1-based and checked', () => {
    expect(parseShard('3/4')).toEqual({ index: 2, count: 4 });
    expect(() => parseShard('0/4')).toThrow(/1 ≤ i ≤ n/);
    expect(() => parseShard('5/4')).toThrow(/--shard = "5\/4"/);
  });
  it('every input in exactly one shard, independent of the input order, balanced by duration', () => {
    const inputs = Array.from({ length: 101 }, (_, k) => ({ path: `/c/${k}.wav`, rel: `${k}.wav`, d: 1 + ((k * 7919) % 23) }));
    const shuffled = [...inputs].sort((a, b) => ((a.d * 31 + a.rel.length) % 7) - ((b.d * 31 + b.rel.length) % 7));
    const shards = [0, 1, 2, 3].map((index) => shardInputs(inputs, { index, count: 4 }, (f) => f.d));
    const again = [0, 1, 2, 3].map((index) => shardInputs(shuffled, { index, count: 4 }, (f) => f.d));
    expect(again.map((s) => s.map((f) => f.rel))).toEqual(shards.map((s) => s.map((f) => f.rel)));
    const all = shards.flat().map((f) => f.rel);
    expect(new Set(all).size).toBe(101);
    const loads = shards.map((s) => s.reduce((a, f) => a + f.d, 0));
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(23);
  });
});

describe('summaries', () => {
  const row = (file: string, status: CorpusResult['status'] = 'ok'): CorpusResult => ({ file, status, durationSec: 1, sampleRate: 8000, theta: 300, lossBefore: 2, lossAfter: 1, timeMs: 5 });
  it('CSV quotes commas and quotes', () => {
    const csv = summaryCsv([{ ...row('a,"b".wav', 'failed'), error: 'x, "y"' }]);
    expect(csv.split('\n')[1]).toBe('"a,""b"".wav",1,8000,300,2,1,5,failed,"x, ""y"""');
  });
  it('merge: every input exactly once, else the missing and duplicated files are listed', () => {
    const inputs = ['a.wav', 'b.wav', 'c.wav'];
    const s1 = summarize('optimize', [row('a.wav'), row('b.wav')], { index: 0, count: 2 }, inputs);
    const s2 = summarize('optimize', [row('c.wav')], { index: 1, count: 2 }, inputs);
    expect(mergeSummaries([{ path: '1', summary: s1 }, { path: '2', summary: s2 }]).rows.map((r) => r.file)).toEqual(inputs);
    expect(() => mergeSummaries([{ path: '1', summary: s1 }])).toThrow(/1 missing \(c\.wav\)/);
    expect(() => mergeSummaries([{ path: '1', summary: s1 }, { path: '2', summary: s2 }, { path: '3', summary: s2 }])).toThrow(/1 duplicated \(c\.wav in 2 and 3\)/);
  });
});

// the fixture worker imports the BUILT package (a worker thread runs JavaScript): turbo builds it before `test`
const worker = new URL('../test-fixtures/corpus-worker.mjs', import.meta.url);
const built = existsSync(fileURLToPath(new URL('../dist/index.js', import.meta.url)));
if (!built) console.log('corpus.test: dist/ missing, runCorpus tests skipped (build with pnpm turbo run build --filter=@dstft/node-io)');

describe.skipIf(!built)('runCorpus', () => {
  const dir = join(root, 'corpus');
  mkdirSync(dir, { recursive: true });
  for (let k = 0; k < 12; k++) writeFileSync(join(dir, `f${String(k).padStart(2, '0')}.wav`), k === 4 ? 'BAD' : k === 7 ? 'CRASH' : 'x'.repeat(100 + k));
  const collect = async (it: AsyncIterable<CorpusResult>) => {
    const out: CorpusResult[] = [];
    for await (const r of it) out.push(r);
    return out.sort((a, b) => (a.file < b.file ? -1 : 1));
  };

  it('every file once; a throwing file and a crashing worker are failed rows; one setup per worker; resume skips what is done', async () => {
    const out = join(root, 'out');
    const inputs = listInputs([dir]);
    const rows = await collect(runCorpus(inputs, { worker, options: { scale: 2 }, jobs: 2, outDir: out }));
    expect(rows.map((r) => r.file)).toEqual(inputs.map((f) => f.rel));
    expect(rows.filter((r) => r.status === 'failed').map((r) => r.file)).toEqual(['f04.wav', 'f07.wav']);
    expect(rows[4]!.error).toMatch(/not a recording/);
    expect(rows[7]!.error).toMatch(/exited with code 3/);
    expect(rows[0]).toMatchObject({ status: 'ok', theta: 200, outputs: ['f00/result.json'] });
    const setups = rows.filter((r) => r.status === 'ok').map((r) => JSON.parse(readFileSync(join(out, r.file.replace('.wav', ''), 'result.json'), 'utf8')) as { setups: number });
    expect(setups.every((s) => s.setups === 1)).toBe(true);
    expect(readManifest(join(out, 'manifest.jsonl')).size).toBe(10);

    // tamper with one output: it is redone, the rest skipped; another option set redoes everything
    writeFileSync(join(out, 'f01', 'result.json'), 'edited');
    const again = await collect(runCorpus(inputs, { worker, options: { scale: 2 }, jobs: 2, outDir: out }));
    expect(again.filter((r) => r.status === 'skipped')).toHaveLength(9);
    expect(again.find((r) => r.file === 'f01.wav')!.status).toBe('ok');
    const other = await collect(runCorpus(inputs, { worker, options: { scale: 3 }, jobs: 1, outDir: out }));
    expect(other.filter((r) => r.status === 'skipped')).toHaveLength(0);
    expect(other[0]!.theta).toBe(300);
  }, 60_000);

  it('an abort ends the run at once; the files in flight leave nothing; failFast stops at a failure', async () => {
    const slow = join(root, 'slow');
    mkdirSync(slow);
    for (let k = 0; k < 20; k++) writeFileSync(join(slow, `s${String(k).padStart(2, '0')}.wav`), 'SLOW');
    const out = join(root, 'slow-out');
    const ac = new AbortController();
    const rows: CorpusResult[] = [];
    const t0 = performance.now();
    for await (const r of runCorpus(listInputs([slow]), { worker, options: { scale: 1 }, jobs: 2, outDir: out, signal: ac.signal })) {
      rows.push(r);
      if (rows.length === 4) ac.abort();
    }
    expect(rows).toHaveLength(4);
    expect(performance.now() - t0).toBeLessThan(8000);
    expect(readManifest(join(out, 'manifest.jsonl')).size).toBeGreaterThanOrEqual(4);
    expect(readManifest(join(out, 'manifest.jsonl')).size).toBeLessThanOrEqual(6);
    // only finished files have outputs (the aborted ones' were removed), and no temporary file is left
    const finished = readdirSync(out).filter((n) => n !== 'manifest.jsonl' && readdirSync(join(out, n)).length > 0);
    expect(finished).toHaveLength(readManifest(join(out, 'manifest.jsonl')).size);
    expect(readdirSync(out).flatMap((n) => (n === 'manifest.jsonl' ? [] : readdirSync(join(out, n)))).filter((n) => n.includes('.tmp-'))).toEqual([]);
    const ff = await collect(runCorpus(listInputs([dir]), { worker, options: { scale: 1 }, jobs: 1, failFast: true }));
    expect(ff.at(-1)!.status).toBe('failed');
    expect(ff).toHaveLength(5);
  }, 60_000);
});
