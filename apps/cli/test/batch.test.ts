// `dstft batch` end to end (issue 21): summary, a corrupted file, Ctrl-C then resume, shards + merge, merge checks.
// Corpus: DSTFT_FSDD_DIR (the Free Spoken Digit Dataset: its recordings/ folder, the first DSTFT_FSDD_COUNT = 200
// files) when set, else ~200 generated short WAV files in two subfolders. Plus one malformed WAV.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav } from '@dstft/wav';
import { CLI, dstft } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'dstft-batch-'));
const corpus = join(root, 'corpus');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ARGS = ['--recursive', '--n-fft', '256', '--from', '64', '--to', '256', '--step', '64', '--jobs', '2'];

function buildCorpus(): { files: number; source: string } {
  mkdirSync(corpus, { recursive: true });
  const fsdd = process.env['DSTFT_FSDD_DIR'];
  if (fsdd) {
    const dir = existsSync(join(fsdd, 'recordings')) ? join(fsdd, 'recordings') : fsdd;
    const names = readdirSync(dir).filter((n) => n.endsWith('.wav')).sort().slice(0, Number(process.env['DSTFT_FSDD_COUNT'] ?? 200));
    for (const [k, n] of names.entries()) {
      const sub = join(corpus, k % 2 ? 'b' : 'a');
      mkdirSync(sub, { recursive: true });
      copyFileSync(join(dir, n), join(sub, n));
    }
    console.log(`batch tests: ${names.length} FSDD recordings from ${dir}`);
    return { files: names.length, source: 'fsdd' };
  }
  console.log('batch tests: DSTFT_FSDD_DIR not set: using 200 generated WAV files (set it to the Free Spoken Digit Dataset folder to run on real speech)');
  const fs = 8000;
  for (let k = 0; k < 200; k++) {
    const sub = join(corpus, k % 2 ? 'b' : 'a');
    mkdirSync(sub, { recursive: true });
    const n = 1600 + ((k * 37) % 9) * 200; // 0.2-0.4 s
    const x = new Float64Array(n);
    const f0 = 200 + ((k * 53) % 17) * 60;
    const rate = (k % 5) * 800;
    for (let p = 0; p < n; p++) {
      const t = p / fs;
      x[p] = 0.5 * Math.sin(2 * Math.PI * (f0 * t + rate * t * t)) + (k % 3 === 0 ? 0.3 * (((p * 7919) % 13) / 13 - 0.5) : 0);
    }
    writeFileSync(join(sub, `s${String(k).padStart(3, '0')}.wav`), encodeWav(x, fs));
  }
  return { files: 200, source: 'generated' };
}

let total = 0;
beforeAll(() => {
  const { files } = buildCorpus();
  mkdirSync(join(corpus, 'broken'));
  writeFileSync(join(corpus, 'broken', 'bad.wav'), Buffer.concat([Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt '), Buffer.alloc(6)])); // cut inside fmt
  total = files + 1;
});

interface Row {
  file: string;
  status: string;
  durationSec: number | null;
  sampleRate: number | null;
  theta: number | null;
  lossBefore: number | null;
  lossAfter: number | null;
  error?: string;
}
const summaryOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { rows: Row[]; counts: Record<string, number>; inputs: string[] };
/** The deterministic columns (no times; ok and skipped both mean done). */
const deterministic = (rows: Row[]) =>
  rows.map((r) => ({ file: r.file, done: r.status !== 'failed', durationSec: r.durationSec, sampleRate: r.sampleRate, theta: r.theta, lossBefore: r.lossBefore, lossAfter: r.lossAfter, error: r.error ?? null }));
const manifestLines = (dir: string) => (existsSync(join(dir, 'manifest.jsonl')) ? readFileSync(join(dir, 'manifest.jsonl'), 'utf8').split('\n').filter(Boolean).length : 0);
function walkFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) walkFiles(join(dir, e.name), out);
    else out.push(join(dir, e.name));
  }
  return out;
}

describe('dstft batch', () => {
  let reference: Row[] = [];

  it('writes a complete summary; a malformed WAV is a failed row and the run goes on (exit 1)', async () => {
    const out = join(root, 'full');
    const r = await dstft(['batch', 'grid', corpus, ...ARGS, '--out', out], root, { timeoutMs: 300_000 });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/1 of \d+ files failed, the first: broken\/bad\.wav/);
    expect(r.stderr).toMatch(/batch: \d+\/\d+ files/); // progress lines (not a TTY: plain lines)
    const s = summaryOf(out);
    expect(s.rows).toHaveLength(total);
    expect(s.inputs).toHaveLength(total);
    expect(s.counts).toMatchObject({ ok: total - 1, failed: 1, skipped: 0 });
    const bad = s.rows.find((x) => x.file === 'broken/bad.wav')!;
    expect(bad.status).toBe('failed');
    expect(bad.error).toMatch(/bad\.wav/);
    for (const row of s.rows.filter((x) => x.status === 'ok')) {
      // the summary agrees with each file's own result.json, mirrored under --out
      const res = JSON.parse(readFileSync(join(out, row.file.replace(/\.wav$/, ''), 'result.json'), 'utf8')) as { best: { theta: number; loss: number }; input: { sampleRate: number; samples: number } };
      expect(row.theta).toBe(res.best.theta);
      expect(row.lossAfter).toBe(res.best.loss);
      expect(row.sampleRate).toBe(res.input.sampleRate);
      expect(row.durationSec).toBeCloseTo(res.input.samples / res.input.sampleRate, 5);
    }
    const csv = readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('file,duration_s,sample_rate,theta,loss_before,loss_after,time_ms,status,error');
    expect(csv).toHaveLength(total + 1);
    expect(manifestLines(out)).toBe(total - 1);
    reference = s.rows;
    // the same command again: everything verified through the manifest is skipped
    const again = await dstft(['batch', 'grid', corpus, ...ARGS, '--out', out, '-q'], root, { timeoutMs: 300_000 });
    expect(again.code).toBe(1);
    expect(summaryOf(out).counts).toMatchObject({ skipped: total - 1, failed: 1 });
    expect(deterministic(summaryOf(out).rows)).toEqual(deterministic(reference));
  }, 600_000);

  it('Ctrl-C halfway: exit 130, no half-written output, the manifest lists what finished; rerunning resumes to the same summary', async () => {
    const out = join(root, 'interrupted');
    const child = spawn(process.execPath, [CLI, 'batch', 'grid', corpus, ...ARGS, '--out', out], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const target = Math.floor(total / 3);
    const code = await new Promise<number | null>((resolve) => {
      const poll = setInterval(() => {
        if (manifestLines(out) >= target) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 50);
      child.on('close', (c) => {
        clearInterval(poll);
        resolve(c);
      });
    });
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/stopped after \d+ of \d+ files/);
    const finished = manifestLines(out);
    expect(finished).toBeGreaterThanOrEqual(target);
    expect(finished).toBeLessThan(total - 1);
    const files = walkFiles(out);
    expect(files.filter((f) => /\.tmp-\d+$/.test(f))).toEqual([]);
    // every per-file folder is complete (grid.png + result.json) and in the manifest: nothing half-done
    const results = files.filter((f) => f.endsWith('result.json'));
    expect(results).toHaveLength(finished);
    expect(files.filter((f) => f.endsWith('grid.png'))).toHaveLength(finished);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
    const resumed = await dstft(['batch', 'grid', corpus, ...ARGS, '--out', out, '-q'], root, { timeoutMs: 300_000 });
    expect(resumed.code).toBe(1);
    const s = summaryOf(out);
    expect(s.counts.skipped).toBe(finished);
    expect(s.counts.ok).toBe(total - 1 - finished);
    expect(deterministic(s.rows)).toEqual(deterministic(reference));
  }, 600_000);

  it('4 shards merged equal one unsharded run; shards are disjoint and balanced by duration', async () => {
    const dirs: string[] = [];
    for (let i = 1; i <= 4; i++) {
      const out = join(root, `shard-${i}`);
      dirs.push(out);
      const r = await dstft(['batch', 'grid', corpus, ...ARGS, '--jobs', '1', '--shard', `${i}/4`, '--out', out, '-q'], root, { timeoutMs: 300_000 });
      expect([0, 1]).toContain(r.code);
    }
    const shards = dirs.map((d) => summaryOf(d).rows);
    const all = shards.flat().map((r) => r.file);
    expect(new Set(all).size).toBe(all.length);
    const durations = shards.map((rows) => rows.reduce((a, r) => a + (r.durationSec ?? 0), 0));
    const longest = Math.max(...reference.map((r) => r.durationSec ?? 0));
    expect(Math.max(...durations) - Math.min(...durations)).toBeLessThanOrEqual(longest + 1e-9);
    const merged = join(root, 'merged');
    const m = await dstft(['batch', 'merge', ...dirs.map((d) => join(d, 'summary.json')), '--out', merged], root);
    expect(m.code, m.stderr).toBe(0);
    expect(deterministic(summaryOf(merged).rows)).toEqual(deterministic(reference));

    // a missing shard and a duplicated one are errors listing the files
    const missing = await dstft(['batch', 'merge', ...dirs.slice(0, 3).map((d) => join(d, 'summary.json')), '--out', join(root, 'm2')], root);
    expect(missing.code).toBe(1);
    const lost = shards[3]!.map((r) => r.file).sort();
    expect(missing.stderr).toContain(`${lost.length} missing (${lost.slice(0, 3).join(', ')}`);
    const dup = await dstft(['batch', 'merge', ...dirs.map((d) => join(d, 'summary.json')), join(dirs[1]!, 'summary.json'), '--out', join(root, 'm3')], root);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(new RegExp(`${shards[1]!.length} duplicated \\(${shards[1]![0]!.file.replace(/[.]/g, '\\.')} in `));
    expect(existsSync(join(root, 'm2'))).toBe(false);
  }, 600_000);

  it('--fail-fast stops at the bad file; a folder of the user\'s is refused without --force', async () => {
    const out = join(root, 'failfast');
    mkdirSync(join(root, 'ff'));
    copyFileSync(join(corpus, 'broken', 'bad.wav'), join(root, 'ff', '000-bad.wav')); // sorted first
    const r = await dstft(['batch', 'grid', join(root, 'ff'), join(corpus, 'a'), ...ARGS, '--jobs', '1', '--fail-fast', '--out', out, '-q'], root, { timeoutMs: 120_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--fail-fast/);
    expect(summaryOf(out).rows.length).toBeLessThan(readdirSync(join(corpus, 'a')).length + 1);
    const mine = join(root, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'notes.txt'), 'mine');
    const refused = await dstft(['batch', 'grid', join(corpus, 'a'), ...ARGS, '--out', mine], root);
    expect(refused.code).toBe(1);
    expect(readdirSync(mine)).toEqual(['notes.txt']);
    const usage = await dstft(['batch', 'grid', corpus, '--n-fft', 'abc'], root);
    expect(usage.code).toBe(2);
    const shard = await dstft(['batch', 'grid', corpus, '--shard', '5/4'], root);
    expect(shard.code).toBe(2);
    expect(shard.stderr).toMatch(/--shard/);
    // an empty name (an unset shell variable) is not the current folder
    const empty = await dstft(['batch', 'grid', ''], root);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/dstft: inputs "": is an empty name\. Fix: name a file, a folder or a glob/);
  }, 300_000);
});
