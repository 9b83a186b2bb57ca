export { WavError } from './errors.js';
export {
  describeWavFormat,
  formatTagName,
  WAVE_FORMAT_EXTENSIBLE,
  WAVE_FORMAT_IEEE_FLOAT,
  WAVE_FORMAT_PCM,
  type WavAudio,
  type WavBitsPerSample,
  type WavEncoding,
  type WavFormat,
} from './format.js';
export { decodeWav, type DecodeWavOptions } from './decode.js';
export { encodeWav, type EncodedWav, type EncodeWavOptions } from './encode.js';
export { mixdown, selectChannel } from './channels.js';
