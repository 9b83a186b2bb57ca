import { DstftError } from '@dstft/core';
import { describe, expect, it } from 'vitest';
import { WavError, decodeWav } from './index.js';
import { bytesOf, chunkBytes, fmtChunk, riff, simpleWav } from './wav-bytes.test-support.js';

function errorOf(fn: () => unknown): WavError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(WavError);
    expect(e).toBeInstanceOf(DstftError);
    expect((e as WavError).code).toBe('ERR_WAV');
    expect((e as WavError).message).toMatch(/Fix: /);
    return e as WavError;
  }
  throw new Error('expected a WavError, nothing was thrown');
}

const pcm16 = { tag: 1, channels: 2, rate: 8000, bits: 16 };
const fourFrames = new Uint8Array(16);

describe('decodeWav on malformed input', () => {
  it('names the file (default "input")', () => {
    expect(errorOf(() => decodeWav(new Uint8Array(0))).message).toMatch(/^WAV file "input": the file is empty \(0 bytes\)/);
    expect(errorOf(() => decodeWav(new Uint8Array(0), { name: 'a/b.wav' })).message).toMatch(/^WAV file "a\/b\.wav": /);
  });

  it('too short for a header', () => {
    expect(errorOf(() => decodeWav(Uint8Array.of(0x52, 0x49, 0x46, 0x46, 0))).message).toContain('only 5 bytes');
  });

  it('not RIFF: shows what was found', () => {
    const id3 = new TextEncoder().encode('ID3\u0004 some mp3 bytes');
    expect(errorOf(() => decodeWav(id3)).message).toContain('does not start with "RIFF" (found bytes 49 44 33 04)');
    const ogg = new TextEncoder().encode('OggS and more bytes');
    expect(errorOf(() => decodeWav(ogg)).message).toContain('(found "OggS")');
  });

  it('RF64 and RIFX are rejected by name', () => {
    expect(errorOf(() => decodeWav(riff([], { riffId: 'RF64' }))).message).toContain('RF64 (64-bit WAV');
    expect(errorOf(() => decodeWav(riff([], { riffId: 'RIFX' }))).message).toContain('RIFX (big-endian');
  });

  it('not WAVE', () => {
    expect(errorOf(() => decodeWav(riff([], { form: 'AVI ' }))).message).toContain('RIFF file of form "AVI ", not "WAVE"');
  });

  it('missing fmt / missing data list the chunks found', () => {
    const noFmt = riff([chunkBytes({ id: 'data', body: fourFrames })]);
    expect(errorOf(() => decodeWav(noFmt)).message).toContain('no "fmt " chunk (chunks found: "data")');
    const noData = riff([chunkBytes(fmtChunk(pcm16)), chunkBytes({ id: 'LIST', body: new Uint8Array(4) })]);
    expect(errorOf(() => decodeWav(noData)).message).toContain('no "data" chunk (chunks found: "fmt ", "LIST")');
    expect(errorOf(() => decodeWav(riff([]))).message).toContain('no chunks after the RIFF header');
  });

  it('a fmt chunk that is too short', () => {
    const file = riff([chunkBytes({ id: 'fmt ', body: new Uint8Array(14) }), chunkBytes({ id: 'data', body: fourFrames })]);
    expect(errorOf(() => decodeWav(file)).message).toContain('"fmt " chunk has 14 bytes, fewer than the 16');
  });

  it('a truncated data chunk: declared vs present; allowTruncated decodes the whole frames', () => {
    const whole = simpleWav(pcm16, bytesOf(16, (dv) => dv.setInt16(12, 16384, true)));
    const cut = whole.subarray(0, whole.length - 6); // 10 of 16 data bytes: 2 whole frames + 2 bytes
    expect(errorOf(() => decodeWav(cut)).message).toContain('"data" chunk declares 16 bytes but only 10 are present');
    expect(errorOf(() => decodeWav(cut)).message).toContain('allowTruncated: true } to decode the 2 whole frames');
    const a = decodeWav(cut, { allowTruncated: true });
    expect(a.frames).toBe(2);
    expect(a.channels[0]!.length).toBe(2);
  });

  it('a data chunk that ends inside a frame', () => {
    const file = simpleWav(pcm16, new Uint8Array(10));
    expect(errorOf(() => decodeWav(file)).message).toContain('10 bytes, which is not a whole number of 4-byte frames (2 bytes left over)');
    expect(decodeWav(file, { allowTruncated: true }).frames).toBe(2);
  });

  it('unsupported encodings name the format tag', () => {
    const cases: [number, string][] = [
      [6, '0x0006 (A-law)'],
      [7, '0x0007 (µ-law)'],
      [2, '0x0002 (Microsoft ADPCM)'],
      [0x11, '0x0011 (IMA ADPCM)'],
      [0x1234, '0x1234 (unknown)'],
    ];
    for (const [tag, text] of cases) {
      const msg = errorOf(() => decodeWav(simpleWav({ tag, channels: 1, rate: 8000, bits: 8 }, new Uint8Array(4)))).message;
      expect(msg).toContain(`format tag ${text} is not supported`);
      expect(msg).toContain('sox');
    }
  });

  it('extensible with an unsupported sub-format or a foreign GUID', () => {
    const alaw = simpleWav({ tag: 0xfffe, subFormat: 6, channels: 1, rate: 8000, bits: 8 }, new Uint8Array(4));
    expect(errorOf(() => decodeWav(alaw)).message).toContain('sub-format 0x0006 (A-law) is not supported');
    const foreign = simpleWav({ tag: 0xfffe, subFormat: 1, guidTail: new Array(14).fill(0xab), channels: 1, rate: 8000, bits: 16 }, new Uint8Array(4));
    expect(errorOf(() => decodeWav(foreign)).message).toContain('sub-format GUID {ABAB0001-ABAB-ABAB-ABAB-ABABABABABAB}');
  });

  it('unsupported bit depths', () => {
    expect(errorOf(() => decodeWav(simpleWav({ tag: 1, channels: 1, rate: 8000, bits: 12, blockAlign: 2 }, new Uint8Array(4)))).message).toContain('12-bit PCM is not supported');
    expect(errorOf(() => decodeWav(simpleWav({ tag: 3, channels: 1, rate: 8000, bits: 16 }, new Uint8Array(4)))).message).toContain('16-bit float is not supported');
  });

  it('block-align mismatch', () => {
    const file = simpleWav({ ...pcm16, blockAlign: 2 }, fourFrames);
    expect(errorOf(() => decodeWav(file)).message).toContain('block align is 2 bytes, but 2 channel(s) of 16-bit samples take 4 bytes per frame');
  });

  it('zero channels, zero sample rate', () => {
    expect(errorOf(() => decodeWav(simpleWav({ ...pcm16, channels: 0, blockAlign: 0 }, fourFrames))).message).toContain('declares 0 channels');
    expect(errorOf(() => decodeWav(simpleWav({ ...pcm16, rate: 0 }, fourFrames))).message).toContain('sample rate of 0 Hz');
  });

  it('NaN / Infinity in float data names the sample index', () => {
    const f32 = bytesOf(16, (dv) => dv.setFloat32(12, NaN, true));
    expect(errorOf(() => decodeWav(simpleWav({ tag: 3, channels: 2, rate: 8000, bits: 32 }, f32))).message).toContain('sample 3 (frame 1, channel 1) is NaN');
    const f64 = bytesOf(16, (dv) => dv.setFloat64(8, -Infinity, true));
    expect(errorOf(() => decodeWav(simpleWav({ tag: 3, channels: 1, rate: 8000, bits: 64 }, f64))).message).toContain('sample 1 (frame 1, channel 0) is -Infinity');
  });
});
