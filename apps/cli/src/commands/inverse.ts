import { basename, extname } from 'node:path';
import { createDstft } from '@dstft/dstft';
import { InputError, UsageError } from '../errors.js';
import { closeSync, openSync, readSync } from 'node:fs';
import { readSignal } from '../io/input.js';
import { checkOutputFile, writeFileAtomic } from '@dstft/node-io';
import { readTransformFile } from '../io/transform-file.js';
import { WAV_FORMATS, encodeWavFile } from '../io/wav.js';
import { numberArg } from '../options.js';
import { checkOutputExtension } from '../outputs.js';
import { round, show } from './common.js';
import type { CommandSpec } from './types.js';

export const inverse: CommandSpec = {
  name: 'inverse',
  args: '<transform.dstft>',
  summary: 'reconstruct a WAV from a transform saved by the CLI, and report the reconstruction error',
  examples: [
    ['dstft spectrogram my.wav --save-transform my.dstft', 'first save a transform'],
    ['dstft inverse my.dstft --original my.wav', 'writes my.inverse.wav; the error against the original'],
    ['dstft optimize my.wav --mode time --save-transform --out run1', 'an optimized (time-varying) transform…'],
    ['dstft inverse run1/transform.dstft -o back.wav --format pcm16', '…inverted, as 16-bit PCM'],
  ],
  notes: `The .dstft file: magic "DSTFT01\\n", a uint32 little-endian header length, a JSON header (the transform's
toJSON(): options and parameters; the shape; the source), then X as float64 little-endian, [batch][freqs][frames]
complex interleaved. Without --original, the error reported is the consistency ‖A x̂ − X‖ / ‖X‖ (A: the transform);
with it, the error of the reconstruction against the original samples (max and relative RMS over covered samples).
The WAV is written as float32 by default (pcm16 etc. with --format; PCM clips at ±1).`,
  define(cmd) {
    return cmd
      .option('-o, --out <file.wav>', 'WAV to write (default <transform name>.inverse.wav)')
      .option('--original <file>', 'the signal the transform was computed from (WAV or sample list), to measure the error')
      .option('--channel <n>', 'channel of --original (default: the mix-down)', numberArg('--channel', { integer: true, min: 0 }))
      .option('--format <format>', `sample format: ${WAV_FORMATS.join(' | ')} (default float32)`);
  },
  async run(ctx, [file], opts) {
    if (opts.out !== undefined) checkOutputExtension(opts.out, '-o/--out', ['.wav'], 'the reconstruction');
    const format = (opts.format ?? 'float32') as string;
    if (!(WAV_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format = "${format}": unknown sample format. Fix: use one of ${WAV_FORMATS.join(', ')}`);
    const out = checkOutputFile(opts.out ?? `${basename(file!, extname(file!))}.inverse.wav`, ctx.flags.force);
    const { header, X } = readTransformFile(file!);
    const dstft = createDstft(header.transform, { registry: ctx.registry });
    if (dstft.freqs !== header.freqs || dstft.frames !== header.frames) {
      throw new UsageError(`${file}: the header's transform has ${dstft.freqs}×${dstft.frames} bins × frames, the data ${header.freqs}×${header.frames}. Fix: write the transform again`);
    }
    const inv = dstft.inverse({ X, batch: header.batch, frames: header.frames });
    const x = inv.signal.subarray(0, dstft.options.signalLength);
    // consistency: the transform of the reconstruction against the saved transform
    const again = dstft.forward(Float64Array.from(x));
    let num = 0;
    let den = 0;
    for (let k = 0; k < X.length; k++) {
      const d = again.X[k]! - X[k]!;
      num += d * d;
      den += X[k]! * X[k]!;
    }
    const consistency = den > 0 ? Math.sqrt(num / den) : 0;
    let vsOriginal: Record<string, number> | null = null;
    if (opts.original) {
      // a WAV file carries its rate (checked against the transform's below); a sample list takes the transform's
      const o = readSignal(opts.original, { ...(opts.channel !== undefined ? { channel: opts.channel } : {}), ...(isWavFile(opts.original) ? {} : { sampleRate: dstft.options.sampleRate, sampleRateSource: `${file} (its sampleRate)` }) });
      if (o.sampleRate !== dstft.options.sampleRate) {
        throw new InputError(opts.original, `is at ${o.sampleRate} Hz, the transform ${file} at ${dstft.options.sampleRate} Hz`, `pass as --original the recording the transform was computed from (at ${dstft.options.sampleRate} Hz)`);
      }
      if (o.samples.length !== x.length) throw new UsageError(`--original = "${opts.original}": ${o.samples.length} samples, the transform was computed from ${x.length}. Fix: pass the signal the transform was computed from`);
      let maxErr = 0;
      let e2 = 0;
      let s2 = 0;
      let peak = 0;
      for (let p = 0; p < x.length; p++) {
        peak = Math.max(peak, Math.abs(o.samples[p]!));
        if (!inv.covered[p]) continue;
        const d = x[p]! - o.samples[p]!;
        maxErr = Math.max(maxErr, Math.abs(d));
        e2 += d * d;
        s2 += o.samples[p]! * o.samples[p]!;
      }
      vsOriginal = { maxAbsError: maxErr, maxErrorRelativeToPeak: peak > 0 ? maxErr / peak : 0, relativeRmsError: s2 > 0 ? Math.sqrt(e2 / s2) : 0 };
    }
    const wav = encodeWavFile([Float64Array.from(x)], dstft.options.sampleRate, format);
    const clipped = wav.clipped ?? 0;
    writeFileAtomic(out, wav, { force: ctx.flags.force });
    ctx.log(`inverse (${inv.method}): ${x.length} samples at ${dstft.options.sampleRate} Hz, ${inv.uncoveredCount} uncovered`);
    ctx.log(`  consistency ‖A x̂ − X‖/‖X‖ = ${consistency.toExponential(3)}`);
    if (vsOriginal) ctx.log(`  against ${show(opts.original)}: max |error| ${vsOriginal.maxAbsError!.toExponential(3)} (${vsOriginal.maxErrorRelativeToPeak!.toExponential(3)} of the peak), relative RMS ${vsOriginal.relativeRmsError!.toExponential(3)}`);
    ctx.log(`wrote ${show(out)}${format.startsWith('pcm') ? ` (${format}: quantized${clipped ? `, ${clipped} samples clipped to ±1` : ''})` : ''}`);
    ctx.result({
      ok: true,
      command: 'inverse',
      method: inv.method,
      samples: x.length,
      sampleRate: dstft.options.sampleRate,
      uncoveredSamples: inv.uncoveredCount,
      consistency: round(consistency, 6),
      ...(vsOriginal ? { original: { path: opts.original, ...vsOriginal } } : {}),
      format,
      clippedSamples: clipped,
      files: [show(out)],
    });
  },
};

/** A WAV file by name or by its RIFF magic (false when it cannot be read: readSignal reports that). */
function isWavFile(path: string): boolean {
  if (/\.wave?$/i.test(path)) return true;
  try {
    const fd = openSync(path, 'r');
    try {
      const b = Buffer.alloc(4);
      return readSync(fd, b, 0, 4, 0) === 4 && b.toString('latin1') === 'RIFF';
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}
