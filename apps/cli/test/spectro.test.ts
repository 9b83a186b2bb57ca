// The chunked spectrogram of long inputs equals the whole-signal transform (same frames, same values).
import { createDefaultRegistry, createDstft } from '@dstft/dstft';
import { describe, expect, it } from 'vitest';
import { longSpectrogram } from '../src/spectro.js';
import { testSignal } from './helpers.js';

describe('longSpectrogram: chunks of frames', () => {
  const fs = 8000;
  const x = testSignal(20_011, fs);
  const options = { nFft: 256, hop: 64, theta: 200, signalLength: x.length, sampleRate: fs };
  const whole = createDstft(options).forward(x);
  const registry = createDefaultRegistry().freeze();

  it('full-resolution chunks reproduce every frame of the whole transform (and the zero padding at both ends)', async () => {
    const got = new Float64Array(whole.spec.length);
    let covered = 0;
    const r = await longSpectrogram(options, x, {
      registry,
      chunkFrames: 37,
      maxColumns: 10_000,
      onChunk: ({ n0, count, spec, stride, offset, freqs }) => {
        for (let k = 0; k < freqs; k++) for (let j = 0; j < count; j++) got[k * whole.frames + n0 + j] = spec[k * stride + offset + j]!;
        covered += count;
      },
    });
    expect(r.chunked).toBe(true);
    expect(covered).toBe(whole.frames);
    let err = 0;
    let peak = 0;
    for (let i = 0; i < got.length; i++) {
      err = Math.max(err, Math.abs(got[i]! - whole.spec[i]!));
      peak = Math.max(peak, whole.spec[i]!);
    }
    expect(err / peak).toBeLessThan(1e-12);
    // not aggregated: the display is the spectrogram itself, with the frame times
    expect(r.display.framesPerColumn).toBe(1);
    expect(Array.from(r.display.times)).toEqual(Array.from(whole.times));
  });

  it('aggregated columns hold the maximum over their frames', async () => {
    const r = await longSpectrogram(options, x, { registry, chunkFrames: 50, maxColumns: 40 });
    const g = r.display.framesPerColumn;
    expect(g).toBe(Math.ceil(whole.frames / 40));
    const C = r.display.columns;
    for (const k of [0, 10, 40, 128]) {
      for (let c = 0; c < C; c++) {
        let m = -Infinity;
        for (let n = c * g; n < Math.min(whole.frames, (c + 1) * g); n++) m = Math.max(m, whole.spec[k * whole.frames + n]!);
        expect(r.display.spec[k * C + c]).toBeCloseTo(m, 12);
      }
    }
  });
});
