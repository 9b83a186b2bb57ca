/**
 * Natural logarithms of many values at once, bitwise equal to `Math.log`, two at a time in WebAssembly SIMD; and a
 * frame's S = |X| + eps and d = Re(conj X · Y) / |X| (`magnitudeTangent`), bitwise equal to the scalar loop.
 *
 * Why: the entropy losses take one log per spectrogram entry, and V8's `Math.log` (fdlibm's `__ieee754_log`, called
 * out of line) was the largest single cost of a one-pass entropy step after the FFTs. This is the same algorithm,
 * the same operations in the same order, on two lanes per instruction: so the results are the same bits as
 * `Math.log`'s (the tests compare 260 000 values of every kind, special values included; 37 million more were
 * compared while it was written), and no golden, hash or tolerance moves.
 *
 * How: a ~1 KB WebAssembly module, written out below instruction by instruction (no toolchain, no binary asset),
 * runs fdlibm's main path on the lanes of an f64x2 vector. Lanes outside that path (zero, negative, subnormal,
 * infinite, NaN, and x within 2^-20 of a power of two, where fdlibm takes a shortcut) send their pair to the imported
 * `Math.log` itself. Where WebAssembly SIMD is missing, a `Math.log` loop does the same job (`LogKernel.simd` tells).
 *
 * The 64-bit integer work is done on the high 32-bit words (i32x4 lanes 1 and 3) because x64 has no native 64-bit
 * arithmetic shift or compare; the constants sit in linear memory (one load each), because V8 rebuilds a
 * `v128.const` with three instructions on every use.
 */
import { ParameterError } from './errors.js';

/** One frame's S and d (`LogKernel.magnitudeTangent`): views into the kernel's memory, rewritten by the next call. */
export interface MagnitudeTangent {
  /** S_m = |X_m| + eps. */
  readonly s: Float64Array;
  /** d_m = Re(conj(X_m) · Y_m) / |X_m|, the derivative of |X_m| along Y; 0 where |X_m| = 0. */
  readonly d: Float64Array;
}

/** Logs of a batch of values; one per thread, not reentrant (the returned view is reused by the next call). */
export interface LogKernel {
  /** Largest `count` of one call. */
  readonly capacity: number;
  /** Whether the WebAssembly SIMD path runs (else a `Math.log` loop, same results). */
  readonly simd: boolean;
  /**
   * `Math.log(src[from + m])` for m = 0..count-1, in entries 0..count-1 of the returned array, which stays valid
   * until the next call. `count` ≤ `capacity`.
   */
  logs(src: Float64Array, from: number, count: number): Float64Array;
  /**
   * For bins m = 0..count-1 of the interleaved spectra X (a frame) and Y (its tangent): S_m = |X_m| + eps and
   * d_m = Re(conj(X_m) · Y_m) / |X_m| (0 where |X_m| = 0), the same operations in the same order as the scalar
   * `const m2 = re * re + im * im; const a = Math.sqrt(m2); S = a + eps; d = m2 > 0 ? (re * yr + im * yi) / a : 0`,
   * so the same bits. The returned `s` may be passed to `logs` as is (its logs then need no copy). `count` ≤ `capacity`.
   */
  magnitudeTangent(X: Float64Array, Y: Float64Array, count: number, eps: number): MagnitudeTangent;
}

// ---- the WebAssembly module --------------------------------------------------------------------------------------

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const simd = (op: number): number[] => [0xfd, ...uleb(op)];
// the instructions both functions use (locals indexed < 128, so one byte each)
const get = (i: number): number[] => [0x20, i];
const set = (i: number): number[] => [0x21, i];
const tee = (i: number): number[] => [0x22, i];
const OP = {
  and: simd(0x4e), or: simd(0x50), xor: simd(0x51), bitselect: simd(0x52), anyTrue: simd(0x53),
  ltS: simd(0x39), gtS: simd(0x3b), add: simd(0xae), sub: simd(0xb1), shrU: simd(0xad), // i32x4
  fadd: simd(0xf0), fsub: simd(0xf1), fmul: simd(0xf2), fdiv: simd(0xf3), fsqrt: simd(0xef), fgt: simd(0x4a), lowToF64: simd(0xfe), // f64x2
};

/** 16-byte constants, each loaded from `16 · index` of linear memory. */
class Constants {
  readonly bytes: number[][] = [];
  private readonly keys: string[] = [];
  /** i32x4 lanes (a, b, a, b). */
  i32(a: number, b = a): number[] {
    const v = new DataView(new ArrayBuffer(16));
    for (let i = 0; i < 4; i++) v.setInt32(4 * i, i % 2 === 0 ? a : b, true);
    return this.load(v);
  }
  f64(x: number): number[] {
    const v = new DataView(new ArrayBuffer(16));
    v.setFloat64(0, x, true);
    v.setFloat64(8, x, true);
    return this.load(v);
  }
  private load(v: DataView): number[] {
    const bytes = Array.from(new Uint8Array(v.buffer));
    const key = bytes.join(',');
    let k = this.keys.indexOf(key);
    if (k < 0) {
      k = this.keys.length;
      this.keys.push(key);
      this.bytes.push(bytes);
    }
    return [0x41, 0, ...simd(0x00), 4, ...uleb(16 * k)]; // i32.const 0; v128.load align=16 offset=16k
  }
}

// fdlibm e_log.c (also V8's src/base/ieee754.cc `log`)
const LG = [
  6.666666666666735130e-1, 3.999999999940941908e-1, 2.857142874366239149e-1, 2.222219843214978396e-1, 1.818357216161805012e-1,
  1.531383769920937332e-1, 1.479819860511658591e-1,
] as const;
const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;

interface LogModule {
  readonly bytes: Uint8Array;
  readonly constants: number[][];
}

/**
 * `logs(in, out, pairs)`: for each pair of doubles at `in`, their logs at `out`. Locals: 0 in, 1 out, 2 pairs,
 * 3 end; v128: 4 x, 5 m (mantissa bits of the high word), 6 i (fdlibm's `i`), 7 dk, 8 f, 9 s, 10 z, 11 w, 12 R,
 * 13 hfsq, 14 sel. Each step is fdlibm's C, in its order of operations.
 */
function buildModule(): LogModule {
  const c = new Constants();
  const { and, or, xor, bitselect, anyTrue, ltS, gtS, add, sub, shrU, fadd, fsub, fmul, fdiv, lowToF64 } = OP;
  const shuffle = (lanes: number[]): number[] => [...simd(0x0d), ...lanes];
  const hiOf64 = [4, 5, 6, 7, 12, 13, 14, 15, 4, 5, 6, 7, 12, 13, 14, 15]; // high words → i32 lanes 0, 1
  const hiBoth = [4, 5, 6, 7, 4, 5, 6, 7, 12, 13, 14, 15, 12, 13, 14, 15]; // each high word over its whole 64-bit lane
  const HIGH = c.i32(0, -1);
  const scalar = (lane: number): number[] => [...get(1), ...get(4), ...simd(0x21), lane, 0x10, 0, 0x39, 3, 8 * lane]; // out[lane] = log(x[lane])
  const loop = [
    ...get(0), ...get(3), 0x4f, 0x0d, 1, // in ≥ end: done
    // special lanes: hx < 0x00100000 (zero, negative... as signed), hx ≥ 0x7ff00000, or (0x000fffff & (2 + hx)) < 3
    ...get(0), ...simd(0x00), 3, 0, ...tee(4), ...c.i32(0x00100000), ...ltS, ...get(4), ...c.i32(0x7fefffff), ...gtS, ...or,
    ...get(4), ...c.i32(2), ...add, ...c.i32(0xfffff), ...and, ...c.i32(3), ...ltS, ...or, ...HIGH, ...and, ...anyTrue,
    0x04, 0x40, ...scalar(0), ...scalar(1),
    0x05,
    // hx &= 0x000fffff; i = (hx + 0x95f64) & 0x100000; k = (hx >> 20) - 1023 + (i >> 20), as f64 in dk
    ...get(4), ...c.i32(0xfffff), ...and, ...tee(5), ...c.i32(0x95f64), ...add, ...c.i32(0x100000), ...and, ...set(6),
    ...get(4), 0x41, 20, ...shrU, ...c.i32(1023), ...sub, ...get(6), 0x41, 20, ...shrU, ...add, ...tee(7), ...get(7), ...shuffle(hiOf64), ...lowToF64, ...set(7),
    // high word ← hx | (i ^ 0x3ff00000) (x or x/2 normalized); f = x - 1
    ...get(4), ...c.i32(-1, 0x000fffff), ...and, ...get(6), ...c.i32(0x3ff00000), ...xor, ...HIGH, ...and, ...or, ...c.f64(1), ...fsub, ...set(8),
    // s = f / (2 + f); z = s²; w = z²; R = z(Lg1 + w(Lg3 + w(Lg5 + w Lg7))) + w(Lg2 + w(Lg4 + w Lg6))
    ...get(8), ...c.f64(2), ...get(8), ...fadd, ...fdiv, ...tee(9), ...get(9), ...fmul, ...tee(10), ...get(10), ...fmul, ...set(11),
    ...get(10), ...c.f64(LG[0]), ...get(11), ...c.f64(LG[2]), ...get(11), ...c.f64(LG[4]), ...get(11), ...c.f64(LG[6]), ...fmul, ...fadd, ...fmul, ...fadd, ...fmul, ...fadd, ...fmul,
    ...get(11), ...c.f64(LG[1]), ...get(11), ...c.f64(LG[3]), ...get(11), ...c.f64(LG[5]), ...fmul, ...fadd, ...fmul, ...fadd, ...fmul, ...fadd, ...set(12),
    // sel = ((hx - 0x6147a) | (0x6b851 - hx)) > 0; hfsq = 0.5 f f
    ...get(5), ...c.i32(0x6147a), ...sub, ...c.i32(0x6b851), ...get(5), ...sub, ...or, ...c.i32(0), ...gtS, ...tee(14), ...get(14), ...shuffle(hiBoth), ...set(14),
    ...c.f64(0.5), ...get(8), ...fmul, ...get(8), ...fmul, ...set(13),
    ...get(1),
    // sel: dk ln2_hi - ((hfsq - (s (hfsq + R) + dk ln2_lo)) - f); else dk ln2_hi - ((s (f - R) - dk ln2_lo) - f)
    // (with k = 0 these are bit for bit fdlibm's k = 0 forms: 0·ln2 = 0, y + 0 = y, 0 - y = -y and a - b = -(b - a))
    ...get(7), ...c.f64(LN2_HI), ...fmul, ...get(13), ...get(9), ...get(13), ...get(12), ...fadd, ...fmul, ...get(7), ...c.f64(LN2_LO), ...fmul, ...fadd, ...fsub, ...get(8), ...fsub, ...fsub,
    ...get(7), ...c.f64(LN2_HI), ...fmul, ...get(9), ...get(8), ...get(12), ...fsub, ...fmul, ...get(7), ...c.f64(LN2_LO), ...fmul, ...fsub, ...get(8), ...fsub, ...fsub,
    ...get(14), ...bitselect, ...simd(0x0b), 3, 0,
    0x0b,
    ...get(0), 0x41, 16, 0x6a, ...set(0), ...get(1), 0x41, 16, 0x6a, ...set(1), 0x0c, 0,
  ];
  const body = [...get(0), ...get(2), 0x41, 4, 0x74, 0x6a, ...set(3), 0x02, 0x40, 0x03, 0x40, ...loop, 0x0b, 0x0b, 0x0b];
  const func = [...vec([[1, 0x7f], [11, 0x7b]]), ...body];
  const func2 = magnitudeTangentFunction(c);
  const bytes = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    // types: (i32 i32 i32) → (); f64 → f64; (i32 i32 i32 i32 i32 f64) → ()
    ...section(1, vec([[0x60, ...vec([[0x7f], [0x7f], [0x7f]]), 0], [0x60, 1, 0x7c, 1, 0x7c], [0x60, ...vec([[0x7f], [0x7f], [0x7f], [0x7f], [0x7f], [0x7c]]), 0]])),
    ...section(2, vec([[...name('m'), ...name('log'), 0x00, 1], [...name('m'), ...name('mem'), 0x02, 0x00, 1]])),
    ...section(3, vec([[0], [2]])),
    ...section(7, vec([[...name('logs'), 0x00, 1], [...name('magnitudeTangent'), 0x00, 2]])),
    ...section(10, vec([[...uleb(func.length), ...func], [...uleb(func2.length), ...func2]])),
  ]);
  return { bytes, constants: c.bytes };
}

/**
 * `magnitudeTangent(x, y, s, d, pairs, eps)`: for each pair of bins (two complex numbers of X at `x`, of Y at `y`),
 * S at `s` and d at `d`. Locals: 0 x, 1 y, 2 s, 3 d, 4 pairs, 5 eps; 6 end; v128: 7 re, 8 im, 9 m2, 10 eps × 2,
 * 11 loaded pair.
 */
function magnitudeTangentFunction(c: Constants): number[] {
  const { fadd, fmul, fdiv, fsqrt, fgt, and } = OP;
  const load = (ptr: number, offset: number): number[] => [...get(ptr), ...simd(0x00), 3, offset];
  const evens = [...simd(0x0d), 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]; // real parts of two bins
  const odds = [...simd(0x0d), 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31]; // imaginary parts
  const bump = (local: number, by: number): number[] => [...get(local), 0x41, by, 0x6a, ...set(local)];
  const body = [
    ...get(5), ...simd(0x14), ...set(10), // eps in both lanes
    ...get(2), ...get(4), 0x41, 4, 0x74, 0x6a, ...set(6),
    0x02, 0x40, 0x03, 0x40,
    ...get(2), ...get(6), 0x4f, 0x0d, 1,
    // re, im of X; m2 = re re + im im; a = sqrt(m2); S = a + eps
    ...load(0, 0), ...set(11), ...get(11), ...load(0, 16), ...evens, ...set(7), ...get(11), ...load(0, 16), ...odds, ...set(8),
    ...get(7), ...get(7), ...fmul, ...get(8), ...get(8), ...fmul, ...fadd, ...set(9),
    ...get(2), ...get(9), ...fsqrt, ...tee(11), ...get(10), ...fadd, ...simd(0x0b), 3, 0,
    // d = (re yr + im yi) / a where m2 > 0, else 0
    ...get(3),
    ...get(7), ...load(1, 0), ...load(1, 16), ...evens, ...fmul, ...get(8), ...load(1, 0), ...load(1, 16), ...odds, ...fmul, ...fadd,
    ...get(11), ...fdiv, ...get(9), ...c.f64(0), ...fgt, ...and, ...simd(0x0b), 3, 0,
    ...bump(0, 32), ...bump(1, 32), ...bump(2, 16), ...bump(3, 16), 0x0c, 0,
    0x0b, 0x0b, 0x0b,
  ];
  return [...vec([[1, 0x7f], [5, 0x7b]]), ...body];
}

/** The part of the WebAssembly JS API used here (this package is typed without DOM or Node libraries). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Memory: new (descriptor: { initial: number }) => { readonly buffer: ArrayBuffer };
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}
const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

let compiled: { module: object; constants: number[][] } | null | undefined;

/** The compiled module, or null where WebAssembly SIMD is not available. Compiled once per thread. */
function logModule(): { module: object; constants: number[][] } | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  try {
    const { bytes, constants } = buildModule();
    if (wasm !== undefined && wasm.validate(bytes)) compiled = { module: new wasm.Module(bytes), constants };
  } catch {
    compiled = null; // no WebAssembly (or a runtime refusing to compile): the Math.log loop
  }
  return compiled;
}

// ---- kernels -----------------------------------------------------------------------------------------------------

/** Options of {@link createLogKernel}. */
export interface LogKernelOptions {
  /** Largest count of one call (default 4096; even). */
  readonly capacity?: number;
  /** false: the `Math.log` loop even where WebAssembly SIMD runs (for tests and comparisons). Default true. */
  readonly simd?: boolean;
}

/** A new log kernel with its own scratch (WebAssembly memory of about 64 bytes per unit of capacity). */
export function createLogKernel(options: LogKernelOptions = {}): LogKernel {
  const capacity = options.capacity ?? 4096;
  if (!Number.isInteger(capacity) || capacity < 2 || capacity % 2 !== 0 || capacity > 1 << 24) {
    throw new ParameterError('capacity', capacity, 'must be an even integer in [2, 2^24]', 'pass an even capacity, e.g. 4096');
  }
  const mod = options.simd === false ? null : logModule();
  if (mod === null || wasm === undefined) return mathLogKernel(capacity);
  // memory: constants, then (8 bytes × capacity each) logs' input and output, S, d, then X and Y (16 bytes × capacity)
  const base = 16 * mod.constants.length;
  const at = (slot: number): number => base + 8 * capacity * slot;
  const memory = new wasm.Memory({ initial: Math.ceil(at(8) / 65536) });
  const bytes = new Uint8Array(memory.buffer);
  mod.constants.forEach((c, i) => bytes.set(c, 16 * i));
  const instance = new wasm.Instance(mod.module, { m: { log: Math.log, mem: memory } });
  const runLogs = instance.exports.logs as (input: number, output: number, pairs: number) => void;
  const runTangent = instance.exports.magnitudeTangent as (x: number, y: number, s: number, d: number, pairs: number, eps: number) => void;
  const view = (slot: number, length: number): Float64Array => new Float64Array(memory.buffer, at(slot), length);
  const input = view(0, capacity);
  const output = view(1, capacity);
  const frame: MagnitudeTangent = { s: view(2, capacity), d: view(3, capacity) };
  const xs = view(4, 2 * capacity);
  const ys = view(6, 2 * capacity);
  return {
    capacity,
    simd: true,
    logs(src: Float64Array, from: number, count: number): Float64Array {
      checkCall(src, from, count, capacity);
      const own = src === frame.s && from === 0; // S of magnitudeTangent: already in place
      if (!own) input.set(from === 0 && count === src.length ? src : src.subarray(from, from + count));
      runLogs(own ? at(2) : at(0), at(1), count >> 1);
      if ((count & 1) !== 0) output[count - 1] = Math.log(src[from + count - 1]!);
      return output;
    },
    magnitudeTangent(X: Float64Array, Y: Float64Array, count: number, eps: number): MagnitudeTangent {
      checkSpectra(X, Y, count, capacity);
      xs.set(X.length <= xs.length ? X : X.subarray(0, 2 * count));
      ys.set(Y.length <= ys.length ? Y : Y.subarray(0, 2 * count));
      if ((count & 1) !== 0) {
        // the unused second bin of the last pair: a finite, nonzero value (its S and d are computed, never read)
        xs[2 * count] = 3;
        xs[2 * count + 1] = 0;
      }
      runTangent(at(4), at(6), at(2), at(3), (count + 1) >> 1, eps);
      return frame;
    },
  };
}

function mathLogKernel(capacity: number): LogKernel {
  const output = new Float64Array(capacity);
  const frame: MagnitudeTangent = { s: new Float64Array(capacity), d: new Float64Array(capacity) };
  return {
    capacity,
    simd: false,
    logs(src: Float64Array, from: number, count: number): Float64Array {
      checkCall(src, from, count, capacity);
      for (let m = 0; m < count; m++) output[m] = Math.log(src[from + m]!);
      return output;
    },
    magnitudeTangent(X: Float64Array, Y: Float64Array, count: number, eps: number): MagnitudeTangent {
      checkSpectra(X, Y, count, capacity);
      const { s, d } = frame;
      for (let m = 0; m < count; m++) {
        const re = X[2 * m]!;
        const im = X[2 * m + 1]!;
        const m2 = re * re + im * im;
        const a = Math.sqrt(m2);
        s[m] = a + eps;
        d[m] = m2 > 0 ? (re * Y[2 * m]! + im * Y[2 * m + 1]!) / a : 0;
      }
      return frame;
    },
  };
}

function checkSpectra(X: Float64Array, Y: Float64Array, count: number, capacity: number): void {
  if (!(count >= 0 && count <= capacity && X.length >= 2 * count && Y.length >= 2 * count)) {
    throw new ParameterError('count', count, `must be at most the kernel's capacity ${capacity}, with 2·count values in X (${X.length}) and Y (${Y.length})`, 'pass count ≤ capacity bins of two interleaved spectra');
  }
}

function checkCall(src: Float64Array, from: number, count: number, capacity: number): void {
  if (!(count >= 0 && count <= capacity && from >= 0 && from + count <= src.length)) {
    throw new ParameterError('count', count, `with from = ${from} must fit both the kernel's capacity ${capacity} and the source's length ${src.length}`, 'split the call into chunks of at most capacity values');
  }
}

let shared: LogKernel | undefined;

/** This thread's shared kernel (capacity 4096), created on first use; for loops that consume each result at once. */
export function sharedLogKernel(): LogKernel {
  shared ??= createLogKernel();
  return shared;
}
