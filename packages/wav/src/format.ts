/** How samples are stored: signed (8-bit: unsigned) integers, or IEEE 754 floats. */
export type WavEncoding = 'pcm' | 'float';

/** Bits per stored sample. PCM: 8, 16, 24, 32. Float: 32, 64. */
export type WavBitsPerSample = 8 | 16 | 24 | 32 | 64;

/** The sample format of a WAV file, as read from (or written to) its `fmt ` chunk. */
export interface WavFormat {
  encoding: WavEncoding;
  bitsPerSample: WavBitsPerSample;
  channelCount: number;
  sampleRate: number;
  /** The `fmt ` chunk used WAVE_FORMAT_EXTENSIBLE (0xFFFE) with a PCM or float sub-format GUID. */
  extensible: boolean;
}

/** Decoded audio: one Float64Array per channel, all `frames` long. */
export interface WavAudio {
  sampleRate: number;
  /** One array per channel. PCM samples are scaled into [-1, 1); float samples are as stored. */
  channels: Float64Array[];
  format: WavFormat;
  /** Samples per channel. */
  frames: number;
}

/** Format tag of integer PCM in the `fmt ` chunk (8, 16, 24, 32 bits per sample). */
export const WAVE_FORMAT_PCM = 0x0001;
/** Format tag of IEEE float samples in the `fmt ` chunk (32 or 64 bits per sample). */
export const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
/** Format tag of WAVE_FORMAT_EXTENSIBLE: the real format is in the sub-format GUID of the extension. */
export const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/** Bytes 2..15 of the KSDATAFORMAT_SUBTYPE_* GUIDs (bytes 0..1 hold the format tag, little-endian). */
export const GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71] as const;

/** Names of format tags seen in the wild, for error messages. */
const FORMAT_NAMES: Record<number, string> = {
  0x0001: 'PCM',
  0x0002: 'Microsoft ADPCM',
  0x0003: 'IEEE float',
  0x0006: 'A-law',
  0x0007: 'µ-law',
  0x0011: 'IMA ADPCM',
  0x0022: 'TrueSpeech',
  0x0031: 'GSM 6.10',
  0x0040: 'G.721 ADPCM',
  0x0050: 'MPEG',
  0x0055: 'MPEG layer 3 (MP3)',
  0x0092: 'Dolby AC-3 SPDIF',
  0x0161: 'Windows Media Audio',
  0x0162: 'Windows Media Audio Pro',
  0x0163: 'Windows Media Audio Lossless',
  0x1610: 'AAC (HEAAC)',
  0x2000: 'Dolby AC-3',
  0xf1ac: 'FLAC',
  0xfffe: 'WAVE_FORMAT_EXTENSIBLE',
};

/** `0x0006 (A-law)`. */
export function formatTagName(tag: number): string {
  const hex = `0x${tag.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = FORMAT_NAMES[tag];
  return name ? `${hex} (${name})` : `${hex} (unknown)`;
}

/** A short description such as `16-bit PCM, 2 channels, 44100 Hz`. */
export function describeWavFormat(format: WavFormat): string {
  const kind = format.encoding === 'pcm' ? (format.bitsPerSample === 8 ? 'PCM (unsigned)' : 'PCM') : 'float';
  const ch = format.channelCount === 1 ? '1 channel' : `${format.channelCount} channels`;
  return `${format.bitsPerSample}-bit ${kind}${format.extensible ? ' (extensible)' : ''}, ${ch}, ${format.sampleRate} Hz`;
}
