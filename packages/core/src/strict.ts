/**
 * Strict option objects: the ONE helper every dstft package uses to reject unknown (misspelt) option keys with a
 * "did you mean", so that a typo is an error, never silently ignored (README: "Misspelt or unknown options are
 * errors"). Called once at API entry points, never in inner loops.
 */
import { ParameterError } from './errors.js';

/** Edit distance (case-insensitive Levenshtein), for "did you mean" hints on misspelt names. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= y.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (x[i - 1] === y[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[y.length]!;
}

/**
 * The known name closest to `key` when it is close enough to be a plausible misspelling (edit distance ≤ 2, or
 * ≤ a third of the key's length for long keys; a key that starts with a known name of 3+ letters, or is its start,
 * counts as distance 1), or an alias (`aliases` maps a lowercase name without `_` / `-`,
 * e.g. `hoplength`, to the right key). Case-only differences always match. `undefined` when nothing is close.
 */
export function didYouMean(key: string, known: readonly string[], aliases?: Readonly<Record<string, string>>): string | undefined {
  if (aliases) {
    const folded = key.toLowerCase().replace(/[_-]/g, '');
    if (Object.prototype.hasOwnProperty.call(aliases, folded)) return aliases[folded];
  }
  let best: string | undefined;
  let bestD = Infinity;
  const lower = key.toLowerCase();
  for (const k of known) {
    // a key that extends a known name, or is cut short of one (`gradient` for `grad`), counts as distance 1
    const kl = k.toLowerCase();
    const d = Math.min(editDistance(key, k), Math.min(kl.length, lower.length) >= 3 && (lower.startsWith(kl) || kl.startsWith(lower)) ? 1 : Infinity);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** Options of {@link checkKnownKeys}: who owns the options and how the error message names them. */
export interface KnownKeysOptions {
  /** What takes these options, for the message: `optimize()`, `the 'kaiser' window`. */
  readonly owner: string;
  /** Prefix of the parameter named in the error: `options` gives `options.maxIteration`. Default `options`. */
  readonly prefix?: string;
  /** `option` (default) or `parameter`: the word used in the message. */
  readonly noun?: string;
  /** Names users bring from other libraries: lowercase without `_` / `-` → the right key (e.g. `hoplength: 'hop'`). */
  readonly aliases?: Readonly<Record<string, string>>;
  /** Whether `undefined` / `null` mean "no options" (default true); when false they are an error like any non-object. */
  readonly optional?: boolean;
  /** An example of a valid object for the fix of a non-object, e.g. `{ maxIterations: 100 }`. */
  readonly example?: string;
}

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * Checks that `options` is a plain options object (not an array, function or primitive; `undefined` / `null` allowed
 * unless `optional: false`) whose own keys are all in `known`, and returns it as a record. An unknown key throws a
 * `ParameterError` naming `<prefix>.<key>`, its value, the owner, and the fix: "did you mean 'x'?" for a near miss,
 * else the list of known names. Keys whose value is `undefined` are checked too (a typo is a typo).
 */
export function checkKnownKeys(options: unknown, known: readonly string[], o: KnownKeysOptions): Readonly<Record<string, unknown>> {
  const prefix = o.prefix ?? 'options';
  const noun = o.noun ?? 'option';
  if (options === undefined || options === null) {
    if (o.optional !== false) return EMPTY;
  }
  if (options === null || typeof options !== 'object' || Array.isArray(options) || ArrayBuffer.isView(options)) {
    throw new ParameterError(prefix, options, `${o.owner} takes an object of ${noun}s`, `pass an object such as ${o.example ?? '{}'}${o.optional !== false ? ` (or leave it out)` : ''}`);
  }
  const rec = options as Readonly<Record<string, unknown>>;
  for (const key of Object.keys(rec)) {
    if (known.includes(key)) continue;
    const near = didYouMean(key, known, o.aliases);
    throw new ParameterError(
      `${prefix}.${key}`,
      rec[key],
      `unknown ${noun} of ${o.owner}`,
      near !== undefined ? `did you mean '${near}'?` : known.length ? `remove it; the ${noun}s are ${known.join(', ')}` : `remove it; ${o.owner} takes no ${noun}s`,
    );
  }
  return rec;
}

/**
 * Reads a plugin's options object merged over its `defaults`: returns a getter where a missing (or undefined)
 * field falls back to the default. Anything but a plain object (null / undefined mean "all defaults") and any key
 * the defaults do not have are errors, the latter with a "did you mean" hint (through `checkKnownKeys`).
 */
export function readPluginOptions<O extends object>(id: string, options: unknown, defaults: O): (key: keyof O & string) => unknown {
  const defs = defaults as Readonly<Record<string, unknown>>;
  const rec = checkKnownKeys(options, Object.keys(defs), { owner: `the '${id}' plugin`, example: JSON.stringify(defaults) });
  return (key) => (rec[key] === undefined ? defs[key] : rec[key]);
}
