/**
 * Reading a signal: WAV files (every encoding @dstft/wav decodes; `--channel N` or the mix-down of all channels;
 * the sample rate from the file), or sample lists as text: `.txt` (numbers separated by white space or commas,
 * `#` comments), `.csv` (one row per sample, one column per channel, an optional header row), `.json` (an array
 * of numbers, or `{ "sampleRate": 8000, "samples": [...] }`). Text inputs need `--sample-rate` (or a JSON
 * `sampleRate`, or `sampleRate` in the config). Every problem names the file (and the line for text files).
 */
import { readFileSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { readWav, type WavInfo } from './wav.js';

export interface Signal {
  readonly samples: Float64Array;
  readonly sampleRate: number;
  /** Where it came from (recorded in the JSON results). */
  readonly source: {
    readonly kind: 'wav' | 'text' | 'builtin';
    readonly path?: string;
    readonly name?: string;
    readonly channels?: number;
    /** The channel used, or 'mix' (the mean of all channels). */
    readonly channel?: number | 'mix';
    readonly wav?: WavInfo;
  };
}

export interface ReadOptions {
  /** 0-based channel; default: the mean of all channels. */
  channel?: number;
  /** Hz, for text inputs (a WAV file's own rate always wins; giving a different one is an error). */
  sampleRate?: number;
  /** Where `sampleRate` came from, for messages. */
  sampleRateSource?: string;
}

const TEXT_EXTS = new Set(['.txt', '.csv', '.json', '.tsv', '.dat']);

export function readSignal(file: string, options: ReadOptions = {}): Signal {
  const path = resolve(file);
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new InputError(path, 'is a folder, expected a WAV or text file', 'pass a file');
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(path, `cannot read the input (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'check the path');
  }
  if (size === 0) throw new InputError(path, 'the file is empty', 'pass a WAV file or a list of samples');
  const bytes = readFileSync(path);
  const ext = extname(path).toLowerCase();
  const isRiff = bytes.length >= 4 && bytes.toString('latin1', 0, 4) === 'RIFF';
  if (ext === '.wav' || ext === '.wave' || isRiff) {
    const w = readWav(bytes, path, options.channel);
    if (options.sampleRate !== undefined && options.sampleRate !== w.sampleRate) {
      throw new UsageError(
        `${options.sampleRateSource ?? '--sample-rate'} = ${options.sampleRate}: ${path} is a WAV file at ${w.sampleRate} Hz, and a WAV file's own sample rate is used. Fix: drop ${options.sampleRateSource ?? '--sample-rate'} (resample the file first to change its rate)`,
      );
    }
    return { samples: w.samples, sampleRate: w.sampleRate, source: { kind: 'wav', path, channels: w.info.channelCount, channel: w.channel, wav: w.info } };
  }
  if (!TEXT_EXTS.has(ext) && !looksLikeText(bytes)) {
    throw new InputError(path, `unknown input format "${ext || '(no extension)'}" (not a RIFF/WAV file, not text)`, 'pass a .wav file, or samples as .txt / .csv / .json');
  }
  const text = bytes.toString('utf8');
  const parsed = ext === '.json' ? parseJson(text, path) : parseDelimited(text, path, ext === '.csv' ? ',' : null, options.channel);
  const rate = options.sampleRate ?? parsed.sampleRate;
  if (rate === undefined) {
    throw new UsageError(`${path}: a list of samples carries no sample rate. Fix: pass --sample-rate <Hz> (e.g. --sample-rate 8000)`);
  }
  if (options.sampleRate !== undefined && parsed.sampleRate !== undefined && parsed.sampleRate !== options.sampleRate) {
    throw new UsageError(`${options.sampleRateSource ?? '--sample-rate'} = ${options.sampleRate}: ${path} says "sampleRate": ${parsed.sampleRate}. Fix: drop one of them, or make them agree`);
  }
  if (parsed.samples.length < 2) throw new InputError(path, `holds ${parsed.samples.length} sample(s)`, 'pass at least 2 samples');
  return { samples: parsed.samples, sampleRate: rate, source: { kind: 'text', path, channels: parsed.channels, channel: parsed.channel } };
}

function looksLikeText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 512);
  for (let k = 0; k < n; k++) {
    const b = bytes[k]!;
    if (b === 0 || (b < 9 && b !== 0) || (b > 13 && b < 32)) return false;
  }
  return true;
}

function parseNumberAt(token: string, path: string, line: number, column: number): number {
  const t = token.trim();
  const v = t === '' ? NaN : Number(t);
  if (!Number.isFinite(v)) {
    const what = t === '' ? 'an empty value' : /^[+-]?nan$/i.test(t) ? 'NaN' : /^[+-]?inf(inity)?$/i.test(t) ? `${t} (not finite)` : `"${t.length > 20 ? `${t.slice(0, 17)}...` : t}" (not a number)`;
    throw new InputError(`${path}:${line}`, `${what} in column ${column}`, 'every sample must be a finite number; remove or fix that line');
  }
  return v;
}

/** Rows of numbers; `sep` ',' for CSV, null for white space / commas / semicolons (txt). One column per channel. */
function parseDelimited(text: string, path: string, sep: ',' | null, channel: number | undefined): { samples: Float64Array; channels: number; channel: number | 'mix'; sampleRate?: number } {
  const lines = text.split(/\r?\n/);
  const rows: number[][] = [];
  let columns = -1;
  let firstDataLine = true;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const cells = sep === ',' ? raw.split(',') : raw.split(/[\s,;]+/);
    // an optional header row (e.g. "left,right" or "sample"): skipped if no cell parses as a number
    if (firstDataLine && cells.every((c) => c.trim() !== '' && !Number.isFinite(Number(c.trim())) && !/^[+-]?(nan|inf(inity)?)$/i.test(c.trim()))) {
      firstDataLine = false;
      continue;
    }
    firstDataLine = false;
    if (sep === null && columns <= 1) {
      // plain text: every number is one sample
      for (let c = 0; c < cells.length; c++) rows.push([parseNumberAt(cells[c]!, path, i + 1, c + 1)]);
      columns = 1;
      continue;
    }
    if (columns === -1) columns = cells.length;
    if (cells.length !== columns) throw new InputError(`${path}:${i + 1}`, `${cells.length} column(s), the first data row has ${columns}`, 'give every row the same number of columns (one per channel)');
    rows.push(cells.map((c, k) => parseNumberAt(c, path, i + 1, k + 1)));
  }
  if (rows.length === 0) throw new InputError(path, 'holds no samples (only blank lines, comments or a header)', 'put one sample per line');
  const ch = Math.max(1, columns);
  if (channel !== undefined && (channel < 0 || channel >= ch)) {
    throw new UsageError(`--channel = ${channel}: ${path} has ${ch} column(s) (channels 0..${ch - 1}). Fix: pass --channel between 0 and ${ch - 1}, or leave it out to mix all channels down`);
  }
  const out = new Float64Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    if (channel !== undefined) out[r] = row[channel]!;
    else {
      let s = 0;
      for (let k = 0; k < row.length; k++) s += row[k]!;
      out[r] = s / row.length;
    }
  }
  return { samples: out, channels: ch, channel: channel ?? (ch === 1 ? 0 : 'mix') };
}

function parseJson(text: string, path: string): { samples: Float64Array; channels: number; channel: number | 'mix'; sampleRate?: number } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new InputError(path, `is not valid JSON (${(e as Error).message})`, 'write an array of numbers, or {"sampleRate": 8000, "samples": [...]}');
  }
  let list: unknown = v;
  let sampleRate: number | undefined;
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    list = o['samples'];
    if (o['sampleRate'] !== undefined) {
      if (typeof o['sampleRate'] !== 'number' || !(o['sampleRate'] > 0) || !Number.isFinite(o['sampleRate'])) {
        throw new InputError(path, `"sampleRate" = ${JSON.stringify(o['sampleRate'])} is not a positive number`, 'give the sample rate in Hz, e.g. 8000');
      }
      sampleRate = o['sampleRate'];
    }
  }
  if (!Array.isArray(list)) throw new InputError(path, 'holds no "samples" array', 'write an array of numbers, or {"sampleRate": 8000, "samples": [...]}');
  const out = new Float64Array(list.length);
  for (let k = 0; k < list.length; k++) {
    const x = list[k];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new InputError(path, `samples[${k}] = ${JSON.stringify(x)} is not a finite number`, 'every sample must be a finite number');
    }
    out[k] = x;
  }
  return { samples: out, channels: 1, channel: 0, ...(sampleRate !== undefined ? { sampleRate } : {}) };
}
