/**
 * The `.dstft` file: a transform saved by the CLI (`dstft spectrogram --save-transform`, `dstft optimize
 * --save-transform`), read back by `dstft inverse`. One file, so the settings and the data cannot get separated:
 *
 *   bytes 0-7    magic "DSTFT01\n"
 *   bytes 8-11   header length H (uint32, little-endian)
 *   bytes 12-…   header: UTF-8 JSON, padded with spaces so that the data starts at a multiple of 8
 *   then         X: float64 little-endian, [batch][freqs][frames] complex interleaved (re, im), 2·B·F·T values
 *
 * The header holds `format` ("dstft-transform"), `version` (1), `transform` (the transform's `toJSON()`: the
 * umbrella's plain options plus every parameter, enough for `createDstft(transform)` to rebuild it exactly),
 * `batch`, `freqs`, `frames`, `layout`, `source` (the input it came from) and `createdBy`.
 */
import { closeSync, openSync, readSync, fstatSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DstftOptions } from '@dstft/dstft';
import { writeFileAtomic } from '@dstft/node-io';
import { InputError } from '../errors.js';

const MAGIC = 'DSTFT01\n';

export interface TransformHeader {
  readonly format: 'dstft-transform';
  readonly version: 1;
  readonly transform: DstftOptions;
  readonly batch: number;
  readonly freqs: number;
  readonly frames: number;
  readonly layout: string;
  readonly source?: Record<string, unknown>;
  readonly createdBy?: string;
}

export function encodeTransformFile(header: Omit<TransformHeader, 'format' | 'version' | 'layout'>, X: Float64Array): Uint8Array {
  const full: TransformHeader = { format: 'dstft-transform', version: 1, layout: '[batch][freqs][frames] complex interleaved re,im float64 little-endian', ...header };
  if (X.length !== 2 * full.batch * full.freqs * full.frames) throw new Error(`transform data has ${X.length} values, expected 2·${full.batch}·${full.freqs}·${full.frames}`);
  let json = JSON.stringify(full);
  const pad = (8 - ((12 + Buffer.byteLength(json)) % 8)) % 8;
  json += ' '.repeat(pad);
  const H = Buffer.byteLength(json);
  const out = new Uint8Array(12 + H + X.length * 8);
  out.set(Buffer.from(MAGIC, 'latin1'), 0);
  new DataView(out.buffer).setUint32(8, H, true);
  out.set(Buffer.from(json, 'utf8'), 12);
  const dv = new DataView(out.buffer, 12 + H);
  for (let k = 0; k < X.length; k++) dv.setFloat64(8 * k, X[k]!, true);
  return out;
}

export function writeTransformFile(path: string, header: Omit<TransformHeader, 'format' | 'version' | 'layout'>, X: Float64Array, force: boolean, option: string): void {
  writeFileAtomic(path, encodeTransformFile(header, X), { force, option });
}

export function readTransformFile(file: string): { header: TransformHeader; X: Float64Array } {
  const path = resolve(file);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new InputError(path, `cannot read the transform file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'pass a .dstft file written by `dstft spectrogram --save-transform`');
  }
  try {
    const size = fstatSync(fd).size;
    if (size === 0) throw new InputError(path, 'the file is empty', 'pass a .dstft file written by `dstft spectrogram --save-transform`');
    const head = Buffer.alloc(12);
    if (size < 12 || readSync(fd, head, 0, 12, 0) !== 12 || head.toString('latin1', 0, 8) !== MAGIC) {
      throw new InputError(path, 'is not a .dstft transform file (bad magic bytes)', 'pass a file written by `dstft spectrogram --save-transform` or `dstft optimize --save-transform`');
    }
    const H = head.readUInt32LE(8);
    if (12 + H > size) throw new InputError(path, `truncated: the header says ${H} bytes, the file has ${size - 12} after the magic`, 'write the transform again');
    const hb = Buffer.alloc(H);
    readSync(fd, hb, 0, H, 12);
    let header: TransformHeader;
    try {
      header = JSON.parse(hb.toString('utf8')) as TransformHeader;
    } catch (e) {
      throw new InputError(path, `header is not valid JSON (${(e as Error).message})`, 'write the transform again');
    }
    if (header.format !== 'dstft-transform' || header.version !== 1) {
      throw new InputError(path, `format ${JSON.stringify(header.format)} version ${JSON.stringify(header.version)} is not supported (this CLI reads dstft-transform version 1)`, 'write the transform with this version of the CLI');
    }
    const { batch, freqs, frames } = header;
    for (const [k, v] of Object.entries({ batch, freqs, frames })) {
      if (!Number.isInteger(v) || v < 1) throw new InputError(path, `header "${k}" = ${JSON.stringify(v)} is not a positive integer`, 'write the transform again');
    }
    const n = 2 * batch * freqs * frames;
    const need = 12 + H + n * 8;
    if (size !== need) {
      throw new InputError(path, `${size < need ? 'truncated' : 'has trailing bytes'}: ${size} bytes, expected ${need} for ${batch}×${freqs}×${frames} complex values`, 'write the transform again');
    }
    const bytes = Buffer.alloc(n * 8);
    let off = 0;
    while (off < bytes.length) {
      const r = readSync(fd, bytes, off, Math.min(1 << 26, bytes.length - off), 12 + H + off);
      if (r <= 0) break;
      off += r;
    }
    const X = new Float64Array(n);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let k = 0; k < n; k++) X[k] = dv.getFloat64(8 * k, true);
    return { header, X };
  } finally {
    closeSync(fd);
  }
}
