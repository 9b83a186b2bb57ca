// Property-based fuzzing of the decoder: every input decodes to consistent audio or throws a WavError (never a
// TypeError / RangeError, never a hang, never an allocation beyond the bytes it was given).
//
// A fast slice runs with the normal tests (300 cases per property). The large run (see the README, "Fuzzing"):
//   DSTFT_FUZZ_RUNS=10000 pnpm --filter @dstft/wav exec vitest run src/fuzz.test.ts
// DSTFT_FUZZ_SEED=<n> replays a seed; a failure prints its seed and counterexample path (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeWav, encodeWav, WavError, type WavAudio, type WavBitsPerSample, type WavEncoding } from './index.js';

const RUNS = Number(process.env['DSTFT_FUZZ_RUNS'] ?? 300);
const SEED = process.env['DSTFT_FUZZ_SEED'] !== undefined ? Number(process.env['DSTFT_FUZZ_SEED']) : 20261204;
/** A hang guard, not a speed test: the decoder is linear in the bytes it is given and the cases are < 64 KiB (well under 1 ms each); 2 s leaves room for a loaded CI machine. */
const MS_PER_CASE = 2000;

const FORMATS: readonly [WavEncoding, WavBitsPerSample][] = [
  ['pcm', 8],
  ['pcm', 16],
  ['pcm', 24],
  ['pcm', 32],
  ['float', 32],
  ['float', 64],
];

/** A valid WAV (every PCM / float format, plain or extensible, 1 to 3 channels, 0 to 40 frames). */
const validWav = fc
  .record({
    format: fc.constantFrom(...FORMATS),
    extensible: fc.boolean(),
    channels: fc.integer({ min: 1, max: 3 }),
    frames: fc.integer({ min: 0, max: 40 }),
    rate: fc.constantFrom(8000, 44100, 1, 192000), // absurd rates come from the mutations (u32 at offset 24)
    seed: fc.integer(),
  })
  .map(({ format: [encoding, bitsPerSample], extensible, channels, frames, rate, seed }) => {
    let s = seed | 0;
    const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) | 0) / 2 ** 31) * 0.999;
    const ch = Array.from({ length: channels }, () => Float64Array.from({ length: frames }, next));
    return new Uint8Array(encodeWav(ch, rate, { encoding, bitsPerSample, extensible }));
  });

const U32_SPECIAL = [0, 1, 2, 3, 7, 15, 16, 17, 39, 40, 41, 0x7fffffff, 0x80000000, 0xfffffff0, 0xfffffff7, 0xfffffff8, 0xffffffff];
const U16_SPECIAL = [0, 1, 2, 3, 7, 8, 16, 24, 32, 64, 0xfffe, 0xffff];

type Mutation =
  | { kind: 'byte'; at: number; value: number }
  | { kind: 'u16'; at: number; value: number }
  | { kind: 'u32'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'chunk'; id: string; size: number; body: Uint8Array };

/** Offsets biased to the header (RIFF size, chunk ids and sizes, every fmt field) but anywhere in the file too. */
const offset = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 80 }) }, { weight: 1, arbitrary: fc.nat({ max: 1 << 16 }) });

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('byte' as const), at: offset, value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('u16' as const), at: offset, value: fc.oneof(fc.constantFrom(...U16_SPECIAL), fc.integer({ min: 0, max: 0xffff })) }),
  fc.record({ kind: fc.constant('u32' as const), at: offset, value: fc.oneof(fc.constantFrom(...U32_SPECIAL), fc.integer({ min: 0, max: 0xffffffff })) }),
  fc.record({ kind: fc.constant('truncate' as const), at: offset }),
  fc.record({ kind: fc.constant('insert' as const), at: offset, bytes: fc.uint8Array({ maxLength: 24 }) }),
  fc.record({
    kind: fc.constant('chunk' as const),
    id: fc.constantFrom('fmt ', 'data', 'LIST', 'fact', 'JUNK', 'bext', '\0\0\0\0'),
    size: fc.oneof(fc.constantFrom(...U32_SPECIAL), fc.nat({ max: 64 })),
    body: fc.uint8Array({ maxLength: 33 }),
  }),
);

function apply(bytes: Uint8Array, m: Mutation): Uint8Array {
  const at = bytes.length === 0 ? 0 : m.kind === 'truncate' || m.kind === 'insert' ? Math.min(m.at, bytes.length) : m.kind === 'chunk' ? 0 : m.at % bytes.length;
  switch (m.kind) {
    case 'byte': {
      const out = bytes.slice();
      if (out.length) out[at] = m.value;
      return out;
    }
    case 'u16':
    case 'u32': {
      const n = m.kind === 'u16' ? 2 : 4;
      const out = bytes.slice();
      for (let i = 0; i < n && at + i < out.length; i++) out[at + i] = (m.value >>> (8 * i)) & 0xff;
      return out;
    }
    case 'truncate':
      return bytes.slice(0, at);
    case 'insert': {
      const out = new Uint8Array(bytes.length + m.bytes.length);
      out.set(bytes.subarray(0, at));
      out.set(m.bytes, at);
      out.set(bytes.subarray(at), at + m.bytes.length);
      return out;
    }
    case 'chunk': {
      // an extra chunk (odd sizes included, padded or not) right after the RIFF header
      const head = Math.min(12, bytes.length);
      const c = new Uint8Array(8 + m.body.length);
      for (let i = 0; i < 4; i++) c[i] = m.id.charCodeAt(i);
      new DataView(c.buffer).setUint32(4, m.size >>> 0, true);
      c.set(m.body, 8);
      const out = new Uint8Array(bytes.length + c.length);
      out.set(bytes.subarray(0, head));
      out.set(c, head);
      out.set(bytes.subarray(head), head + c.length);
      return out;
    }
  }
}

const mutatedWav = fc.tuple(validWav, fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([bytes, ms]) => ms.reduce(apply, bytes));

/** Random bytes, bare or behind a valid "RIFF....WAVE" prefix (so the chunk walker sees them). */
const randomBytes = fc.oneof(
  fc.uint8Array({ maxLength: 96 }),
  fc.tuple(fc.uint8Array({ maxLength: 160 }), fc.integer({ min: 0, max: 0xffffffff })).map(([b, size]) => {
    const out = new Uint8Array(12 + b.length);
    out.set([0x52, 0x49, 0x46, 0x46], 0);
    new DataView(out.buffer).setUint32(4, size, true);
    out.set([0x57, 0x41, 0x56, 0x45], 8);
    out.set(b, 12);
    return out;
  }),
);

const BYTES_PER_SAMPLE: Record<number, number> = { 8: 1, 16: 2, 24: 3, 32: 4, 64: 8 };

/** Decodes (with and without allowTruncated); true when it decoded, false on a WavError; anything else fails. */
function decodesOrWavError(bytes: Uint8Array): boolean {
  let ok = false;
  for (const allowTruncated of [false, true]) {
    const t0 = performance.now();
    let audio: WavAudio | undefined;
    try {
      audio = decodeWav(bytes, { name: 'fuzz.wav', allowTruncated });
    } catch (e) {
      if (!(e instanceof WavError)) throw new Error(`expected a WavError, got ${String(e)} for bytes [${Array.from(bytes.subarray(0, 64)).join(',')}] (length ${bytes.length})`);
      expect(e.message).toMatch(/^WAV file "fuzz\.wav": .+\. Fix: .+/);
    }
    expect(performance.now() - t0).toBeLessThan(MS_PER_CASE);
    if (audio === undefined) continue;
    ok = true;
    const { channels, frames, format, sampleRate } = audio;
    expect(format.channelCount).toBeGreaterThan(0);
    expect(sampleRate).toBeGreaterThan(0);
    expect(channels.length).toBe(format.channelCount);
    // never more samples than the bytes hold: a header claiming 4 GiB allocates nothing of the sort
    expect(frames * format.channelCount * BYTES_PER_SAMPLE[format.bitsPerSample]!).toBeLessThanOrEqual(bytes.length);
    for (const ch of channels) {
      expect(ch.length).toBe(frames);
      for (let i = 0; i < ch.length; i++) if (!Number.isFinite(ch[i])) throw new Error(`non-finite sample ${ch[i]} in decoded audio`);
      if (format.encoding === 'pcm') for (let i = 0; i < ch.length; i++) if (ch[i]! < -1 || ch[i]! >= 1) throw new Error(`PCM sample ${ch[i]} outside [-1, 1)`);
    }
  }
  return ok;
}

describe(`decodeWav fuzzing (${RUNS} cases per property, seed ${SEED})`, () => {
  it('valid files of every format decode, round-trip their shape', () => {
    fc.assert(
      fc.property(validWav, (bytes) => {
        expect(decodesOrWavError(bytes)).toBe(true);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('mutated headers, truncated chunks, odd padding, huge sizes: audio or a WavError', () => {
    const stats = { decoded: 0, refused: 0 };
    fc.assert(
      fc.property(mutatedWav, (bytes) => {
        if (decodesOrWavError(bytes)) stats.decoded++;
        else stats.refused++;
      }),
      { numRuns: RUNS, seed: SEED + 1 },
    );
    if (process.env['DSTFT_FUZZ_RUNS'] !== undefined) console.info(`decodeWav fuzzing, mutated files: ${stats.decoded} decoded, ${stats.refused} refused`);
    // both outcomes occur (the generator is not degenerate)
    expect(stats.decoded).toBeGreaterThan(0);
    expect(stats.refused).toBeGreaterThan(0);
  });

  it('random bytes: a WavError (or, rarely, audio)', () => {
    fc.assert(
      fc.property(randomBytes, (bytes) => {
        decodesOrWavError(bytes);
      }),
      { numRuns: RUNS, seed: SEED + 2 },
    );
  });

  it('a header claiming 4 GiB of data in a small file is refused (or decodes what is there) without allocating it', () => {
    const wav = new Uint8Array(encodeWav(new Float64Array(10), 8000));
    const dv = new DataView(wav.buffer);
    dv.setUint32(4, 0xffffffff, true);
    dv.setUint32(40, 0xffffffff, true); // the data chunk's size
    expect(() => decodeWav(wav)).toThrow(/declares 4294967295 bytes but only 20 are present/);
    expect(decodeWav(wav, { allowTruncated: true }).frames).toBe(10);
  });
});

describe('strict options of decodeWav / encodeWav', () => {
  it('unknown (misspelt) option keys are ParameterErrors with a hint', () => {
    const wav = encodeWav(new Float64Array(4), 8000);
    expect(() => decodeWav(wav, { allowTruncation: true } as never)).toThrow(/options\.allowTruncation = true: unknown option of decodeWav\(\)\. Fix: did you mean 'allowTruncated'\?/);
    expect(() => encodeWav(new Float64Array(4), 8000, { bits: 16 } as never)).toThrow(/options\.bits = 16: unknown option of encodeWav\(\)/);
    expect(() => encodeWav(new Float64Array(4), 8000, { clip: 'yes' } as never)).toThrow(/options\.clip = "yes": expected true or false/);
    expect(() => decodeWav(wav, { name: 3 } as never)).toThrow(/options\.name = 3/);
  });
});
