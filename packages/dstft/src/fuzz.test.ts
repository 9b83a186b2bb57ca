// Property-based fuzzing of option validation: random option objects for createDstft (keys near the valid ones,
// typos, wrong types, NaN, ±Infinity, huge / negative / zero numbers, nested junk) and for optimize. Every case
// ends in a result or a typed error (a DstftError whose message names the parameter), never a TypeError /
// RangeError, never a hang. Accepted transforms run a forward (and a backward) on a tiny signal.
//
// A fast slice runs with the normal tests (200 cases per property). The large run (see the README, "Fuzzing"):
//   DSTFT_FUZZ_RUNS=10000 pnpm --filter @dstft/dstft exec vitest run src/fuzz.test.ts
// DSTFT_FUZZ_SEED=<n> replays a seed; a failure prints its seed and counterexample path (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DstftError, ParameterError, createDstft, createOptimization, type Dstft, type DstftOptions } from './index.js';
import { KNOWN_KEYS } from './options.js';

// this package is typed without Node's types: the environment and fs are reached structurally
const env: Readonly<Record<string, string | undefined>> = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
const RUNS = Number(env['DSTFT_FUZZ_RUNS'] ?? 200);
const SEED = env['DSTFT_FUZZ_SEED'] !== undefined ? Number(env['DSTFT_FUZZ_SEED']) : 20261204;
const TRACE = env['DSTFT_FUZZ_TRACE'];
const now = (): number => (globalThis as unknown as { performance: { now(): number } }).performance.now();
const info = (text: string): void => (globalThis as unknown as { console: { info(t: string): void } }).console.info(text);
const fs = TRACE ? ((await import(/* @vite-ignore */ `node:${'fs'}`)) as { appendFileSync(file: string, text: string): void }) : undefined;
/** Wall time allowed per case (tiny sizes; the slowest accepted case is a DFT-path forward and backward). */
const MS_PER_CASE = 3000;
/** Accepted cases run a forward / backward only when the spectrogram is small (the generator mostly keeps it so). */
const MAX_ENTRIES = 20_000;

const KNOWN = KNOWN_KEYS;

/** Misspellings of a known key: a dropped, doubled or swapped letter, a case change, snake_case, a suffix. */
const typo = fc.tuple(fc.constantFrom(...KNOWN), fc.integer({ min: 0, max: 5 }), fc.nat()).map(([k, how, r]) => {
  const i = r % k.length;
  switch (how) {
    case 0:
      return k.slice(0, i) + k.slice(i + 1);
    case 1:
      return k.slice(0, i) + k[i] + k.slice(i);
    case 2:
      return i + 1 < k.length ? k.slice(0, i) + k[i + 1] + k[i] + k.slice(i + 2) : `${k}s`;
    case 3:
      return k.toLowerCase() === k ? k.toUpperCase() : k.toLowerCase();
    case 4:
      return k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) + (k.toLowerCase() === k ? '_' : '');
    default:
      return `${k}Length`;
  }
});

const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, -1, 1, 2, 0.5, 1e-300, 1e308, -1e308, 2 ** 31, 2 ** 53, 2 ** 26 + 1, 2 ** 30, Number.MAX_SAFE_INTEGER + 2];

/** Values of any type, including nested junk. */
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(...SPECIAL, '', '16', 'hann', true, false, null, undefined, [], {}, [NaN], { nFft: 16 }),
  fc.double(),
  fc.integer({ min: -1e9, max: 1e9 }),
  fc.string({ maxLength: 6 }),
  fc.array(fc.oneof(fc.double(), fc.integer({ min: -64, max: 64 })), { maxLength: 6 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.double(), fc.string({ maxLength: 3 }), fc.constant(null)), { maxKeys: 3 }),
  fc.constant(() => 1),
  fc.constantFrom<unknown>(Object.create(null), Symbol('junk'), 10n, [Object.create(null)], [Symbol('junk')], ['1', 2], new Float64Array([1, NaN])),
);

const smallNumber = fc.oneof(fc.integer({ min: -4, max: 80 }), fc.double({ min: -4, max: 80, noNaN: true }), fc.constantFrom(...SPECIAL));

/** Plausible values per key (mostly valid, sometimes just off), so that many cases get past the first check. */
const valueFor: Record<string, fc.Arbitrary<unknown>> = {
  sampleRate: fc.oneof(fc.constantFrom(1, 8000, 44100), smallNumber),
  window: fc.constantFrom('hann', 'gaussian', 'kaiser', 'hamming', 'blackman', 'Hann', 'hanning', 'acme/none', ''),
  windowParams: fc.dictionary(fc.constantFrom('sigma', 'beta', 'betta', 'sigm', 'alpha', 'Beta', 'sigma_'), fc.oneof(fc.double({ min: -1, max: 600, noNaN: true }), junk), { maxKeys: 2 }),
  normalization: fc.constantFrom('none', 'paper', 'unit', 'Paper', 'l2'),
  windowMode: fc.constantFrom('fixed', 'constant', 'time', 'frequency', 'time-frequency', 'tf'),
  positionsMode: fc.constantFrom('fixed', 'constant', 'time', 'free', 'learned'),
  framePolicy: fc.constantFrom('fixed-frames', 'fixed-overlap', 'overlap'),
  theta: fc.oneof(smallNumber, fc.array(fc.oneof(fc.double({ min: 1, max: 64, noNaN: true }), smallNumber), { maxLength: 40 })),
  thetaMin: smallNumber,
  thetaMax: smallNumber,
  hop: fc.oneof(fc.integer({ min: 1, max: 40 }), smallNumber),
  frames: fc.oneof(fc.integer({ min: 1, max: 40 }), smallNumber),
  hops: fc.array(fc.oneof(fc.double({ min: 0.5, max: 20, noNaN: true }), smallNumber), { maxLength: 40 }),
  t0: smallNumber,
  positions: fc.array(fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), smallNumber), { maxLength: 40 }),
  overlap: fc.oneof(fc.double({ min: -0.5, max: 1.5, noNaN: true }), smallNumber),
  power: fc.oneof(fc.constantFrom(1, 2, 0.5), smallNumber),
  eps: fc.oneof(fc.constantFrom(0, 1e-12, 1), smallNumber),
  fft: fc.constantFrom('fftjs', 'pffft', ''),
  nFft: fc.oneof(fc.integer({ min: 2, max: 64 }), smallNumber),
  signalLength: fc.oneof(fc.integer({ min: 1, max: 200 }), smallNumber),
};

const edit = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...KNOWN).chain((k) => fc.tuple(fc.constant<string>(k), fc.oneof({ weight: 3, arbitrary: valueFor[k]! }, { weight: 1, arbitrary: junk }))) },
  { weight: 1, arbitrary: fc.tuple(typo, junk) },
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 8 }), junk) },
);

/** A small valid base (nFft ≤ 64, signalLength ≤ nFft + 100) with 0 to 4 edits. */
const dstftOptions = fc
  .tuple(fc.integer({ min: 2, max: 64 }), fc.integer({ min: 0, max: 100 }), fc.array(edit, { maxLength: 4 }), fc.boolean())
  .map(([nFft, extra, edits, drop]) => {
    const o: Record<string, unknown> = { nFft, signalLength: nFft + extra };
    for (const [k, v] of edits) o[k] = v;
    if (drop) delete o[edits.length ? edits[0]![0] : 'nFft'];
    return o;
  });

/** The typed-error contract: a DstftError; a ParameterError's message starts with its parameter; every message has a fix. */
function expectTypedError(e: unknown, context: unknown): void {
  if (!(e instanceof DstftError)) {
    throw new Error(`expected a DstftError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}\n  for ${describe_(context)}`);
  }
  if (e instanceof ParameterError) {
    expect(typeof e.parameter).toBe('string');
    expect(e.parameter.length).toBeGreaterThan(0);
    expect(e.message.startsWith(`${e.parameter} = `)).toBe(true);
  }
  expect(e.message).toMatch(/Fix: \S/);
}

function describe_(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : typeof x === 'function' ? 'function' : x === undefined ? 'undefined' : x));
  } catch {
    return String(v);
  }
}

function signalFor(d: Dstft, seed: number): Float64Array {
  let s = seed | 0;
  return Float64Array.from({ length: d.plan.signalLength }, () => ((s = (Math.imul(s, 1664525) + 1013904223) | 0) / 2 ** 31));
}

/** DSTFT_FUZZ_TRACE=<file>: appends every case before running it (the last line names a case that hangs). */
function trace(v: unknown): void {
  if (TRACE && fs) fs.appendFileSync(TRACE, `${describe_(v)}\n`);
}

function timed<T>(f: () => T): T {
  const t0 = now();
  const r = f();
  expect(now() - t0).toBeLessThan(MS_PER_CASE);
  return r;
}

describe(`option fuzzing (${RUNS} cases per property, seed ${SEED})`, () => {
  it('createDstft + forward / backward on tiny sizes: a result or a typed error naming the parameter', () => {
    const stats = { accepted: 0, refused: 0 };
    fc.assert(
      fc.property(dstftOptions, fc.integer(), (options, seed) => {
        trace(options);
        timed(() => {
          let d: Dstft;
          try {
            d = createDstft(options as unknown as DstftOptions);
          } catch (e) {
            expectTypedError(e, options);
            stats.refused++;
            return;
          }
          stats.accepted++;
          if (d.plan.signalLength > 4096 || d.frames * d.freqs > MAX_ENTRIES) return;
          const x = signalFor(d, seed);
          try {
            const r = d.forward(x);
            expect(r.spec.every(Number.isFinite)).toBe(true);
            if (d.window.gradients.theta && d.window.gradients.x) {
              const g = d.backward(r, { spec: new Float64Array(r.spec.length).fill(1) });
              expect(g.theta.every(Number.isFinite)).toBe(true);
            }
          } catch (e) {
            expectTypedError(e, options);
          }
        });
      }),
      { numRuns: RUNS, seed: SEED },
    );
    if (env['DSTFT_FUZZ_RUNS'] !== undefined) info(`createDstft fuzzing: ${stats.accepted} accepted, ${stats.refused} refused`);
    expect(stats.accepted).toBeGreaterThan(0);
    expect(stats.refused).toBeGreaterThan(0);
  });

  const OPT_KEYS = ['loss', 'regularizers', 'learn', 'lr', 'bounds', 'optimizer', 'maxIterations', 'tolerance', 'patience', 'minDelta', 'onProgress', 'signal'] as const;
  const optValue: Record<string, fc.Arbitrary<unknown>> = {
    loss: fc.oneof(fc.constantFrom('shannon', 'renyi', 'kurtosis', 'l2', 'nope'), fc.record({ id: fc.constantFrom('renyi', 'shannon'), options: fc.dictionary(fc.constantFrom('alpha', 'alpah', 'reduction', 'eps'), junk, { maxKeys: 2 }) })),
    regularizers: fc.array(fc.oneof(fc.record({ id: fc.constantFrom('tf-smoothness', 'bounds', 'coverage', 'nope'), weight: smallNumber }), junk), { maxLength: 2 }),
    learn: fc.oneof(fc.record({ theta: fc.oneof(fc.boolean(), junk) }), fc.dictionary(fc.constantFrom('theta', 'positions', 'thetas'), fc.boolean(), { maxKeys: 2 })),
    lr: fc.dictionary(fc.constantFrom('theta', 'positions', 'thta'), smallNumber, { maxKeys: 2 }),
    bounds: fc.dictionary(fc.constantFrom('hop', 't0', 'positions', 'hops'), fc.oneof(fc.tuple(smallNumber, smallNumber), junk), { maxKeys: 2 }),
    optimizer: fc.oneof(fc.constantFrom('adam', 'sgd', 'lbfgs', 'adamw', 'nope'), fc.record({ id: fc.constantFrom('adam', 'sgd', 'lbfgs'), options: fc.dictionary(fc.constantFrom('lr', 'beta1', 'betas1', 'history', 'momentum'), smallNumber, { maxKeys: 2 }) })),
    maxIterations: fc.oneof(fc.integer({ min: 0, max: 2 }), smallNumber),
    tolerance: fc.dictionary(fc.constantFrom('loss', 'grad', 'gradient'), smallNumber, { maxKeys: 2 }),
    patience: smallNumber,
    minDelta: smallNumber,
    onProgress: fc.oneof(fc.constant(() => undefined), junk),
    signal: fc.oneof(fc.constant({ aborted: false }), fc.constant({ aborted: true }), junk),
  };
  const optEdit = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...OPT_KEYS).chain((k) => fc.tuple(fc.constant<string>(k), fc.oneof({ weight: 3, arbitrary: optValue[k]! }, { weight: 1, arbitrary: junk }))) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('maxIteration', 'optimiser', 'iterations', 'Loss', 'regularisers', 'tol', 'onprogress'), junk) },
  );

  it('optimize options (a few steps on a tiny transform): a result or a typed error naming the parameter', () => {
    const d = createDstft({ nFft: 16, signalLength: 48, hop: 8, positionsMode: 'constant' });
    const x = signalFor(d, 7);
    const theta0 = d.params.theta[0]!;
    const hop0 = d.params.hop!;
    fc.assert(
      fc.property(fc.array(optEdit, { maxLength: 4 }), (edits) => {
        const options: Record<string, unknown> = { maxIterations: 2 };
        for (const [k, v] of edits) options[k] = v;
        const maxIt = options['maxIterations'];
        if (typeof maxIt === 'number' && maxIt > 3) options['maxIterations'] = 3; // accepted runs stay short
        d.params.theta[0] = theta0;
        d.params.hop = hop0;
        trace(options);
        timed(() => {
          try {
            createOptimization(d, x, options).run();
          } catch (e) {
            expectTypedError(e, options);
          }
        });
      }),
      { numRuns: RUNS, seed: SEED + 1 },
    );
  });
});
