// PNG encoder (RGBA, 8 bits per channel, no interlace): signature, IHDR, one IDAT (zlib stream from fflate's
// zlibSync), IEND. Rows are filtered before compression (PNG spec §9); the default picks, per row, the filter with
// the smallest sum of absolute filtered bytes (the libpng heuristic). Pure function of the pixels and options:
// the same input always gives the same bytes.
import { zlibSync } from 'fflate';
import { checkImage, type Image } from './image.js';
import { checkEnum, checkInt } from './validate.js';

/** Per-row filter: one PNG filter type for every row, or 'adaptive' (default) to choose per row. */
export type PngFilter = 'none' | 'sub' | 'up' | 'average' | 'paeth' | 'adaptive';

const FILTERS: readonly PngFilter[] = ['none', 'sub', 'up', 'average', 'paeth', 'adaptive'];

/** Options of {@link encodePng}: row filter and zlib compression level. */
export interface PngOptions {
  /** Row filter (default 'adaptive'). */
  filter?: PngFilter;
  /** zlib compression level 0–9 (default 6). */
  level?: number;
}

let crcTable: Uint32Array | null = null;

/** CRC-32 (ISO-HDLC, the PNG/zlib polynomial 0xEDB88320) of `bytes[start, end)`; its table is built once. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (crcTable === null) {
    const t = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      t[n] = c >>> 0;
    }
    crcTable = t;
  }
  const t = crcTable;
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = t[(c ^ bytes[i]) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Writes row `cur` filtered with `type` (1–4; 0 = copy) into `out[o + 1 …]` after the type byte; returns Σ|signed byte|. */
function filterRow(type: number, cur: Uint8ClampedArray, ci: number, prev: Uint8ClampedArray | null, pi: number, n: number, out: Uint8Array, o: number): number {
  const bpp = 4;
  out[o] = type;
  o++;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = cur[ci + i];
    const a = i >= bpp ? cur[ci + i - bpp] : 0;
    const b = prev === null ? 0 : prev[pi + i];
    const c = prev === null || i < bpp ? 0 : prev[pi + i - bpp];
    let v: number;
    switch (type) {
      case 1: v = x - a; break;
      case 2: v = x - b; break;
      case 3: v = x - ((a + b) >> 1); break;
      case 4: v = x - paeth(a, b, c); break;
      default: v = x;
    }
    v &= 255;
    out[o + i] = v;
    sum += v < 128 ? v : 256 - v;
  }
  return sum;
}

function chunk(out: Uint8Array, o: number, type: string, payload: Uint8Array): number {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(o, payload.length);
  for (let i = 0; i < 4; i++) out[o + 4 + i] = type.charCodeAt(i);
  out.set(payload, o + 8);
  view.setUint32(o + 8 + payload.length, crc32(out, o + 4, o + 8 + payload.length));
  return o + 12 + payload.length;
}

/** Encodes an Image as a PNG file (RGBA 8-bit). Deterministic: same pixels and options → same bytes. */
export function encodePng(img: Image, options: PngOptions = {}): Uint8Array {
  checkImage('encodePng', 'img', img);
  const filter = checkEnum('encodePng', 'options.filter', options.filter ?? 'adaptive', FILTERS);
  const level = checkInt('encodePng', 'options.level', options.level ?? 6, 0, 'Fix: pass a zlib level 0–9');
  if (level > 9) throw new RangeError(`encodePng: options.level = ${level} must be ≤ 9. Fix: pass a zlib level 0–9`);
  const { width, height, data } = img;
  const rowBytes = width * 4;
  const raw = new Uint8Array(height * (rowBytes + 1));
  const fixed = FILTERS.indexOf(filter); // 0–4, or 5 = adaptive
  const scratch = fixed === 5 ? new Uint8Array(rowBytes + 1) : null;
  for (let y = 0; y < height; y++) {
    const o = y * (rowBytes + 1);
    const ci = y * rowBytes;
    const prev = y === 0 ? null : data;
    const pi = ci - rowBytes;
    if (scratch === null) {
      filterRow(fixed, data, ci, prev, pi, rowBytes, raw, o);
      continue;
    }
    let best = filterRow(0, data, ci, prev, pi, rowBytes, raw, o);
    for (let t = 1; t <= 4; t++) {
      const s = filterRow(t, data, ci, prev, pi, rowBytes, scratch, 0);
      if (s < best) {
        best = s;
        raw.set(scratch, o);
      }
    }
  }
  const idat = zlibSync(raw, { level: level as 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 });
  const ihdr = new Uint8Array(13);
  const hv = new DataView(ihdr.buffer);
  hv.setUint32(0, width);
  hv.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA
  ihdr[10] = 0; // deflate
  ihdr[11] = 0; // adaptive filtering (per-row filter types)
  ihdr[12] = 0; // no interlace
  const out = new Uint8Array(8 + 25 + 12 + idat.length + 12);
  out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 0);
  let o = chunk(out, 8, 'IHDR', ihdr);
  o = chunk(out, o, 'IDAT', idat);
  chunk(out, o, 'IEND', new Uint8Array(0));
  return out;
}
