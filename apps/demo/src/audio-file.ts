/** WAV files in and out, with @dstft/wav. */
import { decodeWav, describeWavFormat, encodeWav, mixdown } from '@dstft/wav';
import type { DemoSignal } from './signals.js';

/** Longest stretch the page analyses (longer files: the first MAX_SECONDS, said so on the page). */
export const MAX_SECONDS = 10;

export interface LoadedWav {
  readonly signal: DemoSignal;
  /** One line for the page: format, length, channels mixed down, truncation. */
  readonly notice: string;
}

/** Decodes a WAV file (a WavError with a clear message for a malformed one), mixes it to mono. */
export async function loadWavFile(file: File): Promise<LoadedWav> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const audio = decodeWav(bytes, { name: file.name });
  const mono = audio.channels.length === 1 ? audio.channels[0]! : mixdown(audio);
  const seconds = mono.length / audio.sampleRate;
  if (mono.length < 2) throw new Error(`${file.name}: holds ${mono.length} sample(s); the transform needs a longer signal. Fix: choose a longer recording`);
  const limit = Math.round(MAX_SECONDS * audio.sampleRate);
  const samples = mono.length > limit ? mono.slice(0, limit) : Float64Array.from(mono);
  const parts = [`${file.name}: ${describeWavFormat(audio.format)}${audio.channels.length > 1 ? ' (mixed down to mono)' : ''}`, `${seconds.toFixed(2)} s`];
  if (mono.length > limit) parts.push(`analysing the first ${MAX_SECONDS} s only`);
  return { signal: { samples, sampleRate: audio.sampleRate }, notice: `${parts.join(', ')}.` };
}

/** A 16-bit PCM WAV of `x`, scaled to a peak of 0.99 when it exceeds ±1 (never clipped). */
export function wavBytes(x: Float64Array, sampleRate: number): Uint8Array {
  let peak = 0;
  for (let i = 0; i < x.length; i++) peak = Math.max(peak, Math.abs(x[i]!));
  const y = peak > 1 ? x.map((v) => (v / peak) * 0.99) : x;
  return encodeWav([y], sampleRate, { bitsPerSample: 16 });
}
