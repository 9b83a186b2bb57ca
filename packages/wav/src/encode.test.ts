import { ParameterError, SignalError } from '@dstft/core';
import { mulberry32 } from '@dstft/core';
import { describe, expect, it } from 'vitest';
import { decodeWav, encodeWav, type WavBitsPerSample, type WavEncoding } from './index.js';

const cases: [WavEncoding, WavBitsPerSample][] = [
  ['pcm', 8],
  ['pcm', 16],
  ['pcm', 24],
  ['pcm', 32],
  ['float', 32],
  ['float', 64],
];

function noise(n: number, seed: number): Float64Array {
  const rng = mulberry32(seed);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = 2 * rng() - 1;
  return x;
}

describe('encodeWav → decodeWav round trip', () => {
  for (const [encoding, bits] of cases) {
    for (const nch of [1, 2, 3]) {
      for (const extensible of [false, true]) {
        it(`${bits}-bit ${encoding}, ${nch} channel(s)${extensible ? ', extensible' : ''}`, () => {
          const frames = 257; // odd: exercises the pad byte for 8- and 24-bit mono
          const chans = Array.from({ length: nch }, (_, c) => noise(frames, 11 + c));
          chans[0]![0] = -1;
          chans[0]![1] = 1;
          chans[0]![2] = 0;
          const bytes = encodeWav(chans, 12345, { encoding, bitsPerSample: bits, extensible });
          expect(bytes.clipped).toBe(0);
          const a = decodeWav(bytes);
          expect(a.format).toEqual({ encoding, bitsPerSample: bits, channelCount: nch, sampleRate: 12345, extensible });
          expect(a.frames).toBe(frames);
          const lsb = 2 ** -(bits - 1);
          for (let c = 0; c < nch; c++) {
            for (let i = 0; i < frames; i++) {
              const x = chans[c]![i]!;
              const y = a.channels[c]![i]!;
              if (encoding === 'float') expect(y).toBe(bits === 64 ? x : Math.fround(x));
              else if (Math.abs(y - x) > lsb) throw new Error(`channel ${c} sample ${i}: ${x} → ${y}, more than 1 LSB`);
            }
          }
          if (encoding === 'pcm') {
            expect(a.channels[0]![0]).toBe(-1);
            expect(a.channels[0]![1]).toBe(1 - lsb); // 1.0 → the largest positive code
            expect(a.channels[0]![2]).toBe(0);
          }
        });
      }
    }
  }
});

describe('encodeWav bytes', () => {
  it('writes the canonical 44-byte 16-bit PCM header, rounding to nearest and 1.0 → 32767', () => {
    const x = Float64Array.of(1, -1, 0.5, 0.25 / 32768, 0.75 / 32768, -0.75 / 32768);
    const b = encodeWav(x, 8000);
    const dv = new DataView(b.buffer);
    const text = (at: number) => String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
    expect(b.length).toBe(44 + 12);
    expect([text(0), text(8), text(12), text(36)]).toEqual(['RIFF', 'WAVE', 'fmt ', 'data']);
    expect(dv.getUint32(4, true)).toBe(b.length - 8);
    expect(dv.getUint32(16, true)).toBe(16);
    expect([dv.getUint16(20, true), dv.getUint16(22, true), dv.getUint32(24, true), dv.getUint32(28, true), dv.getUint16(32, true), dv.getUint16(34, true)]).toEqual([1, 1, 8000, 16000, 2, 16]);
    expect(dv.getUint32(40, true)).toBe(12);
    expect([0, 1, 2, 3, 4, 5].map((i) => dv.getInt16(44 + 2 * i, true))).toEqual([32767, -32768, 16384, 0, 1, -1]);
  });

  it('8-bit: 0 → 128, 1 → 255, -1 → 0, and an odd data chunk is padded', () => {
    const b = encodeWav(Float64Array.of(0, 1, -1), 8000, { bitsPerSample: 8 });
    expect(b.length).toBe(44 + 3 + 1);
    expect(Array.from(b.subarray(44, 47))).toEqual([128, 255, 0]);
    expect(new DataView(b.buffer).getUint32(40, true)).toBe(3);
    expect(new DataView(b.buffer).getUint32(4, true)).toBe(b.length - 8);
  });

  it('24-bit little-endian two’s complement', () => {
    const b = encodeWav(Float64Array.of(-0.5, 1 / 8388608), 8000, { bitsPerSample: 24 });
    expect(Array.from(b.subarray(44, 50))).toEqual([0x00, 0x00, 0xc0, 0x01, 0x00, 0x00]);
  });

  it('float files carry a fact chunk with the frame count', () => {
    const b = encodeWav([new Float64Array(5), new Float64Array(5)], 8000, { encoding: 'float' });
    const dv = new DataView(b.buffer);
    expect(dv.getUint32(16, true)).toBe(18);
    expect(String.fromCharCode(b[38]!, b[39]!, b[40]!, b[41]!)).toBe('fact');
    expect(dv.getUint32(46, true)).toBe(5);
    expect(b.length).toBe(58 + 40);
  });

  it('PCM out of [-1, 1] is an error unless clip: true, which clips and counts', () => {
    const x = Float64Array.of(0, 1.5, -1.0000001, 0.5);
    expect(() => encodeWav(x, 8000)).toThrow(SignalError);
    expect(() => encodeWav([new Float64Array(4), x], 8000)).toThrow(/channels\[1\]\[1\] = 1\.5: outside \[-1, 1\], which 16-bit PCM cannot store\. Fix: .*clip: true/);
    const b = encodeWav(x, 8000, { clip: true });
    expect(b.clipped).toBe(2);
    expect(Array.from(decodeWav(b).channels[0]!)).toEqual([0, 32767 / 32768, -1, 0.5]);
    // float stores such values as they are
    expect(Array.from(decodeWav(encodeWav(x, 8000, { encoding: 'float', bitsPerSample: 64 })).channels[0]!)).toEqual(Array.from(x));
  });

  it('NaN and Infinity are errors in every encoding, even with clip', () => {
    for (const [encoding, bits] of cases) {
      expect(() => encodeWav(Float64Array.of(0, NaN), 8000, { encoding, bitsPerSample: bits, clip: true })).toThrow(/channels\[0\]\[1\] = NaN: samples must be finite/);
      expect(() => encodeWav(Float64Array.of(Infinity), 8000, { encoding, bitsPerSample: bits, clip: true })).toThrow(SignalError);
    }
    expect(() => encodeWav(Float64Array.of(1e39), 8000, { encoding: 'float' })).toThrow(/too large for 32-bit float/);
  });

  it('rejects bad parameters', () => {
    expect(() => encodeWav(new Float64Array(2), 0)).toThrow(ParameterError);
    expect(() => encodeWav(new Float64Array(2), 44100.5)).toThrow(/sampleRate = 44100.5/);
    expect(() => encodeWav([], 8000)).toThrow(/non-empty array/);
    expect(() => encodeWav([new Float64Array(2), new Float64Array(3)], 8000)).toThrow(/channels\[1\].*has 3 samples but channels\[0\] has 2/);
    expect(() => encodeWav(new Float64Array(2), 8000, { bitsPerSample: 64 })).toThrow(/options.bitsPerSample = 64: not available for PCM/);
    expect(() => encodeWav(new Float64Array(2), 8000, { encoding: 'float', bitsPerSample: 16 })).toThrow(/use 32 or 64/);
  });
});
