/**
 * `--config file.json`: settings as the umbrella package's plain options. Accepted shapes:
 * - a `DstftOptions` object (`{ "nFft": 2048, "hop": 256, "window": "gaussian" }`);
 * - `{ "transform": DstftOptions, "optimize": { loss, regularizers, optimizer, maxIterations, lr, ... } }`;
 * - a `result.json` written by `dstft optimize` (its `config` member has that shape: the run is reproduced).
 * Command-line flags override the file; `signalLength` (and `sampleRate` for WAV files) come from the input.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DstftOptions } from '@dstft/dstft';
import { InputError } from './errors.js';

export interface CliConfig {
  readonly path?: string;
  readonly transform: Partial<DstftOptions>;
  readonly optimize: Readonly<Record<string, unknown>>;
}

export const EMPTY_CONFIG: CliConfig = { transform: {}, optimize: {} };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function loadConfig(file: string | undefined): CliConfig {
  if (file === undefined) return EMPTY_CONFIG;
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(path, `cannot read the config file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'pass an existing JSON file to --config');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InputError(path, `is not valid JSON (${(e as Error).message})`, 'write the config as a JSON object, e.g. {"nFft": 2048, "hop": 256}');
  }
  if (!isObject(value)) throw new InputError(path, 'expected a JSON object', 'write the config as a JSON object, e.g. {"nFft": 2048, "hop": 256}');
  const inner = isObject(value['config']) ? value['config'] : value;
  if ('transform' in inner || 'optimize' in inner) {
    const extra = Object.keys(inner).filter((k) => k !== 'transform' && k !== 'optimize');
    if (extra.length) throw new InputError(path, `unknown member(s) ${extra.map((k) => JSON.stringify(k)).join(', ')} next to "transform" / "optimize"`, 'keep only "transform" (DSTFT options) and "optimize" (optimization settings)');
    const t = inner['transform'] ?? {};
    const o = inner['optimize'] ?? {};
    if (!isObject(t)) throw new InputError(path, '"transform" is not an object', 'give "transform" the DSTFT options as an object');
    if (!isObject(o)) throw new InputError(path, '"optimize" is not an object', 'give "optimize" the optimization settings as an object');
    return { path, transform: t as Partial<DstftOptions>, optimize: o };
  }
  return { path, transform: inner as Partial<DstftOptions>, optimize: {} };
}
