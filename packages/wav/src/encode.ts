import { ParameterError, ShapeError, SignalError, checkKnownKeys } from '@dstft/core';
import {
  GUID_TAIL,
  WAVE_FORMAT_EXTENSIBLE,
  WAVE_FORMAT_IEEE_FLOAT,
  WAVE_FORMAT_PCM,
  type WavBitsPerSample,
  type WavEncoding,
} from './format.js';

/** Options of {@link encodeWav}. */
export interface EncodeWavOptions {
  /** `'pcm'` (default) or `'float'`. */
  encoding?: WavEncoding;
  /** PCM: 8, 16 (default), 24 or 32. Float: 32 (default) or 64. */
  bitsPerSample?: WavBitsPerSample;
  /**
   * PCM only. A sample outside [-1, 1] is an error by default; with `clip: true` it is clipped to ±1 and counted
   * in the result's `clipped` property.
   */
  clip?: boolean;
  /** Write a WAVE_FORMAT_EXTENSIBLE `fmt ` chunk (default false: plain PCM / IEEE float, read by every program). */
  extensible?: boolean;
}

/** The bytes of a WAV file, plus how many samples were clipped (always 0 unless `clip: true`). */
export type EncodedWav = Uint8Array<ArrayBuffer> & { readonly clipped: number };

const RANGE_FIX =
  'scale the signal into [-1, 1] (e.g. divide by its largest absolute value), encode it as float ({ encoding: "float" }), or pass { clip: true } to clip it and get the count in result.clipped';

/**
 * Encodes channels as a RIFF/WAVE file. Default: 16-bit PCM.
 *
 * PCM quantizes with rounding: code = round(x · 2^(bits-1)), limited to the largest positive code, so -1 → the
 * most negative code and 1 → 2^(bits-1) - 1 (16-bit: 32767); 8-bit stores code + 128. Samples outside [-1, 1]
 * are an error unless `clip: true`. Float stores the values as they are (32-bit: rounded to float32).
 * NaN and Infinity are always an error. Float files get a `fact` chunk, as the format asks.
 *
 * @param channels one Float64Array (mono) or one per channel, all the same length
 * @param sampleRate samples per second, a positive integer
 */
export function encodeWav(
  channels: Float64Array | readonly Float64Array[],
  sampleRate: number,
  options: EncodeWavOptions = {},
): EncodedWav {
  const list: readonly Float64Array[] = channels instanceof Float64Array ? [channels] : channels;
  if (!Array.isArray(list) || list.length === 0) {
    throw new ShapeError('channels', channels, 'expected a Float64Array or a non-empty array of Float64Array (one per channel)', 'pass [left, right] or a single Float64Array for mono');
  }
  const nch = list.length;
  if (nch > 65535) throw new ShapeError('channels', channels, `${nch} channels; WAV holds at most 65535`, 'write fewer channels per file');
  for (let c = 0; c < nch; c++) {
    if (!(list[c] instanceof Float64Array)) {
      throw new ShapeError(`channels[${c}]`, list[c], 'expected a Float64Array', 'convert it with Float64Array.from(samples)');
    }
    if (list[c].length !== list[0].length) {
      throw new ShapeError(`channels[${c}]`, list[c], `has ${list[c].length} samples but channels[0] has ${list[0].length}`, 'give every channel the same number of samples');
    }
  }
  if (!Number.isInteger(sampleRate) || sampleRate < 1 || sampleRate > 0xffffffff) {
    throw new ParameterError('sampleRate', sampleRate, 'must be a positive integer (samples per second)', 'pass e.g. 44100, 48000 or 16000');
  }
  checkKnownKeys(options, ['encoding', 'bitsPerSample', 'clip', 'extensible'], { owner: 'encodeWav()', example: "{ encoding: 'pcm', bitsPerSample: 16 }" });
  for (const k of ['clip', 'extensible'] as const) {
    if (options[k] !== undefined && typeof options[k] !== 'boolean') throw new ParameterError(`options.${k}`, options[k], 'expected true or false', `pass ${k}: true, or leave it out`);
  }
  const encoding = options.encoding ?? 'pcm';
  if (encoding !== 'pcm' && encoding !== 'float') {
    throw new ParameterError('options.encoding', encoding, 'unknown encoding', 'use "pcm" or "float"');
  }
  const bits = options.bitsPerSample ?? (encoding === 'pcm' ? 16 : 32);
  const bitsOk = encoding === 'pcm' ? bits === 8 || bits === 16 || bits === 24 || bits === 32 : bits === 32 || bits === 64;
  if (!bitsOk) {
    throw new ParameterError(
      'options.bitsPerSample',
      bits,
      `not available for ${encoding === 'pcm' ? 'PCM' : 'float'}`,
      encoding === 'pcm' ? 'use 8, 16, 24 or 32 for PCM, or { encoding: "float" } for 64-bit float' : 'use 32 or 64 for float',
    );
  }
  const clip = options.clip === true;
  const extensible = options.extensible === true;
  const frames = list[0].length;
  const bytesPerSample = bits >>> 3;
  const blockAlign = nch * bytesPerSample;
  if (blockAlign > 65535) {
    throw new ShapeError('channels', channels, `${nch} channels of ${bits} bits make a ${blockAlign}-byte frame; WAV allows at most 65535`, 'write fewer channels per file');
  }
  if (sampleRate * blockAlign > 0xffffffff) {
    throw new ParameterError('sampleRate', sampleRate, `the byte rate ${sampleRate * blockAlign} does not fit the 32-bit field`, 'use a lower sample rate or fewer channels');
  }
  const isFloat = encoding === 'float';
  const fmtSize = extensible ? 40 : isFloat ? 18 : 16;
  const headerSize = 12 + 8 + fmtSize + (isFloat ? 12 : 0) + 8;
  const dataSize = frames * blockAlign;
  const total = headerSize + dataSize + (dataSize & 1);
  if (total - 8 > 0xffffffff) {
    throw new ShapeError('channels', channels, `${dataSize} bytes of samples exceed the 4 GiB limit of RIFF WAV`, 'split the signal into several files');
  }

  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  const tag = (at: number, s: string) => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  tag(0, 'RIFF');
  dv.setUint32(4, total - 8, true);
  tag(8, 'WAVE');
  tag(12, 'fmt ');
  dv.setUint32(16, fmtSize, true);
  const code = isFloat ? WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_PCM;
  dv.setUint16(20, extensible ? WAVE_FORMAT_EXTENSIBLE : code, true);
  dv.setUint16(22, nch, true);
  dv.setUint32(24, sampleRate, true);
  dv.setUint32(28, sampleRate * blockAlign, true);
  dv.setUint16(32, blockAlign, true);
  dv.setUint16(34, bits, true);
  let p = 36;
  if (extensible) {
    dv.setUint16(36, 22, true); // cbSize
    dv.setUint16(38, bits, true); // valid bits per sample
    dv.setUint32(40, nch === 1 ? 0x4 : nch === 2 ? 0x3 : 0, true); // channel mask: centre / left+right / unspecified
    dv.setUint16(44, code, true);
    for (let i = 0; i < GUID_TAIL.length; i++) out[46 + i] = GUID_TAIL[i]!;
    p = 60;
  } else if (isFloat) {
    dv.setUint16(36, 0, true); // cbSize
    p = 38;
  }
  if (isFloat) {
    tag(p, 'fact');
    dv.setUint32(p + 4, 4, true);
    dv.setUint32(p + 8, frames, true);
    p += 12;
  }
  tag(p, 'data');
  dv.setUint32(p + 4, dataSize, true);
  p += 8;

  let clipped = 0;
  const bad = (c: number, i: number, x: number, problem: string, fix: string) =>
    new SignalError(`channels[${c}][${i}]`, x, problem, fix);
  if (isFloat) {
    const f64 = bits === 64;
    for (let i = 0; i < frames; i++) {
      for (let c = 0; c < nch; c++) {
        const x = list[c][i];
        if (x - x !== 0) throw bad(c, i, x, 'samples must be finite', 'replace NaN and Infinity before encoding');
        if (f64) {
          dv.setFloat64(p, x, true);
        } else {
          if (Math.abs(x) > 3.4028234663852886e38) {
            throw bad(c, i, x, 'too large for 32-bit float', 'scale the signal down or use { bitsPerSample: 64 }');
          }
          dv.setFloat32(p, x, true);
        }
        p += bytesPerSample;
      }
    }
  } else {
    const scale = 2 ** (bits - 1);
    const maxCode = scale - 1;
    for (let i = 0; i < frames; i++) {
      for (let c = 0; c < nch; c++) {
        let x = list[c][i];
        if (!(x >= -1 && x <= 1)) {
          if (x - x !== 0) throw bad(c, i, x, 'samples must be finite', 'replace NaN and Infinity before encoding');
          if (!clip) throw bad(c, i, x, `outside [-1, 1], which ${bits}-bit PCM cannot store`, RANGE_FIX);
          x = x > 1 ? 1 : -1;
          clipped++;
        }
        let q = Math.round(x * scale);
        if (q > maxCode) q = maxCode;
        if (bits === 16) {
          dv.setInt16(p, q, true);
        } else if (bits === 24) {
          out[p] = q & 0xff;
          out[p + 1] = (q >> 8) & 0xff;
          out[p + 2] = (q >> 16) & 0xff;
        } else if (bits === 32) {
          dv.setInt32(p, q, true);
        } else {
          out[p] = q + 128;
        }
        p += bytesPerSample;
      }
    }
  }
  Object.defineProperty(out, 'clipped', { value: clipped, enumerable: false });
  return out as EncodedWav;
}
