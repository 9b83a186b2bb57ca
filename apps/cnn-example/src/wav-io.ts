/**
 * WAV reading and writing for the example. TEMPORARY minimal 16-bit PCM codec with the API of `@dstft/wav`
 * (decodeWav(bytes, { name }) → { sampleRate, channels }, encodeWav(channels, sampleRate)); replaced by a re-export
 * of `@dstft/wav` once that package is on main.
 */
export interface WavAudio {
  sampleRate: number;
  channels: Float64Array[];
}

export class WavFileError extends Error {
  override name = 'WavFileError';
}

export function decodeWav(bytes: Uint8Array, { name = 'input' }: { name?: string } = {}): WavAudio {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (o: number) => String.fromCharCode(bytes[o]!, bytes[o + 1]!, bytes[o + 2]!, bytes[o + 3]!);
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new WavFileError(`WAV file "${name}": not a RIFF/WAVE file. Fix: pass a .wav file`);
  let o = 12;
  let fmt: { channels: number; rate: number; bits: number; format: number } | null = null;
  while (o + 8 <= bytes.length) {
    const id = tag(o);
    const size = v.getUint32(o + 4, true);
    if (id === 'fmt ') fmt = { format: v.getUint16(o + 8, true), channels: v.getUint16(o + 10, true), rate: v.getUint32(o + 12, true), bits: v.getUint16(o + 22, true) };
    if (id === 'data') {
      if (!fmt || fmt.format !== 1 || fmt.bits !== 16) throw new WavFileError(`WAV file "${name}": only 16-bit PCM is read here. Fix: convert it (sox in.wav -b 16 out.wav)`);
      const n = Math.floor(Math.min(size, bytes.length - o - 8) / (2 * fmt.channels));
      const channels = Array.from({ length: fmt.channels }, () => new Float64Array(n));
      for (let i = 0; i < n; i++) for (let c = 0; c < fmt.channels; c++) channels[c]![i] = v.getInt16(o + 8 + 2 * (i * fmt.channels + c), true) / 32768;
      return { sampleRate: fmt.rate, channels };
    }
    o += 8 + size + (size & 1);
  }
  throw new WavFileError(`WAV file "${name}": no data chunk. Fix: pass a complete .wav file`);
}

export function encodeWav(channels: Float64Array | Float64Array[], sampleRate: number): Uint8Array {
  const ch = Array.isArray(channels) ? channels : [channels];
  const n = ch[0]!.length;
  const bytes = new Uint8Array(44 + 2 * n * ch.length);
  const v = new DataView(bytes.buffer);
  const put = (o: number, s: string) => [...s].forEach((c, i) => (bytes[o + i] = c.charCodeAt(0)));
  put(0, 'RIFF');
  v.setUint32(4, 36 + 2 * n * ch.length, true);
  put(8, 'WAVE');
  put(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, ch.length, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * 2 * ch.length, true);
  v.setUint16(32, 2 * ch.length, true);
  v.setUint16(34, 16, true);
  put(36, 'data');
  v.setUint32(40, 2 * n * ch.length, true);
  for (let i = 0; i < n; i++) for (let c = 0; c < ch.length; c++) v.setInt16(44 + 2 * (i * ch.length + c), Math.max(-32768, Math.min(32767, Math.round(ch[c]![i]! * 32768))), true);
  return bytes;
}
