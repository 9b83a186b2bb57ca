/** WAV reading and writing: `@dstft/wav` (the project's own decoder / encoder). */
export { decodeWav, encodeWav, mixdown, WavError } from '@dstft/wav';
