import { describe, expect, it } from 'vitest';
import { decodeWav } from './index.js';
import { bytesOf, chunkBytes, fmtChunk, riff, simpleWav } from './wav-bytes.test-support.js';

describe('decodeWav on hand-built files', () => {
  it('16-bit stereo PCM: code / 32768, interleaved L R', () => {
    const codes = [0, -32768, 32767, 16384, -1, 1];
    const data = bytesOf(12, (dv) => codes.forEach((v, i) => dv.setInt16(2 * i, v, true)));
    const a = decodeWav(simpleWav({ tag: 1, channels: 2, rate: 22050, bits: 16 }, data));
    expect(a.sampleRate).toBe(22050);
    expect(a.frames).toBe(3);
    expect(a.format).toEqual({ encoding: 'pcm', bitsPerSample: 16, channelCount: 2, sampleRate: 22050, extensible: false });
    expect(Array.from(a.channels[0]!)).toEqual([0, 32767 / 32768, -1 / 32768]);
    expect(Array.from(a.channels[1]!)).toEqual([-1, 0.5, 1 / 32768]);
  });

  it('8-bit unsigned PCM: (v - 128) / 128, the midpoint 128 is exactly 0', () => {
    const a = decodeWav(simpleWav({ tag: 1, channels: 1, rate: 8000, bits: 8 }, Uint8Array.of(128, 0, 255, 64, 192)));
    expect(Array.from(a.channels[0]!)).toEqual([0, -1, 127 / 128, -0.5, 0.5]);
    expect(Object.is(a.channels[0]![0], 0)).toBe(true);
    expect(a.frames).toBe(5); // odd data size: the pad byte is not a sample
  });

  it('24-bit PCM: sign-extended, / 8388608', () => {
    const data = Uint8Array.of(0x00, 0x00, 0x80, 0xff, 0xff, 0x7f, 0x00, 0x00, 0xc0, 0x01, 0x00, 0x00, 0xff, 0xff, 0xff);
    const a = decodeWav(simpleWav({ tag: 1, channels: 1, rate: 48000, bits: 24 }, data));
    expect(Array.from(a.channels[0]!)).toEqual([-1, 8388607 / 8388608, -0.5, 1 / 8388608, -1 / 8388608]);
  });

  it('32-bit PCM: / 2147483648', () => {
    const codes = [-2147483648, 1073741824, 2147483647, -1];
    const data = bytesOf(16, (dv) => codes.forEach((v, i) => dv.setInt32(4 * i, v, true)));
    const a = decodeWav(simpleWav({ tag: 1, channels: 2, rate: 96000, bits: 32 }, data));
    expect(Array.from(a.channels[0]!)).toEqual([-1, 2147483647 / 2147483648]);
    expect(Array.from(a.channels[1]!)).toEqual([0.5, -1 / 2147483648]);
  });

  it('32-bit float, 3 channels: values as stored, also outside [-1, 1]', () => {
    const vals = [0.25, -1.5, 2, 0, -0.125, 1e-3];
    const data = bytesOf(24, (dv) => vals.forEach((v, i) => dv.setFloat32(4 * i, v, true)));
    const a = decodeWav(simpleWav({ tag: 3, channels: 3, rate: 16000, bits: 32 }, data));
    expect(a.format.encoding).toBe('float');
    expect(a.frames).toBe(2);
    expect(Array.from(a.channels[0]!)).toEqual([0.25, 0]);
    expect(Array.from(a.channels[1]!)).toEqual([-1.5, -0.125]);
    expect(Array.from(a.channels[2]!)).toEqual([2, Math.fround(1e-3)]);
  });

  it('64-bit float: exact', () => {
    const vals = [0.1, -Math.PI, 1e-300];
    const data = bytesOf(24, (dv) => vals.forEach((v, i) => dv.setFloat64(8 * i, v, true)));
    const a = decodeWav(simpleWav({ tag: 3, channels: 1, rate: 44100, bits: 64 }, data));
    expect(Array.from(a.channels[0]!)).toEqual(vals);
  });

  it('WAVE_FORMAT_EXTENSIBLE with PCM and float sub-formats', () => {
    const pcm = decodeWav(simpleWav({ tag: 0xfffe, subFormat: 1, channels: 1, rate: 8000, bits: 24 }, Uint8Array.of(0, 0, 0x40)));
    expect(pcm.format).toEqual({ encoding: 'pcm', bitsPerSample: 24, channelCount: 1, sampleRate: 8000, extensible: true });
    expect(pcm.channels[0]![0]).toBe(0.5);
    const data = bytesOf(16, (dv) => {
      dv.setFloat64(0, -0.75, true);
      dv.setFloat64(8, 0.5, true);
    });
    const flt = decodeWav(simpleWav({ tag: 0xfffe, subFormat: 3, channels: 2, rate: 8000, bits: 64 }, data));
    expect(flt.format.encoding).toBe('float');
    expect(flt.format.extensible).toBe(true);
    expect([flt.channels[0]![0], flt.channels[1]![0]]).toEqual([-0.75, 0.5]);
  });

  it('skips unknown chunks, odd-sized ones with their pad byte, and reads data before fmt', () => {
    const data = bytesOf(4, (dv) => {
      dv.setInt16(0, 8192, true);
      dv.setInt16(2, -8192, true);
    });
    const file = riff([
      chunkBytes({ id: 'LIST', body: Uint8Array.of(1, 2, 3) }), // odd: 3 bytes + 1 pad
      chunkBytes({ id: 'data', body: data }),
      chunkBytes({ id: 'junk', body: new Uint8Array(5).fill(0x64) }), // 'd' bytes: would look like a chunk id if the pad were ignored
      chunkBytes(fmtChunk({ tag: 1, channels: 1, rate: 11025, bits: 16 })),
      chunkBytes({ id: 'id3 ', body: Uint8Array.of(9) }),
    ]);
    expect(file.length).toBe(12 + 12 + 12 + 14 + 24 + 10);
    const a = decodeWav(file);
    expect(a.sampleRate).toBe(11025);
    expect(Array.from(a.channels[0]!)).toEqual([0.25, -0.25]);
  });

  it('reads a Uint8Array view at an offset and a bare ArrayBuffer', () => {
    const file = simpleWav({ tag: 1, channels: 1, rate: 8000, bits: 16 }, bytesOf(2, (dv) => dv.setInt16(0, -16384, true)));
    const big = new Uint8Array(file.length + 7);
    big.set(file, 3);
    expect(decodeWav(big.subarray(3, 3 + file.length)).channels[0]![0]).toBe(-0.5);
    expect(decodeWav(file.buffer as ArrayBuffer).channels[0]![0]).toBe(-0.5);
  });

  it('ignores trailing bytes after the RIFF size and tolerates a RIFF size of 0 (streaming writers)', () => {
    const file = simpleWav({ tag: 1, channels: 1, rate: 8000, bits: 8 }, Uint8Array.of(192, 64));
    const trailing = new Uint8Array(file.length + 5);
    trailing.set(file);
    trailing.set([0x54, 0x41, 0x47, 0xff, 0xff], file.length); // "TAG" + garbage
    expect(Array.from(decodeWav(trailing).channels[0]!)).toEqual([0.5, -0.5]);
    const zero = file.slice();
    new DataView(zero.buffer).setUint32(4, 0, true);
    expect(Array.from(decodeWav(zero).channels[0]!)).toEqual([0.5, -0.5]);
  });

  it('an empty data chunk gives zero frames', () => {
    const a = decodeWav(simpleWav({ tag: 1, channels: 2, rate: 8000, bits: 16 }, new Uint8Array(0)));
    expect(a.frames).toBe(0);
    expect(a.channels.map((c) => c.length)).toEqual([0, 0]);
  });
});
