// Builds WAV files byte by byte for the tests, independently of the encoder under test.

export interface Chunk {
  id: string;
  body: Uint8Array;
}

export function ascii4(dv: DataView, at: number, s: string): void {
  for (let i = 0; i < 4; i++) dv.setUint8(at + i, s.charCodeAt(i));
}

/** A chunk with its 8-byte header; an odd body gets one pad byte (not counted in the size). */
export function chunkBytes(c: Chunk, declaredSize = c.body.length): Uint8Array {
  const pad = c.body.length & 1;
  const out = new Uint8Array(8 + c.body.length + pad);
  const dv = new DataView(out.buffer);
  ascii4(dv, 0, c.id);
  dv.setUint32(4, declaredSize, true);
  out.set(c.body, 8);
  return out;
}

/** RIFF header + the given chunks in order. `riffSize` defaults to the true size. */
export function riff(parts: Uint8Array[], opts: { riffId?: string; form?: string; riffSize?: number } = {}): Uint8Array {
  const len = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(12 + len);
  const dv = new DataView(out.buffer);
  ascii4(dv, 0, opts.riffId ?? 'RIFF');
  dv.setUint32(4, opts.riffSize ?? 4 + len, true);
  ascii4(dv, 8, opts.form ?? 'WAVE');
  let p = 12;
  for (const part of parts) {
    out.set(part, p);
    p += part.length;
  }
  return out;
}

export interface FmtFields {
  tag: number;
  channels: number;
  rate: number;
  bits: number;
  blockAlign?: number;
  /** For tag 0xFFFE: the sub-format code put into the GUID, and optionally a wrong GUID tail. */
  subFormat?: number;
  guidTail?: number[];
}

const KSDATAFORMAT_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

export function fmtChunk(f: FmtFields): Chunk {
  const ext = f.tag === 0xfffe;
  const body = new Uint8Array(ext ? 40 : 16);
  const dv = new DataView(body.buffer);
  const blockAlign = f.blockAlign ?? (f.channels * f.bits) / 8;
  dv.setUint16(0, f.tag, true);
  dv.setUint16(2, f.channels, true);
  dv.setUint32(4, f.rate, true);
  dv.setUint32(8, f.rate * blockAlign, true);
  dv.setUint16(12, blockAlign, true);
  dv.setUint16(14, f.bits, true);
  if (ext) {
    dv.setUint16(16, 22, true);
    dv.setUint16(18, f.bits, true);
    dv.setUint32(20, 0, true);
    dv.setUint16(24, f.subFormat ?? 1, true);
    (f.guidTail ?? KSDATAFORMAT_TAIL).forEach((b, i) => dv.setUint8(26 + i, b));
  }
  return { id: 'fmt ', body };
}

/** A whole file: fmt then data (plus `extra` chunks placed before fmt). */
export function simpleWav(f: FmtFields, data: Uint8Array, extra: Chunk[] = []): Uint8Array {
  return riff([...extra.map((c) => chunkBytes(c)), chunkBytes(fmtChunk(f)), chunkBytes({ id: 'data', body: data })]);
}

/** Little-endian bytes from a writer callback. */
export function bytesOf(n: number, write: (dv: DataView) => void): Uint8Array {
  const b = new Uint8Array(n);
  write(new DataView(b.buffer));
  return b;
}
