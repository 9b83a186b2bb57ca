/**
 * The Free Spoken Digit Dataset layout: `recordings/{digit}_{speaker}_{index}.wav`, mono, 8 kHz. The loader reads
 * any folder in that layout (the real FSDD, or the synthetic set of `synth.ts`), trims silence, and pads or crops
 * every recording to a fixed length. Splits: random 80/10/10 by seed, or speaker-held-out.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '@dstft/core';
import { decodeWav, mixdown } from './wav-io.js';

export const SAMPLE_RATE = 8000;
export const FILE_PATTERN = /^(\d)_([A-Za-z0-9-]+)_(\d+)\.wav$/;

export class DatasetError extends Error {
  override name = 'DatasetError';
}

export interface Recording {
  file: string;
  digit: number;
  speaker: string;
  index: number;
}

export interface Dataset {
  /** [count, length] row-major, float32 (what TensorFlow.js takes). */
  x: Float32Array;
  labels: Int32Array;
  speakers: string[];
  recordings: Recording[];
  length: number;
  /** Where the data came from (path), and whether it is synthetic (a `SYNTHETIC.json` beside `recordings/`). */
  source: { path: string; synthetic: boolean };
}

/** The folder holding the .wav files: `dir/recordings` if it exists, else `dir` itself. */
export function recordingsDir(dir: string): string {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new DatasetError(`--data = ${dir}: not a folder. Fix: point --data at the FSDD folder (the one holding recordings/), or omit it to use the synthetic set`);
  }
  const sub = join(dir, 'recordings');
  return existsSync(sub) && statSync(sub).isDirectory() ? sub : dir;
}

export function listRecordings(dir: string): Recording[] {
  const rec = recordingsDir(dir);
  const files = readdirSync(rec).filter((f) => f.endsWith('.wav')).sort();
  const out: Recording[] = [];
  const bad: string[] = [];
  for (const file of files) {
    const m = FILE_PATTERN.exec(file);
    if (!m) {
      bad.push(file);
      continue;
    }
    out.push({ file: join(rec, file), digit: Number(m[1]), speaker: m[2]!, index: Number(m[3]) });
  }
  if (bad.length > 0) {
    throw new DatasetError(`${rec}: ${bad.length} file(s) not named {digit}_{speaker}_{index}.wav (e.g. ${bad[0]}). Fix: rename or remove them; the loader expects the FSDD layout`);
  }
  if (out.length === 0) throw new DatasetError(`${rec}: no .wav recordings. Fix: point --data at the FSDD folder (recordings/{digit}_{speaker}_{index}.wav)`);
  return out;
}

/**
 * Mono float samples → fixed length: remove the mean, scale the peak to 1 (recordings differ in level), cut the
 * leading and trailing parts below 5 % of the peak (silence), then centre in `length` samples (zero padding; a
 * longer utterance keeps its centre).
 */
export function fitLength(samples: Float64Array, length: number, out: Float32Array, offset: number): void {
  let mean = 0;
  for (let i = 0; i < samples.length; i++) mean += samples[i]!;
  mean /= Math.max(1, samples.length);
  let peak = 0;
  for (let i = 0; i < samples.length; i++) peak = Math.max(peak, Math.abs(samples[i]! - mean));
  const scale = peak > 0 ? 1 / peak : 0;
  let start = 0;
  let end = samples.length;
  while (start < end && Math.abs(samples[start]! - mean) * scale < 0.05) start++;
  while (end > start && Math.abs(samples[end - 1]! - mean) * scale < 0.05) end--;
  let n = end - start;
  if (n > length) {
    start += (n - length) >> 1;
    n = length;
  }
  const pad = (length - n) >> 1;
  out.fill(0, offset, offset + length);
  for (let i = 0; i < n; i++) out[offset + pad + i] = (samples[start + i]! - mean) * scale;
}

/** Reads every recording of a folder in the FSDD layout (8 kHz mono; other rates are an error, never resampled). */
export function loadDataset(dir: string, { length, limit }: { length: number; limit?: number }): Dataset {
  let recordings = listRecordings(dir);
  if (limit !== undefined) recordings = recordings.slice(0, limit);
  const x = new Float32Array(recordings.length * length);
  const labels = new Int32Array(recordings.length);
  recordings.forEach((r, i) => {
    const audio = decodeWav(readFileSync(r.file), { name: r.file });
    if (audio.sampleRate !== SAMPLE_RATE) {
      throw new DatasetError(`${r.file}: sample rate ${audio.sampleRate} Hz, expected ${SAMPLE_RATE}. Fix: resample the data set to 8 kHz (sox in.wav -r 8000 out.wav)`);
    }
    fitLength(audio.channels.length === 1 ? audio.channels[0]! : mixdown(audio), length, x, i * length);
    labels[i] = r.digit;
  });
  const speakers = [...new Set(recordings.map((r) => r.speaker))].sort();
  const recDir = recordingsDir(dir);
  const synthetic = existsSync(join(recDir, '..', 'SYNTHETIC.json')) || existsSync(join(recDir, 'SYNTHETIC.json'));
  return { x, labels, speakers, recordings, length, source: { path: dir, synthetic } };
}

export type SplitKind = 'random' | 'speaker' | 'speaker-fold';

export interface Split {
  kind: SplitKind;
  train: Int32Array;
  val: Int32Array;
  test: Int32Array;
  /** Speaker-held-out: which speakers are in val and test. */
  valSpeakers?: string[];
  testSpeakers?: string[];
}

/** Fisher–Yates with mulberry32(seed). */
export function shuffled(n: number, seed: number): Int32Array {
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  const rand = mulberry32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
  return idx;
}

/** 80 / 10 / 10 at random (by seed). */
export function randomSplit(n: number, seed: number): Split {
  const idx = shuffled(n, seed);
  const nTest = Math.round(n * 0.1);
  const nVal = Math.round(n * 0.1);
  return { kind: 'random', test: idx.slice(0, nTest), val: idx.slice(nTest, nTest + nVal), train: idx.slice(nTest + nVal) };
}

/** Speaker-held-out: one speaker for test, another for validation (chosen by seed), the rest for training. */
export function speakerSplit(recordings: readonly Recording[], seed: number): Split {
  const speakers = [...new Set(recordings.map((r) => r.speaker))].sort();
  if (speakers.length < 3) {
    throw new DatasetError(`speakers = ${speakers.length}: a speaker-held-out split needs at least 3 (train, validation, test). Fix: use --split random`);
  }
  const order = shuffled(speakers.length, seed);
  const testSpeakers = [speakers[order[0]!]!];
  const valSpeakers = [speakers[order[1]!]!];
  const pick = (set: string[]) => Int32Array.from(recordings.flatMap((r, i) => (set.includes(r.speaker) ? [i] : [])));
  const rest = speakers.filter((s) => !testSpeakers.includes(s) && !valSpeakers.includes(s));
  return { kind: 'speaker', train: pick(rest), val: pick(valSpeakers), test: pick(testSpeakers), valSpeakers, testSpeakers };
}

/**
 * Leave-one-speaker-out cross-validation, fold k = 1 … S (S speakers, sorted by name): speaker k is the test set,
 * speaker k + 1 (cyclically) the validation set, the other S − 2 train. Folds 1 … S test every speaker exactly once,
 * so their mean is the usual cross-validated estimate (with `speakerSplit`, seeds may draw the same test speaker).
 */
export function speakerFoldSplit(recordings: readonly Recording[], fold: number): Split {
  const speakers = [...new Set(recordings.map((r) => r.speaker))].sort();
  if (speakers.length < 3) {
    throw new DatasetError(`speakers = ${speakers.length}: a speaker-held-out split needs at least 3 (train, validation, test). Fix: use --split random`);
  }
  if (!Number.isInteger(fold) || fold < 1 || fold > speakers.length) {
    throw new DatasetError(`fold = ${fold}: with ${speakers.length} speakers the folds are 1 … ${speakers.length}. Fix: pass --seeds 1,…,${speakers.length} with --split speaker-fold`);
  }
  const testSpeakers = [speakers[fold - 1]!];
  const valSpeakers = [speakers[fold % speakers.length]!];
  const pick = (set: string[]) => Int32Array.from(recordings.flatMap((r, i) => (set.includes(r.speaker) ? [i] : [])));
  const rest = speakers.filter((s) => !testSpeakers.includes(s) && !valSpeakers.includes(s));
  return { kind: 'speaker-fold', train: pick(rest), val: pick(valSpeakers), test: pick(testSpeakers), valSpeakers, testSpeakers };
}
