/** WAV in and out through @dstft/wav: every encoding it decodes, a channel or the mix-down, formats by name. */
import { decodeWav, describeWavFormat, encodeWav, mixdown, selectChannel, type WavFormat } from '@dstft/wav';
import { InputError, UsageError, translateFix } from '../errors.js';

export interface WavInfo extends WavFormat {
  readonly frames: number;
  /** e.g. "24-bit PCM, 2 channels, 48000 Hz". */
  readonly description: string;
}

/** Decodes a WAV file; `channel` (0-based) or the mean of all channels. Errors name the file. */
export function readWav(bytes: Uint8Array, path: string, channel: number | undefined): { samples: Float64Array; sampleRate: number; info: WavInfo; channel: number | 'mix' } {
  let audio;
  try {
    audio = decodeWav(bytes, { name: path });
  } catch (e) {
    const err = e as { code?: string; problem?: string; fix?: string; message: string };
    if (err.code === 'ERR_WAV' && err.problem) throw new InputError(path, err.problem, err.fix ? translateFix(err.fix) : 'pass a valid WAV file');
    throw new InputError(path, err.message, 'pass a valid WAV file');
  }
  const n = audio.format.channelCount;
  if (channel !== undefined && (channel < 0 || channel >= n)) {
    throw new UsageError(`--channel = ${channel}: ${path} has ${n} channel(s) (0..${n - 1}). Fix: pass --channel between 0 and ${n - 1}, or leave it out to mix all channels down`);
  }
  if (audio.frames < 2) throw new InputError(path, `holds ${audio.frames} sample frame(s)`, 'pass a recording of at least 2 samples');
  const samples = channel !== undefined ? selectChannel(audio, channel) : n === 1 ? audio.channels[0]! : mixdown(audio);
  return {
    samples,
    sampleRate: audio.sampleRate,
    info: { ...audio.format, frames: audio.frames, description: describeWavFormat(audio.format) },
    channel: channel ?? (n === 1 ? 0 : 'mix'),
  };
}

export const WAV_FORMATS = ['pcm8', 'pcm16', 'pcm24', 'pcm32', 'float32', 'float64'] as const;
export type WavFormatName = (typeof WAV_FORMATS)[number];

/** Encodes channels in a named format; PCM clips at ±1 (the count is returned). */
export function encodeWavFile(channels: Float64Array[], sampleRate: number, format: string): Uint8Array & { clipped?: number } {
  const m = /^(pcm|float)(8|16|24|32|64)$/.exec(format);
  if (!m || !(WAV_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format = "${format}": unknown sample format. Fix: use one of ${WAV_FORMATS.join(', ')}`);
  const encoding = m[1] as 'pcm' | 'float';
  const bitsPerSample = Number(m[2]) as 8 | 16 | 24 | 32 | 64;
  return encodeWav(channels, sampleRate, { encoding, bitsPerSample, ...(encoding === 'pcm' ? { clip: true } : {}) }) as Uint8Array & { clipped?: number };
}
