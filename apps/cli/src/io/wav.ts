// placeholder until @dstft/wav lands on main
import { InputError } from '../errors.js';

export interface WavInfo {
  encoding: string;
  bitsPerSample: number;
  channelCount: number;
  sampleRate: number;
  frames: number;
}

export function readWav(_bytes: Uint8Array, path: string, _channel: number | undefined): { samples: Float64Array; sampleRate: number; info: WavInfo; channel: number | 'mix' } {
  throw new InputError(path, 'WAV input is not available yet', 'use a text input');
}

export const WAV_FORMATS = ['pcm8', 'pcm16', 'pcm24', 'pcm32', 'float32', 'float64'] as const;

export function encodeWavFile(_channels: Float64Array[], _sampleRate: number, _format: string): Uint8Array {
  throw new Error('WAV output is not available yet');
}
