// Cross-checks against SoX, an independent WAV implementation. Optional: skipped (with the reason in the test
// name) when `sox` is not on PATH. Install it with `apt-get install -y sox`; DSTFT_SOX=/path/to/sox picks another.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeWav, encodeWav, type WavAudio, type WavBitsPerSample, type WavEncoding } from './index.js';

const SOX = process.env.DSTFT_SOX ?? 'sox';
const probe = spawnSync(SOX, ['--version'], { encoding: 'utf8' });
const hasSox = probe.status === 0;
const why = hasSox ? '' : ` [SKIPPED: ${SOX} not found; apt-get install -y sox to run]`;
if (!hasSox) console.warn(`@dstft/wav: sox cross-check skipped: ${SOX} not found (apt-get install -y sox)`);

const dir = hasSox ? mkdtempSync(join(tmpdir(), 'dstft-wav-sox-')) : '';
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** sox's own conversion of a file to raw float64 (interleaved), read back as channels. */
function soxF64(path: string, nch: number): Float64Array[] {
  const raw = execFileSync(SOX, ['-V1', path, '-t', 'f64', '-'], { maxBuffer: 1 << 26 });
  const copy = new Uint8Array(raw.length);
  copy.set(raw);
  const dv = new DataView(copy.buffer);
  const frames = raw.length / 8 / nch;
  const out = Array.from({ length: nch }, () => new Float64Array(frames));
  for (let f = 0; f < frames; f++) for (let c = 0; c < nch; c++) out[c]![f] = dv.getFloat64(8 * (f * nch + c), true);
  return out;
}

const soxEncodings: [string, WavEncoding, WavBitsPerSample][] = [
  ['unsigned-integer', 'pcm', 8],
  ['signed-integer', 'pcm', 16],
  ['signed-integer', 'pcm', 24],
  ['signed-integer', 'pcm', 32],
  ['floating-point', 'float', 32],
  ['floating-point', 'float', 64],
];

function compare(ours: WavAudio, theirs: Float64Array[], tol: number): void {
  expect(ours.channels.length).toBe(theirs.length);
  expect(ours.frames).toBe(theirs[0]!.length);
  let worst = 0;
  for (let c = 0; c < theirs.length; c++) {
    for (let i = 0; i < ours.frames; i++) worst = Math.max(worst, Math.abs(ours.channels[c]![i]! - theirs[c]![i]!));
  }
  expect(worst).toBeLessThanOrEqual(tol);
}

// sox passes samples through 32-bit integers: PCM up to 32 bits is exact, floats agree to 2^-31.
const tolerance = (encoding: WavEncoding) => (encoding === 'pcm' ? 0 : 2 ** -31);

describe(`files written by sox${why}`, () => {
  const extensibleSeen: boolean[] = [];
  for (const [soxEncoding, encoding, bits] of soxEncodings) {
    for (const nch of [1, 2, 3]) {
      it.skipIf(!hasSox)(`${bits}-bit ${encoding}, ${nch} channel(s): decodeWav equals sox -t f64${why}`, () => {
        const path = join(dir, `sox-${bits}-${encoding}-${nch}.wav`);
        const tones = [['sine', '440'], ['square', '170'], ['sine', '3000']].slice(0, nch).flat();
        execFileSync(SOX, ['-V1', '-n', '-r', '8000', '-c', String(nch), '-b', String(bits), '-e', soxEncoding, path, 'synth', '0.05', ...tones, 'gain', '-1']);
        const ours = decodeWav(readFileSync(path), { name: path });
        expect(ours.format.encoding).toBe(encoding);
        expect(ours.format.bitsPerSample).toBe(bits);
        expect(ours.sampleRate).toBe(8000);
        expect(ours.frames).toBe(400);
        extensibleSeen.push(ours.format.extensible);
        compare(ours, soxF64(path, nch), tolerance(encoding));
      });
    }
  }
  it.skipIf(!hasSox)(`sox wrote both plain and WAVE_FORMAT_EXTENSIBLE files among these${why}`, () => {
    expect(extensibleSeen).toContain(true);
    expect(extensibleSeen).toContain(false);
  });
});

describe(`files written by encodeWav, read by sox${why}`, () => {
  for (const [, encoding, bits] of soxEncodings) {
    for (const extensible of [false, true]) {
      it.skipIf(!hasSox)(`${bits}-bit ${encoding}${extensible ? ', extensible' : ''}, 2 channels${why}`, () => {
        const n = 300;
        const l = new Float64Array(n);
        const r = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          l[i] = 0.9 * Math.sin(0.05 * i);
          r[i] = 0.5 * Math.cos(0.31 * i) - 0.2;
        }
        l[0] = -1;
        l[1] = 1;
        const path = join(dir, `ours-${bits}-${encoding}-${extensible}.wav`);
        const bytes = encodeWav([l, r], 16000, { encoding, bitsPerSample: bits, extensible });
        writeFileSync(path, bytes);
        compare(decodeWav(bytes), soxF64(path, 2), tolerance(encoding));
      });
    }
  }
});
