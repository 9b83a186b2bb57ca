// Smoke test of the whole pipeline on a tiny data set made in-process (no espeak-ng needed): FSDD-layout WAV
// files → loader → splits → DSTFT layer + CNN, one epoch → θ gets a non-zero gradient and moves → checkpoint and
// resume → the table with its JSON, Markdown and PNGs. The espeak-ng generator has its own test below, which runs
// only where espeak-ng is installed (and its missing-tool message is checked everywhere).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mulberry32 } from '@dstft/core';
import { encodeWav, decodeWav } from './wav-io.js';
import { listRecordings, loadDataset, randomSplit, speakerFoldSplit, speakerSplit, type Dataset } from './dataset.js';
import { useBackend } from './backend.js';
import { train } from './train.js';
import { DEFAULT_MODEL, createModel } from './model.js';
import { runTable } from './experiment.js';
import { checkTools, generateSynthetic } from './synth.js';

const LENGTH = 1600;
let root: string;
let data: Dataset;

/** Digit d: two "formants" at class-specific frequencies, speaker-specific pitch, a decaying envelope, noise. */
function writeTinySet(dir: string): void {
  const rec = join(dir, 'recordings');
  mkdirSync(rec, { recursive: true });
  const rand = mulberry32(11);
  for (const [s, speaker] of ['alpha', 'bravo', 'charlie'].entries()) {
    for (let d = 0; d < 10; d++) {
      for (let i = 0; i < 2; i++) {
        const n = 1200 + Math.floor(rand() * 400);
        const x = new Float64Array(n);
        const f1 = 300 + 90 * d + 20 * s;
        const f2 = 2600 - 150 * d;
        for (let p = 0; p < n; p++) {
          const env = Math.sin((Math.PI * p) / n);
          x[p] = 0.5 * env * (Math.sin((2 * Math.PI * f1 * p) / 8000) + 0.5 * Math.sin((2 * Math.PI * f2 * p) / 8000)) + 0.01 * (rand() - 0.5);
        }
        writeFileSync(join(rec, `${d}_${speaker}_${i}.wav`), encodeWav(x, 8000));
      }
    }
  }
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'cnn-example-test-'));
  writeTinySet(join(root, 'data'));
  await useBackend('wasm');
  data = loadDataset(join(root, 'data'), { length: LENGTH });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const model = (learnTheta: boolean) => ({ ...DEFAULT_MODEL, length: LENGTH, theta: 20, learnTheta, seed: 1 });

describe('data', () => {
  test('the loader reads the FSDD layout: labels from file names, speakers, fixed length, peak-normalized', () => {
    expect(data.labels.length).toBe(60);
    expect(data.speakers).toEqual(['alpha', 'bravo', 'charlie']);
    expect(data.recordings.every((r, i) => data.labels[i] === r.digit)).toBe(true);
    expect(data.x.length).toBe(60 * LENGTH);
    let peak = 0;
    for (let k = 0; k < LENGTH; k++) peak = Math.max(peak, Math.abs(data.x[k]!));
    expect(peak).toBeCloseTo(1, 2);
    expect(data.source.synthetic).toBe(false);
  });

  test('a misnamed file and a wrong sample rate are errors that say how to fix them', () => {
    const bad = join(root, 'bad');
    mkdirSync(join(bad, 'recordings'), { recursive: true });
    writeFileSync(join(bad, 'recordings', 'seven.wav'), encodeWav(new Float64Array(10), 8000));
    expect(() => listRecordings(bad)).toThrow(/not named \{digit\}_\{speaker\}_\{index\}\.wav.*Fix:/);
    rmSync(join(bad, 'recordings', 'seven.wav'));
    writeFileSync(join(bad, 'recordings', '7_x_0.wav'), encodeWav(new Float64Array(10), 16000));
    expect(() => loadDataset(bad, { length: 100 })).toThrow(/16000 Hz, expected 8000.*Fix:/);
  });

  test('splits: 80/10/10 at random and disjoint; speaker-held-out keeps speakers apart', () => {
    const r = randomSplit(60, 3);
    expect([r.train.length, r.val.length, r.test.length]).toEqual([48, 6, 6]);
    expect(new Set([...r.train, ...r.val, ...r.test]).size).toBe(60);
    expect(randomSplit(60, 3).test).toEqual(r.test);
    expect(randomSplit(60, 4).test).not.toEqual(r.test);
    const s = speakerSplit(data.recordings, 1);
    const who = (idx: Int32Array) => new Set(Array.from(idx, (i) => data.recordings[i]!.speaker));
    expect(who(s.test)).toEqual(new Set(s.testSpeakers));
    expect(who(s.val)).toEqual(new Set(s.valSpeakers));
    expect([...who(s.train)].some((sp) => s.testSpeakers!.includes(sp) || s.valSpeakers!.includes(sp))).toBe(false);
    expect(s.train.length + s.val.length + s.test.length).toBe(60);
  });

  test('leave-one-speaker-out folds: fold k tests speaker k, validates on k + 1, and the folds test every speaker once', () => {
    const who = (idx: Int32Array) => [...new Set(Array.from(idx, (i) => data.recordings[i]!.speaker))].sort();
    const tested = [1, 2, 3].map((k) => {
      const f = speakerFoldSplit(data.recordings, k);
      expect(f.train.length + f.val.length + f.test.length).toBe(60);
      expect(who(f.val)).toEqual([data.speakers[k % 3]]);
      expect(who(f.train)).toEqual(data.speakers.filter((_, i) => i !== k - 1 && i !== k % 3));
      return who(f.test);
    });
    expect(tested).toEqual([['alpha'], ['bravo'], ['charlie']]);
    expect(() => speakerFoldSplit(data.recordings, 4)).toThrow(/fold = 4.*1 … 3.*Fix:/);
    expect(() => speakerFoldSplit(data.recordings, 0)).toThrow(/fold = 0/);
  });
});

describe('training', () => {
  test('one epoch end to end: θ receives a non-zero gradient and moves; a fixed θ stays; checkpoint + resume continue the run', async () => {
    const split = randomSplit(data.labels.length, 1);
    const ck = join(root, 'ck.json');
    const options = { model: model(true), epochs: 1, batchSize: 16, lr: 2e-3, thetaLr: 0.05, seed: 1, checkpoint: ck };
    const one = await train(data, split, options);
    expect(one.history).toHaveLength(1);
    expect(one.history[0]!.thetaGradAbs).toBeGreaterThan(0);
    const trace = one.thetaTrace;
    expect(trace).toHaveLength(1 + one.stepsPerEpoch);
    expect(Math.abs(trace[trace.length - 1]! - trace[0]!)).toBeGreaterThan(1e-3);
    expect(Number.isFinite(one.test.loss) && one.test.acc >= 0 && one.test.acc <= 1).toBe(true);
    expect(one.confusion.flat().reduce((a, b) => a + b, 0)).toBe(split.test.length);
    expect(existsSync(ck)).toBe(true);

    // resume with two epochs: the first epoch comes from the checkpoint, the second continues from its θ
    const logs: string[] = [];
    const two = await train(data, split, { ...options, epochs: 2, resume: true, log: (l) => logs.push(l) });
    expect(logs[0]).toMatch(/resumed from .* after epoch 1/);
    // (the stored options differ in epochs only: resume is refused for other changes)
    expect(two.history).toHaveLength(2);
    expect(two.history[0]).toEqual(one.history[0]);
    expect(two.thetaTrace.slice(0, trace.length)).toEqual(trace);
    await expect(train(data, split, { ...options, epochs: 2, lr: 1e-2, resume: true })).rejects.toThrow(/other settings.*Fix:/);

    const fixed = await train(data, split, { ...options, model: model(false), checkpoint: join(root, 'ck-fixed.json') });
    expect(fixed.history[0]!.thetaGradAbs).toBe(0);
    expect(new Set(fixed.thetaTrace)).toEqual(new Set([20]));
  });

  test('beyond the paper: θ per frequency bin and a learned hop receive gradients, move, and resume', async () => {
    const split = randomSplit(data.labels.length, 1);
    const base = { epochs: 1, batchSize: 16, lr: 2e-3, thetaLr: 0.05, seed: 1 };
    const perBin = await train(data, split, { ...base, model: { ...model(true), windowMode: 'frequency' as const } });
    expect(perBin.thetaValues).toHaveLength(DEFAULT_MODEL.nFft / 2 + 1);
    expect(perBin.history[0]!.thetaGradAbs).toBeGreaterThan(0);
    expect(perBin.thetaValues.some((t) => Math.abs(t - 20) > 1e-3)).toBe(true);
    expect(new Set(perBin.thetaValues.map((t) => t.toFixed(6))).size).toBeGreaterThan(1); // the bins move apart
    expect(perBin.theta).toBeCloseTo(perBin.thetaValues.reduce((a, b) => a + b, 0) / perBin.thetaValues.length, 9);
    expect(perBin.hop).toBe(DEFAULT_MODEL.hop);

    const ck = join(root, 'ck-hop.json');
    const hopOpts = { ...base, model: { ...model(true), learnHop: true, hopMin: 8, hopMax: 64 }, checkpoint: ck };
    const hop = await train(data, split, hopOpts);
    expect(Math.abs(hop.hop - DEFAULT_MODEL.hop)).toBeGreaterThan(1e-3);
    expect(hop.hop > 8 && hop.hop < 64).toBe(true);
    expect(hop.history[0]!.hop).toBeCloseTo(hop.hop, 6); // one epoch: the last epoch is the best
    expect(Math.abs(hop.theta - 20)).toBeGreaterThan(1e-3);
    const two = await train(data, split, { ...hopOpts, epochs: 2, resume: true });
    expect(two.history[0]).toEqual(hop.history[0]);
    expect(two.history[1]!.hop).not.toBe(hop.hop);

    // a learned hop with a fixed θ: only the hop moves
    const hopOnly = await train(data, split, { ...base, model: { ...model(false), learnHop: true } });
    expect(new Set(hopOnly.thetaTrace)).toEqual(new Set([20]));
    expect(Math.abs(hopOnly.hop - DEFAULT_MODEL.hop)).toBeGreaterThan(1e-3);
    expect(() => createModel({ ...model(true), windowMode: 'frequency', learnHop: true })).toThrow(/not supported.*Fix:/);
  });

  test("thetaObjective 'val': θ descends validation batches' loss, moves, is reproducible and resumes; no validation data is refused", async () => {
    const split = randomSplit(data.labels.length, 1);
    const base = { model: model(true), epochs: 1, batchSize: 16, lr: 2e-3, thetaLr: 0.05, seed: 1 };
    const onTrain = await train(data, split, base);
    const ck = join(root, 'ck-val.json');
    const onVal = await train(data, split, { ...base, thetaObjective: 'val', checkpoint: ck });
    expect(onVal.history[0]!.thetaGradAbs).toBeGreaterThan(0);
    const trace = onVal.thetaTrace;
    expect(trace).toHaveLength(1 + onVal.stepsPerEpoch);
    expect(Math.abs(trace[trace.length - 1]! - trace[0]!)).toBeGreaterThan(1e-3);
    // another loss drives θ: the trajectories part (same seed, same first weights, same training batches)
    expect(trace.some((t, i) => Math.abs(t - onTrain.thetaTrace[i]!) > 1e-6)).toBe(true);
    const again = await train(data, split, { ...base, thetaObjective: 'val' });
    expect(again.thetaTrace).toEqual(trace);
    const resumed = await train(data, split, { ...base, thetaObjective: 'val', checkpoint: ck, resume: true, epochs: 2 });
    expect(resumed.thetaTrace.slice(0, trace.length)).toEqual(trace);
    await expect(train(data, split, { ...base, checkpoint: ck, resume: true, epochs: 2 })).rejects.toThrow(/other settings.*Fix:/);
    await expect(train(data, { ...split, val: new Int32Array(0) }, { ...base, thetaObjective: 'val' })).rejects.toThrow(/needs validation data.*Fix:/);
    await expect(train(data, split, { ...base, thetaObjective: 'test' as never })).rejects.toThrow(/thetaObjective = "test": unknown.*Fix:/);
  });

  test('the table writes results.json, results.md, theta.png and confusion.png, and refuses to overwrite', async () => {
    const out = join(root, 'table');
    const opts = { out, seeds: [1], fixedThetas: [16], thetaInit: 20, epochs: 1, batchSize: 16, lr: 2e-3, thetaLr: 0.05, split: 'random' as const, command: 'test' };
    await runTable(data, opts);
    expect(readdirSync(out).sort()).toEqual(['checkpoints', 'confusion.png', 'results.json', 'results.md', 'runs', 'theta.png']);
    const summary = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(summary.rows.map((r: { config: string }) => r.config)).toEqual(['fixed-16', 'learned-from-20']);
    expect(summary.learned.theta[0]).not.toBe(20);
    const md = readFileSync(join(out, 'results.md'), 'utf8');
    expect(md).toMatch(/\| fixed 16 \|/);
    expect(md).toMatch(/\| learned \(from 20\): /);
    // per-seed test accuracies, and the fixed θ a validation-only grid search picks (here the only fixed one)
    const fixedRun = JSON.parse(readFileSync(join(out, 'runs', 'fixed-16-seed1.json'), 'utf8'));
    expect(summary.fixedSelectedByValidation.perSeed).toEqual([{ seed: 1, theta: 16, valAcc: fixedRun.val.acc, testAcc: fixedRun.test.acc }]);
    expect(md).toContain(`| fixed, chosen by validation accuracy | ${(100 * fixedRun.test.acc).toFixed(1)} (θ = 16) |`);
    expect(readFileSync(join(out, 'theta.png')).subarray(1, 4).toString()).toBe('PNG');
    await expect(runTable(data, opts)).rejects.toThrow(/not empty, refusing to overwrite.*Fix:/);
    // resume reads the finished runs instead of training again
    const logs: string[] = [];
    await runTable(data, { ...opts, resume: true, log: (l) => logs.push(l) });
    expect(logs.filter((l) => l.includes('done before'))).toHaveLength(2);
    // each run records its settings; a resume with other settings refuses to mix them into the table
    expect(fixedRun.settings).toMatchObject({ split: 'random', epochs: 1, batchSize: 16, lr: 2e-3, thetaLr: 0.05, thetaObjective: 'train', data: { files: data.labels.length, synthetic: false } });
    expect(fixedRun.settings.model).toMatchObject({ nFft: 64, hop: 48 });
    expect(fixedRun.history).toEqual([expect.objectContaining({ epoch: 1, valAcc: expect.any(Number), valLoss: expect.any(Number), trainAcc: expect.any(Number) })]);
    await expect(runTable(data, { ...opts, epochs: 2, resume: true })).rejects.toThrow(/learned-from-20-seed1\.json: this run was trained with other settings.*Fix:/);
    await expect(runTable(data, { ...opts, model: { hop: 32 }, reportOnly: true })).rejects.toThrow(/other settings.*Fix:/);
    // a fresh checkout has the committed runs but no checkpoints (ignored by git): resume still reads the runs
    rmSync(join(out, 'checkpoints'), { recursive: true });
    const again: string[] = [];
    await runTable(data, { ...opts, resume: true, log: (l) => again.push(l) });
    expect(again.filter((l) => l.includes('done before'))).toHaveLength(2);
    expect(again.some((l) => l.includes('training'))).toBe(false);

    // the extra learned rows: their own run names; the fixed runs are the same settings, so they are shared
    const hopLogs: string[] = [];
    const hopTable = await runTable(data, { ...opts, learnHop: true, resume: true, log: (l) => hopLogs.push(l) });
    expect(hopLogs.filter((l) => l.includes('done before'))).toEqual([expect.stringContaining('fixed-16 seed 1')]);
    const hopRun = JSON.parse(readFileSync(join(out, 'runs', 'learned-from-20-with-hop-seed1.json'), 'utf8'));
    expect(hopRun.settings.learnHop).toEqual({ hopMin: 8, hopMax: 64 });
    expect(hopRun.hop).not.toBe(48);
    expect((hopTable.summary as { learned: { hop: number[] } }).learned.hop).toEqual([hopRun.hop]);
    expect(readFileSync(join(out, 'results.md'), 'utf8')).toMatch(/\| learned with the hop \(from 48\) \(from 20\): .*; hop /);
    await runTable(data, { ...opts, windowMode: 'frequency', resume: true });
    const binRun = JSON.parse(readFileSync(join(out, 'runs', 'learned-from-20-per-bin-seed1.json'), 'utf8'));
    expect(binRun.thetaValues).toHaveLength(33);
    expect(binRun.settings.windowMode).toBe('frequency');
  });
});

describe('synthetic generator (espeak-ng)', () => {
  test('without espeak-ng on PATH, the error names the apt command', () => {
    const path = process.env.PATH;
    process.env.PATH = join(root, 'no-such-bin');
    try {
      expect(() => checkTools()).toThrow(/espeak-ng: not found.*Fix: apt-get install -y espeak-ng sox/);
    } finally {
      process.env.PATH = path;
    }
  });

  const hasEspeak = !spawnSync('espeak-ng', ['--version']).error && !spawnSync('sox', ['--version']).error;
  test.skipIf(!hasEspeak)('(needs espeak-ng and sox) generates a seeded set in the FSDD layout at 8 kHz, and reuses a complete one', async () => {
    const out = join(root, 'synth');
    const speakers = [
      { name: 'us-f2', voice: 'en-us+f2', pitch: 65, speed: 165 },
      { name: 'gb-m3', voice: 'en-gb+m3', pitch: 45, speed: 140 },
    ];
    const m = await generateSynthetic({ out, seed: 5, perSpeaker: 1, speakers });
    expect(m.files).toBe(20);
    const recs = listRecordings(out);
    expect(recs.map((r) => `${r.digit}_${r.speaker}`).sort()).toEqual(speakers.flatMap((s) => Array.from({ length: 10 }, (_, d) => `${d}_${s.name}`)).sort());
    const audio = decodeWav(readFileSync(recs[0]!.file));
    expect(audio.sampleRate).toBe(8000);
    expect(audio.channels[0]!.length).toBeGreaterThan(1000);
    expect(loadDataset(out, { length: 4000 }).source.synthetic).toBe(true);
    const logs: string[] = [];
    await generateSynthetic({ out, seed: 5, perSpeaker: 1, speakers, log: (l) => logs.push(l) });
    expect(logs[0]).toMatch(/already complete/);
    await expect(generateSynthetic({ out, seed: 6, perSpeaker: 1, speakers })).rejects.toThrow(/refusing to overwrite.*Fix:/);
  });
});
