import { ParameterError, checkKnownKeys } from '@dstft/core';
import { WavError } from './errors.js';
import {
  GUID_TAIL,
  WAVE_FORMAT_EXTENSIBLE,
  WAVE_FORMAT_IEEE_FLOAT,
  WAVE_FORMAT_PCM,
  formatTagName,
  type WavAudio,
  type WavBitsPerSample,
  type WavEncoding,
} from './format.js';

/** Options of {@link decodeWav}. */
export interface DecodeWavOptions {
  /** Name used in error messages (a file name or URL). Default `"input"`. */
  name?: string;
  /**
   * A `data` chunk that declares more bytes than the file holds (a truncated download or an interrupted
   * recording), or that ends inside a frame, is an error by default. With `allowTruncated: true` the whole
   * frames present are decoded instead.
   */
  allowTruncated?: boolean;
}

const CONVERT_FIX =
  'convert the file to PCM or float WAV, e.g. `sox in.wav -e signed-integer -b 16 out.wav` or `ffmpeg -i in.wav -c:a pcm_s16le out.wav`';
const DAMAGED_FIX = 'the file is damaged or was not written as WAV; export it again from the program that made it';

/** Typed-array views read the host's byte order: use them only on little-endian hosts (all current browsers and Node). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function ascii(u8: Uint8Array, at: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(u8[at + i]!);
  return s;
}

/** The first bytes, as text when printable, otherwise as hex. */
function showBytes(u8: Uint8Array, at: number, n: number): string {
  const end = Math.min(u8.length, at + n);
  let printable = true;
  for (let i = at; i < end; i++) if (u8[i]! < 0x20 || u8[i]! > 0x7e) printable = false;
  if (printable) return JSON.stringify(ascii(u8, at, end - at));
  const hex: string[] = [];
  for (let i = at; i < end; i++) hex.push(u8[i]!.toString(16).padStart(2, '0'));
  return `bytes ${hex.join(' ')}`;
}

function guidString(dv: DataView, at: number): string {
  const h = (v: number, n: number) => v.toString(16).toUpperCase().padStart(n, '0');
  let tail = '';
  for (let i = 8; i < 16; i++) tail += h(dv.getUint8(at + i), 2) + (i === 9 ? '-' : '');
  return `{${h(dv.getUint32(at, true), 8)}-${h(dv.getUint16(at + 4, true), 4)}-${h(dv.getUint16(at + 6, true), 4)}-${tail}}`;
}

function toBytes(bytes: Uint8Array | ArrayBuffer): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (ArrayBuffer.isView(bytes)) {
    const v = bytes as ArrayBufferView;
    return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  }
  throw new ParameterError(
    'bytes',
    bytes,
    'expected the bytes of a WAV file as a Uint8Array or an ArrayBuffer',
    'pass e.g. `readFileSync(path)` in Node or `new Uint8Array(await response.arrayBuffer())` in a browser',
  );
}

/**
 * Decodes a RIFF/WAVE file into one Float64Array per channel.
 *
 * Reads `fmt ` chunks of type WAVE_FORMAT_PCM (1), WAVE_FORMAT_IEEE_FLOAT (3) and WAVE_FORMAT_EXTENSIBLE (0xFFFE)
 * with a PCM or float sub-format; 8-bit unsigned, 16/24/32-bit signed PCM and 32/64-bit float; any channel count.
 * Other chunks are skipped (odd sizes are padded to even), in any order. Scaling of PCM: code / 2^(bits-1)
 * (8-bit: (code - 128) / 128), so the most negative code maps to exactly -1 and the most positive to 1 - 2^-(bits-1).
 * Float samples are returned as stored (they may exceed [-1, 1]); NaN or Infinity is an error.
 *
 * @throws WavError when the bytes are not a WAV file this decoder reads; the message says what and how to fix it.
 */
export function decodeWav(bytes: Uint8Array | ArrayBuffer, options: DecodeWavOptions = {}): WavAudio {
  checkKnownKeys(options, ['name', 'allowTruncated'], { owner: 'decodeWav()', example: "{ name: 'in.wav', allowTruncated: true }" });
  if (options.name !== undefined && typeof options.name !== 'string') throw new ParameterError('options.name', options.name, 'expected a string (a file name or URL, for messages)', "pass e.g. { name: 'in.wav' }");
  const name = options.name ?? 'input';
  const fail = (problem: string, fix: string) => new WavError(name, problem, fix);
  const u8 = toBytes(bytes);
  const length = u8.length;
  const dv = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);

  if (length === 0) throw fail('the file is empty (0 bytes)', 'check the path and that the file was written completely');
  if (length < 12) {
    throw fail(
      `the file has only ${length} bytes, fewer than the 12 of a RIFF/WAVE header`,
      'check that the file was written or downloaded completely',
    );
  }
  const riff = ascii(u8, 0, 4);
  if (riff === 'RF64' || riff === 'BW64') {
    throw fail(
      `the file is ${riff} (64-bit WAV for files over 4 GiB), which this decoder does not read`,
      'split the recording into files under 4 GiB, or convert it to RIFF WAV with sox or ffmpeg',
    );
  }
  if (riff === 'RIFX') {
    throw fail('the file is RIFX (big-endian WAV), which this decoder does not read', CONVERT_FIX);
  }
  if (riff !== 'RIFF') {
    throw fail(
      `the file does not start with "RIFF" (found ${showBytes(u8, 0, 4)}), so it is not a WAV file`,
      'pass a .wav file; convert other formats (MP3, FLAC, OGG...) with `ffmpeg -i in.mp3 out.wav`',
    );
  }
  const wave = ascii(u8, 8, 4);
  if (wave !== 'WAVE') {
    throw fail(
      `the file is a RIFF file of form ${showBytes(u8, 8, 4)}, not "WAVE"`,
      'pass a WAV file (RIFF form "WAVE"); AVI and other RIFF files are not audio files this decoder reads',
    );
  }

  // Scan the chunks. The RIFF size is trusted only to ignore trailing bytes after the fmt and data chunks have been
  // found: streaming writers leave it 0 or 0xFFFFFFFF.
  const riffEnd = 8 + dv.getUint32(4, true);
  const seen: string[] = [];
  let fmtAt = -1;
  let fmtSize = 0;
  let dataAt = -1;
  let dataSize = 0;
  let pos = 12;
  while (pos + 8 <= length) {
    if (pos >= riffEnd && fmtAt >= 0 && dataAt >= 0) break;
    const id = ascii(u8, pos, 4);
    const size = dv.getUint32(pos + 4, true);
    if (seen.length < 12) seen.push(JSON.stringify(id));
    if (id === 'fmt ' && fmtAt < 0) {
      fmtAt = pos + 8;
      fmtSize = size;
    } else if (id === 'data' && dataAt < 0) {
      dataAt = pos + 8;
      dataSize = size;
    }
    pos += 8 + size + (size & 1);
  }
  const found = seen.length ? `chunks found: ${seen.join(', ')}` : 'no chunks after the RIFF header';

  if (fmtAt < 0) throw fail(`no "fmt " chunk (${found}), so the sample format is unknown`, DAMAGED_FIX);
  if (fmtSize < 16) throw fail(`the "fmt " chunk has ${fmtSize} bytes, fewer than the 16 it needs`, DAMAGED_FIX);
  if (fmtAt + 16 > length) {
    throw fail(`the "fmt " chunk is cut off: ${length - fmtAt} of its ${fmtSize} bytes are present`, DAMAGED_FIX);
  }
  let tag = dv.getUint16(fmtAt, true);
  const channelCount = dv.getUint16(fmtAt + 2, true);
  const sampleRate = dv.getUint32(fmtAt + 4, true);
  const blockAlign = dv.getUint16(fmtAt + 12, true);
  const bits = dv.getUint16(fmtAt + 14, true);
  let extensible = false;
  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    if (fmtSize < 40 || fmtAt + 40 > length) {
      throw fail(
        `the "fmt " chunk says WAVE_FORMAT_EXTENSIBLE but has ${Math.min(fmtSize, length - fmtAt)} bytes, fewer than the 40 it needs`,
        DAMAGED_FIX,
      );
    }
    const guidAt = fmtAt + 24;
    let known = true;
    for (let i = 0; i < GUID_TAIL.length; i++) if (u8[guidAt + 2 + i] !== GUID_TAIL[i]) known = false;
    const sub = dv.getUint16(guidAt, true);
    if (!known) {
      throw fail(`WAVE_FORMAT_EXTENSIBLE with sub-format GUID ${guidString(dv, guidAt)}, which is neither PCM nor IEEE float`, CONVERT_FIX);
    }
    if (sub !== WAVE_FORMAT_PCM && sub !== WAVE_FORMAT_IEEE_FLOAT) {
      throw fail(`WAVE_FORMAT_EXTENSIBLE with sub-format ${formatTagName(sub)} is not supported (only PCM and IEEE float are)`, CONVERT_FIX);
    }
    tag = sub;
    extensible = true;
  }
  if (tag !== WAVE_FORMAT_PCM && tag !== WAVE_FORMAT_IEEE_FLOAT) {
    throw fail(
      `format tag ${formatTagName(tag)} is not supported; this decoder reads PCM (8/16/24/32-bit) and IEEE float (32/64-bit) only`,
      CONVERT_FIX,
    );
  }
  const encoding: WavEncoding = tag === WAVE_FORMAT_PCM ? 'pcm' : 'float';
  if (channelCount === 0) throw fail('the "fmt " chunk declares 0 channels', DAMAGED_FIX);
  if (sampleRate === 0) throw fail('the "fmt " chunk declares a sample rate of 0 Hz', DAMAGED_FIX);
  const bitsOk = encoding === 'pcm' ? bits === 8 || bits === 16 || bits === 24 || bits === 32 : bits === 32 || bits === 64;
  if (!bitsOk) {
    throw fail(
      `${bits}-bit ${encoding === 'pcm' ? 'PCM' : 'float'} is not supported (PCM: 8, 16, 24 or 32 bits; float: 32 or 64 bits)`,
      CONVERT_FIX,
    );
  }
  const bytesPerSample = bits >>> 3;
  if (blockAlign !== channelCount * bytesPerSample) {
    throw fail(
      `the block align is ${blockAlign} bytes, but ${channelCount} channel(s) of ${bits}-bit samples take ${channelCount * bytesPerSample} bytes per frame`,
      DAMAGED_FIX,
    );
  }

  if (dataAt < 0) throw fail(`no "data" chunk (${found}), so there are no samples`, DAMAGED_FIX);
  const present = Math.max(0, length - dataAt);
  let available = dataSize;
  if (dataSize > present) {
    if (!options.allowTruncated) {
      throw fail(
        `the "data" chunk declares ${dataSize} bytes but only ${present} are present (the file is truncated)`,
        `use the complete file, or pass { allowTruncated: true } to decode the ${Math.floor(present / blockAlign)} whole frames present`,
      );
    }
    available = present;
  }
  const rest = available % blockAlign;
  if (rest !== 0 && !options.allowTruncated) {
    throw fail(
      `the "data" chunk has ${available} bytes, which is not a whole number of ${blockAlign}-byte frames (${rest} bytes left over)`,
      `use the complete file, or pass { allowTruncated: true } to decode the ${Math.floor(available / blockAlign)} whole frames present`,
    );
  }
  const frames = (available - rest) / blockAlign;

  const channels: Float64Array[] = [];
  for (let c = 0; c < channelCount; c++) channels.push(new Float64Array(frames));
  const nch = channelCount;
  let p = dataAt;
  if (encoding === 'pcm') {
    if (bits === 8) {
      for (let f = 0; f < frames; f++) for (let c = 0; c < nch; c++) channels[c]![f] = (u8[p++]! - 128) / 128;
    } else if (bits === 16 && LITTLE_ENDIAN && ((u8.byteOffset + p) & 1) === 0) {
      const s16 = new Int16Array(u8.buffer, u8.byteOffset + p, frames * nch);
      for (let c = 0; c < nch; c++) {
        const ch = channels[c]!;
        for (let f = 0, k = c; f < frames; f++, k += nch) ch[f] = s16[k]! / 32768;
      }
    } else if (bits === 16) {
      for (let f = 0; f < frames; f++) {
        for (let c = 0; c < nch; c++, p += 2) channels[c]![f] = dv.getInt16(p, true) / 32768;
      }
    } else if (bits === 24) {
      for (let f = 0; f < frames; f++) {
        for (let c = 0; c < nch; c++, p += 3) {
          channels[c]![f] = (((u8[p]! | (u8[p + 1]! << 8) | (u8[p + 2]! << 16)) << 8) >> 8) / 8388608;
        }
      }
    } else {
      for (let f = 0; f < frames; f++) {
        for (let c = 0; c < nch; c++, p += 4) channels[c]![f] = dv.getInt32(p, true) / 2147483648;
      }
    }
  } else {
    const f64 = bits === 64;
    for (let f = 0; f < frames; f++) {
      for (let c = 0; c < nch; c++) {
        const v = f64 ? dv.getFloat64(p, true) : dv.getFloat32(p, true);
        p += bytesPerSample;
        if (v - v !== 0) {
          throw fail(
            `sample ${f * nch + c} (frame ${f}, channel ${c}) is ${Number.isNaN(v) ? 'NaN' : String(v)}; float samples must be finite`,
            'repair the file in the program that wrote it (replace NaN and Infinity by finite values) and export it again',
          );
        }
        channels[c]![f] = v;
      }
    }
  }

  return {
    sampleRate,
    channels,
    format: { encoding, bitsPerSample: bits as WavBitsPerSample, channelCount, sampleRate, extensible },
    frames,
  };
}
