/**
 * A SYNTHETIC spoken-digit data set in the Free Spoken Digit Dataset layout, made with espeak-ng (the real FSDD
 * cannot be downloaded on these machines). Six "speakers" (espeak voices and variants with their own pitch and
 * speed), each saying every digit `perSpeaker` times with jittered pitch and speed, a random gain, a little leading
 * silence and light white noise (20–35 dB SNR); resampled to 8 kHz 16-bit mono by sox. Seeded: the same seed and
 * sizes give the same list of utterance settings and the same noise (espeak-ng's own output is deterministic).
 * A `SYNTHETIC.json` manifest beside `recordings/` records how the set was made, so results can say so.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { mulberry32 } from '@dstft/core';
import { SAMPLE_RATE } from './dataset.js';
import { decodeWav, encodeWav } from './wav-io.js';

const run = promisify(execFile);

export const DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

export interface SyntheticSpeaker {
  /** Speaker name in file names ([A-Za-z0-9-]). */
  name: string;
  /** espeak-ng voice, `language+variant`. */
  voice: string;
  pitch: number;
  speed: number;
}

export const SPEAKERS: SyntheticSpeaker[] = [
  { name: 'us-m1', voice: 'en-us+m1', pitch: 35, speed: 150 },
  { name: 'us-f2', voice: 'en-us+f2', pitch: 65, speed: 165 },
  { name: 'gb-m3', voice: 'en-gb+m3', pitch: 45, speed: 140 },
  { name: 'rp-f4', voice: 'en-gb-x-rp+f4', pitch: 72, speed: 175 },
  { name: 'us-klatt', voice: 'en-us+klatt', pitch: 50, speed: 155 },
  { name: 'sc-m7', voice: 'en-gb-scotland+m7', pitch: 40, speed: 135 },
];

export interface SynthOptions {
  out: string;
  seed?: number;
  perSpeaker?: number;
  speakers?: SyntheticSpeaker[];
  force?: boolean;
  log?: (line: string) => void;
}

export class ToolMissingError extends Error {
  override name = 'ToolMissingError';
}

/** Fails with the apt command when espeak-ng or sox is missing. */
export function checkTools(): void {
  for (const tool of ['espeak-ng', 'sox']) {
    const r = spawnSync(tool, ['--version'], { encoding: 'utf8' });
    if (r.error) {
      throw new ToolMissingError(
        `${tool}: not found on PATH (${(r.error as NodeJS.ErrnoException).code}). The synthetic spoken-digit set is made with espeak-ng and sox. ` +
          'Fix: apt-get install -y espeak-ng sox (Debian/Ubuntu), or pass --data <folder> with the real Free Spoken Digit Dataset',
      );
    }
  }
}

interface Utterance {
  file: string;
  digit: number;
  speaker: SyntheticSpeaker;
  pitch: number;
  speed: number;
  gain: number;
  snrDb: number;
  lead: number;
  noiseSeed: number;
}

function plan(seed: number, perSpeaker: number, speakers: SyntheticSpeaker[]): Utterance[] {
  const rand = mulberry32(seed);
  const list: Utterance[] = [];
  for (const speaker of speakers) {
    for (let digit = 0; digit < 10; digit++) {
      for (let i = 0; i < perSpeaker; i++) {
        list.push({
          file: `${digit}_${speaker.name}_${i}.wav`,
          digit,
          speaker,
          pitch: Math.max(0, Math.min(99, Math.round(speaker.pitch + (rand() - 0.5) * 16))),
          speed: Math.round(speaker.speed * (0.85 + 0.3 * rand())),
          gain: 0.3 + 0.6 * rand(),
          snrDb: 20 + 15 * rand(),
          lead: Math.floor(rand() * 0.1 * SAMPLE_RATE),
          noiseSeed: Math.floor(rand() * 2 ** 31),
        });
      }
    }
  }
  return list;
}

/** Gaussian noise via Box–Muller on mulberry32. */
function addNoise(x: Float64Array, snrDb: number, seed: number): void {
  let power = 0;
  for (let i = 0; i < x.length; i++) power += x[i]! * x[i]!;
  power /= Math.max(1, x.length);
  const sigma = Math.sqrt(power / 10 ** (snrDb / 10));
  const rand = mulberry32(seed);
  for (let i = 0; i < x.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - rand()));
    const a = 2 * Math.PI * rand();
    x[i]! += sigma * r * Math.cos(a);
    if (i + 1 < x.length) x[i + 1]! += sigma * r * Math.sin(a);
  }
}

async function synthesizeOne(u: Utterance, work: string): Promise<Uint8Array> {
  const raw = join(work, `${u.file}.raw.wav`);
  const res = join(work, `${u.file}.8k.wav`);
  const e = await run('espeak-ng', ['-v', u.speaker.voice, '-p', String(u.pitch), '-s', String(u.speed), '-w', raw, DIGIT_WORDS[u.digit]!]);
  if (e.stderr.trim() !== '') {
    // an unknown voice or variant prints an error but exits 0
    throw new Error(`espeak-ng -v ${u.speaker.voice}: ${e.stderr.trim()}. Fix: choose a voice listed by espeak-ng --voices=en and a variant from espeak-ng --voices=variant`);
  }
  await run('sox', ['-q', raw, '-r', String(SAMPLE_RATE), '-c', '1', '-b', '16', '-e', 'signed-integer', res]);
  const audio = decodeWav(readFileSync(res), { name: res });
  rmSync(raw, { force: true });
  rmSync(res, { force: true });
  const speech = audio.channels[0]!;
  const x = new Float64Array(u.lead + speech.length);
  for (let i = 0; i < speech.length; i++) x[u.lead + i] = speech[i]! * u.gain;
  addNoise(x, u.snrDb, u.noiseSeed);
  for (let i = 0; i < x.length; i++) x[i] = Math.max(-1, Math.min(32767 / 32768, x[i]!));
  return encodeWav(x, SAMPLE_RATE);
}

export interface SynthManifest {
  synthetic: true;
  generator: string;
  seed: number;
  perSpeaker: number;
  speakers: SyntheticSpeaker[];
  files: number;
  sampleRate: number;
  note: string;
}

/** The manifest a complete set with these settings has (to reuse a set instead of regenerating it). */
export function expectedManifest(seed: number, perSpeaker: number, speakers: SyntheticSpeaker[] = SPEAKERS): SynthManifest {
  return {
    synthetic: true,
    generator: '@dstft/cnn-example synth.ts (espeak-ng + sox)',
    seed,
    perSpeaker,
    speakers,
    files: speakers.length * 10 * perSpeaker,
    sampleRate: SAMPLE_RATE,
    note: 'SYNTHETIC speech (espeak-ng), not the Free Spoken Digit Dataset: same layout, different voices; results on it are not comparable to the paper in absolute terms.',
  };
}

/** True when `out` already holds a complete set made with the same settings. */
export function isComplete(out: string, manifest: SynthManifest): boolean {
  const file = join(out, 'SYNTHETIC.json');
  if (!existsSync(file)) return false;
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as SynthManifest;
    return JSON.stringify(m) === JSON.stringify(manifest) && readdirSync(join(out, 'recordings')).filter((f) => f.endsWith('.wav')).length === manifest.files;
  } catch {
    return false;
  }
}

/**
 * Generates the set into `out/recordings/` and writes `out/SYNTHETIC.json` last (so a half-made set is never taken
 * for a complete one). An existing non-empty `out` that is not this exact set is an error unless `force`.
 */
export async function generateSynthetic(options: SynthOptions): Promise<SynthManifest> {
  const { out, seed = 1, perSpeaker = 50, speakers = SPEAKERS, force = false, log = () => {} } = options;
  if (!Number.isInteger(perSpeaker) || perSpeaker < 1) throw new RangeError(`perSpeaker = ${perSpeaker}: expected an integer ≥ 1. Fix: pass --per-speaker 50 (FSDD has 50)`);
  const manifest = expectedManifest(seed, perSpeaker, speakers);
  if (isComplete(out, manifest)) {
    log(`synthetic set already complete in ${out} (${manifest.files} files)`);
    return manifest;
  }
  if (existsSync(out) && readdirSync(out).length > 0) {
    if (!force) throw new Error(`${out}: folder exists and is not this synthetic set, refusing to overwrite. Fix: choose another --out folder, or pass --force`);
    rmSync(join(out, 'SYNTHETIC.json'), { force: true });
    rmSync(join(out, 'recordings'), { recursive: true, force: true });
  }
  checkTools();
  const rec = join(out, 'recordings');
  mkdirSync(rec, { recursive: true });
  const work = join(tmpdir(), `cnn-example-synth-${process.pid}`);
  mkdirSync(work, { recursive: true });
  const list = plan(seed, perSpeaker, speakers);
  const started = Date.now();
  let done = 0;
  try {
    const worker = async (): Promise<void> => {
      for (;;) {
        const u = list[done++];
        if (u === undefined) return;
        const bytes = await synthesizeOne(u, work);
        const tmp = join(rec, `${u.file}.tmp`);
        writeFileSync(tmp, bytes);
        renameSync(tmp, join(rec, u.file));
        if (done % 500 === 0) log(`  ${done} / ${list.length} files (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      }
    };
    await Promise.all([worker(), worker(), worker()]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const tmp = join(out, 'SYNTHETIC.json.tmp');
  writeFileSync(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(tmp, join(out, 'SYNTHETIC.json'));
  log(`synthetic set: ${list.length} files in ${rec} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return manifest;
}
