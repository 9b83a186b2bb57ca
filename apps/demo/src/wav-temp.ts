// TEMPORARY stand-in for @dstft/wav until it lands on main (16-bit PCM only). Not committed.
export class WavError extends Error {}
export function decodeWav(bytes: Uint8Array, opts: { name?: string } = {}) {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (o: number) => String.fromCharCode(bytes[o]!, bytes[o + 1]!, bytes[o + 2]!, bytes[o + 3]!);
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new WavError(`${opts.name ?? 'file'}: not a RIFF/WAVE file`);
  let o = 12, sampleRate = 0, ch = 0, bits = 0, data: [number, number] | null = null;
  while (o + 8 <= bytes.length) {
    const id = tag(o), size = dv.getUint32(o + 4, true);
    if (id === 'fmt ') { ch = dv.getUint16(o + 10, true); sampleRate = dv.getUint32(o + 12, true); bits = dv.getUint16(o + 22, true); }
    if (id === 'data') data = [o + 8, Math.min(size, bytes.length - o - 8)];
    o += 8 + size + (size & 1);
  }
  if (!data || bits !== 16) throw new WavError(`${opts.name ?? 'file'}: unsupported`);
  const frames = Math.floor(data[1] / (2 * ch));
  const channels = Array.from({ length: ch }, () => new Float64Array(frames));
  for (let f = 0; f < frames; f++) for (let c = 0; c < ch; c++) channels[c]![f] = dv.getInt16(data[0] + 2 * (f * ch + c), true) / 32768;
  return { sampleRate, channels, format: 'pcm', frames };
}
export function mixdown(a: { channels: Float64Array[] }) {
  const out = new Float64Array(a.channels[0]!.length);
  for (const c of a.channels) for (let i = 0; i < out.length; i++) out[i]! += c[i]! / a.channels.length;
  return out;
}
export function encodeWav(channels: Float64Array[], sampleRate: number, _o: { bitsPerSample?: number } = {}) {
  const n = channels[0]!.length, ch = channels.length, out = new Uint8Array(44 + 2 * n * ch), dv = new DataView(out.buffer);
  const w = (o: number, s: string) => { for (let i = 0; i < 4; i++) out[o + i] = s.charCodeAt(i); };
  w(0, 'RIFF'); dv.setUint32(4, 36 + 2 * n * ch, true); w(8, 'WAVE'); w(12, 'fmt '); dv.setUint32(16, 16, true);
  dv.setUint16(20, 1, true); dv.setUint16(22, ch, true); dv.setUint32(24, sampleRate, true); dv.setUint32(28, sampleRate * 2 * ch, true);
  dv.setUint16(32, 2 * ch, true); dv.setUint16(34, 16, true); w(36, 'data'); dv.setUint32(40, 2 * n * ch, true);
  for (let i = 0; i < n; i++) for (let c = 0; c < ch; c++) dv.setInt16(44 + 2 * (i * ch + c), Math.max(-32768, Math.min(32767, Math.round(channels[c]![i]! * 32767))), true);
  return out;
}
