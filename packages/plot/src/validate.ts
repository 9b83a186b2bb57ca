// Argument checks shared by the public functions. Every error names the function, the parameter, the value it got
// and how to fix the call; wrong kinds of value throw TypeError, out-of-range values RangeError. This package does not
// depend on @dstft/core, so it uses the built-in error classes.

/** Typed arrays accepted for large numeric inputs (spectrograms, maps). */
export type Samples = Float32Array | Float64Array;

/** Short printable form of a value for error messages. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** A positive integer (≥ min). */
export function checkInt(fn: string, name: string, value: unknown, min: number, fix: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${fn}: ${name} must be an integer ≥ ${min} (got ${show(value)}). ${fix}`);
  }
  if (value < min) throw new RangeError(`${fn}: ${name} must be ≥ ${min} (got ${value}). ${fix}`);
  return value;
}

/** A finite number, optionally > gt. */
export function checkFinite(fn: string, name: string, value: unknown, fix: string, gt?: number): number {
  if (typeof value !== 'number') throw new TypeError(`${fn}: ${name} must be a number (got ${show(value)}). ${fix}`);
  if (!Number.isFinite(value)) throw new RangeError(`${fn}: ${name} must be finite (got ${value}). ${fix}`);
  if (gt !== undefined && !(value > gt)) throw new RangeError(`${fn}: ${name} must be > ${gt} (got ${value}). ${fix}`);
  return value;
}

/** A Float32Array/Float64Array of exactly `length` entries (large inputs: no copy). */
export function checkSamples(fn: string, name: string, value: unknown, length: number, shape: string): Samples {
  if (!(value instanceof Float64Array || value instanceof Float32Array)) {
    throw new TypeError(
      `${fn}: ${name} must be a Float64Array or Float32Array (got ${show(value)}). ` +
        `Fix: pass Float64Array.from(${name}), flattened ${shape}`,
    );
  }
  if (value.length !== length) {
    throw new RangeError(
      `${fn}: ${name}.length = ${value.length} but ${shape} needs ${length} entries. ` +
        `Fix: pass a flat row-major ${shape} array, or correct the shape options`,
    );
  }
  return value;
}

/** Copies a small numeric list (axis centres, line data) into a Float64Array; `finite` rejects NaN/±Infinity; `per` names what each entry belongs to. */
export function toFloat64(fn: string, name: string, value: unknown, length: number | null, finite: boolean, per = 'cell'): Float64Array {
  const ok = Array.isArray(value) || value instanceof Float64Array || value instanceof Float32Array;
  if (!ok) {
    throw new TypeError(`${fn}: ${name} must be a number[], Float64Array or Float32Array (got ${show(value)}). Fix: pass an array of numbers`);
  }
  const src = value as ArrayLike<unknown>;
  if (length !== null && src.length !== length) {
    throw new RangeError(`${fn}: ${name}.length = ${src.length} but ${length} entries are needed. Fix: pass one value per ${per}`);
  }
  const out = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    if (typeof v !== 'number') throw new TypeError(`${fn}: ${name}[${i}] = ${show(v)} is not a number. Fix: pass numbers only`);
    if (finite && !Number.isFinite(v)) throw new RangeError(`${fn}: ${name}[${i}] = ${v} is not finite. Fix: pass finite values`);
    out[i] = v;
  }
  return out;
}

/** Throws unless `v` is strictly increasing. */
export function checkIncreasing(fn: string, name: string, v: Float64Array, fix: string): void {
  for (let i = 1; i < v.length; i++) {
    if (!(v[i] > v[i - 1])) {
      throw new RangeError(`${fn}: ${name} must be strictly increasing, but ${name}[${i}] = ${v[i]} ≤ ${name}[${i - 1}] = ${v[i - 1]}. ${fix}`);
    }
  }
}

/** One of the allowed string values. */
export function checkEnum<T extends string>(fn: string, name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new RangeError(`${fn}: ${name} = ${show(value)} is not supported. Fix: use one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  }
  return value as T;
}

/** A string (labels, titles). */
export function checkString(fn: string, name: string, value: unknown): string {
  if (typeof value !== 'string') throw new TypeError(`${fn}: ${name} must be a string (got ${show(value)}). Fix: pass text, or '' for none`);
  return value;
}
