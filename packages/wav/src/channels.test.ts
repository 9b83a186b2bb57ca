import { ParameterError } from '@dstft/core';
import { describe, expect, it } from 'vitest';
import { decodeWav, encodeWav, mixdown, selectChannel, type WavAudio } from './index.js';

function audio(channels: Float64Array[]): WavAudio {
  return {
    sampleRate: 8000,
    channels,
    frames: channels[0]!.length,
    format: { encoding: 'float', bitsPerSample: 64, channelCount: channels.length, sampleRate: 8000, extensible: false },
  };
}

describe('mixdown / selectChannel', () => {
  it('mixdown is the mean of the channels, in a new array', () => {
    const a = audio([Float64Array.of(1, 0.5, -1), Float64Array.of(0, 0.25, -1), Float64Array.of(0.5, 0, 1)]);
    expect(Array.from(mixdown(a))).toEqual([0.5, 0.25, -1 / 3]);
    const mono = audio([Float64Array.of(0.1, 0.2)]);
    const m = mixdown(mono);
    expect(Array.from(m)).toEqual([0.1, 0.2]);
    expect(m).not.toBe(mono.channels[0]);
  });

  it('mixdown of a decoded stereo file', () => {
    const a = decodeWav(encodeWav([Float64Array.of(0.5, -0.5), Float64Array.of(0.25, 0.5)], 8000));
    expect(Array.from(mixdown(a))).toEqual([0.375, 0]);
  });

  it('selectChannel returns a copy of one channel', () => {
    const a = audio([Float64Array.of(1, 2), Float64Array.of(3, 4)]);
    const r = selectChannel(a, 1);
    expect(Array.from(r)).toEqual([3, 4]);
    r[0] = 9;
    expect(a.channels[1]![0]).toBe(3);
  });

  it('selectChannel names the index and the channel count', () => {
    const a = audio([Float64Array.of(1), Float64Array.of(2)]);
    expect(() => selectChannel(a, 2)).toThrow(ParameterError);
    expect(() => selectChannel(a, 2)).toThrow(/channel index = 2: the audio has 2 channels\. Fix: use an integer from 0 to 1/);
    expect(() => selectChannel(a, -1)).toThrow(/channel index = -1/);
    expect(() => selectChannel(a, 0.5)).toThrow(/channel index = 0.5/);
    expect(() => selectChannel(audio([Float64Array.of(1)]), 1)).toThrow(/the audio has 1 channel\. Fix: use an integer from 0 to 0/);
  });
});
