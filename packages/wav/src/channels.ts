import { ParameterError } from '@dstft/core';
import type { WavAudio } from './format.js';

function check(audio: WavAudio): void {
  if (!audio || !Array.isArray(audio.channels) || audio.channels.length === 0) {
    throw new ParameterError('audio.channels', audio?.channels, 'expected at least one channel', 'pass the result of decodeWav');
  }
}

/** The mean of all channels, as a new array (a copy for mono). */
export function mixdown(audio: WavAudio): Float64Array {
  check(audio);
  const chans = audio.channels;
  const n = chans[0]!.length;
  const out = Float64Array.from(chans[0]!);
  for (let c = 1; c < chans.length; c++) {
    const ch = chans[c]!;
    for (let i = 0; i < n; i++) out[i]! += ch[i]!;
  }
  if (chans.length > 1) {
    const inv = chans.length;
    for (let i = 0; i < n; i++) out[i]! /= inv;
  }
  return out;
}

/** A copy of channel `index` (0-based). */
export function selectChannel(audio: WavAudio, index: number): Float64Array {
  check(audio);
  const count = audio.channels.length;
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new ParameterError(
      'channel index',
      index,
      `the audio has ${count} channel${count === 1 ? '' : 's'}`,
      `use an integer from 0 to ${count - 1}${count > 1 ? ', or mixdown(audio) for the mean of all channels' : ''}`,
    );
  }
  return Float64Array.from(audio.channels[index]!);
}
