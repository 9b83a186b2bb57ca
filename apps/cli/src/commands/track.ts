import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { createDstft, optimize, optimizeConstantTheta, trackRidge, trackingMse, type DstftOptions } from '@dstft/dstft';
import { hstack, lineFigure, overlayLine, spectrogramFigure } from '@dstft/plot';
import { UsageError, asUsage } from '../errors.js';
import { freshOutputPath, openOutputDir } from '@dstft/node-io';
import { addInputOptions, addTransformOptions, buildOptions, numberArg } from '../options.js';
import { assertFits } from '../spectro.js';
import { checkOutputFolder } from '../outputs.js';
import { describeSource, loadSignal, makeDstft, round, show, transformDefaults, VI_A_TRANSFORM } from './common.js';
import type { CommandSpec } from './types.js';

/** `lo,hi` in Hz. */
function bandArg(value: string): [number, number] {
  const parts = value.split(',').map((v) => Number(v.trim()));
  if (parts.length !== 2 || !parts.every(Number.isFinite) || !(parts[0]! >= 0) || !(parts[0]! < parts[1]!)) {
    throw new InvalidArgumentError(`--band expects "low,high" in Hz with 0 ≤ low < high, got "${value}".`);
  }
  return [parts[0]!, parts[1]!];
}

/**
 * Ground truth for `--truth`: `{ times, hz }` (seconds, Hz), or a `dstft synth` truth file (its `track`, else its
 * first component's `instantaneousFrequency`).
 */
function readTruth(path: string): { times: Float64Array; hz: Float64Array } {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`--truth = "${path}": ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not JSON (${(e as Error).message})`}. Fix: pass the .truth.json written by \`dstft synth\`, or a JSON { "times": [...], "hz": [...] }`);
  }
  const j = json as Record<string, unknown>;
  const comp = Array.isArray(j['components']) ? (j['components'][0] as Record<string, unknown> | undefined)?.['instantaneousFrequency'] : undefined;
  const t = (j['track'] ?? (Array.isArray(j['times']) ? j : comp)) as { times?: unknown; hz?: unknown } | undefined;
  if (!t || !Array.isArray(t.times) || !Array.isArray(t.hz) || t.times.length !== t.hz.length || t.times.length < 2 || ![...t.times, ...t.hz].every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new UsageError(`--truth = "${path}": no track found. Fix: pass a JSON with "times" (s) and "hz" of equal length ≥ 2 (or "track": { times, hz }), e.g. the .truth.json of \`dstft synth vibration\``);
  }
  return { times: Float64Array.from(t.times as number[]), hz: Float64Array.from(t.hz as number[]) };
}

/** Linear interpolation of a (times, hz) track at the given times (held at the ends). */
function truthAt(truth: { times: Float64Array; hz: Float64Array }, times: Float64Array): Float64Array {
  const out = new Float64Array(times.length);
  let j = 0;
  const { times: ts, hz } = truth;
  for (let n = 0; n < times.length; n++) {
    const t = times[n]!;
    if (t <= ts[0]!) out[n] = hz[0]!;
    else if (t >= ts[ts.length - 1]!) out[n] = hz[hz.length - 1]!;
    else {
      while (ts[j + 1]! < t) j++;
      const a = (t - ts[j]!) / (ts[j + 1]! - ts[j]!);
      out[n] = hz[j]! + a * (hz[j + 1]! - hz[j]!);
    }
  }
  return out;
}

const MODES = ['none', 'constant', 'time'] as const;

export const track: CommandSpec = {
  name: 'track',
  args: '[input]',
  summary: 'ridge tracking of a harmonic (Viterbi with a frequency-jump penalty) → CSV + JSON of frequency per frame, PNG with the ridge on the spectrogram',
  examples: [
    ['dstft synth vibration -o vib.wav', 'the paper’s VI-C vibration signal and its truth (vib.truth.json)'],
    ['dstft track vib.wav --order 10 --band 90,300 --optimize time --truth vib.truth.json', 'the 10th harmonic ÷ 10 with an entropy-optimal time-varying θ, and its MSE against the truth'],
    ['dstft track my.wav --band 40,120 --jump-penalty 1e-2 -o my-track', 'the strongest smooth ridge in 40-120 Hz'],
    ['dstft track', 'the built-in example (VI-A): the 1→2 kHz chirp in 950-2100 Hz'],
  ],
  notes: `The ridge maximises Σ log(S / frame max) − λ Σ (jump in Hz)² over the bins of --band (exact dynamic programming),
refined below the bin spacing by parabolic interpolation, then divided by --order. --optimize picks θ first by the
spectrogram's entropy: constant (robust scan + L-BFGS) or time (a θ per frame from the constant optimum, L-BFGS;
then normalization "paper" and θ ≥ nFft/8 unless given). The default hop is nFft/32.
Writes track.csv (time_s, frequency_hz[, truth_hz]), track.json (settings, per-frame values, MSE) and track.png.`,
  define(cmd) {
    addInputOptions(cmd);
    addTransformOptions(cmd);
    return cmd
      .option('-o, --out <dir>', 'output folder (default ./dstft-out/track-<time>); must be new or empty unless --force')
      .option('--order <k>', 'harmonic order: the tracked frequency is divided by k (default 1)', numberArg('--order', { positive: true }))
      .option('--band <low,high>', 'band of the tracked ridge in Hz (default: every bin)', bandArg)
      .option('--jump-penalty <λ>', 'cost per Hz² of a jump between frames (default 1e-3)', numberArg('--jump-penalty', { min: 0 }))
      .option('--max-jump <hz>', 'hard limit on the jump between frames, in Hz', numberArg('--max-jump', { min: 0 }))
      .option('--optimize <mode>', `choose θ by entropy first: ${MODES.join(' | ')} (default none: --theta or nFft)`)
      .option('--iterations <n>', 'L-BFGS iterations of --optimize time (default 60)', numberArg('--iterations', { integer: true, min: 1 }))
      .option('--truth <file.json>', 'ground truth to score against: the .truth.json of `dstft synth`, or { "times": [...], "hz": [...] }');
  },
  async run(ctx, [input], opts) {
    if (opts.out !== undefined) checkOutputFolder(opts.out, '-o/--out', 'track', 'track.csv, track.json, track.png');
    const mode = (opts.optimize ?? 'none') as (typeof MODES)[number];
    if (!MODES.includes(mode)) throw new UsageError(`--optimize = "${opts.optimize}": unknown mode. Fix: use one of ${MODES.join(', ')}`);
    const truth = opts.truth ? readTruth(opts.truth) : null;
    const signal = loadSignal(ctx, input, opts);
    const base = transformDefaults(input, opts, ctx.config);
    const isExample = base === VI_A_TRANSFORM;
    // tracking defaults: a fine hop (nFft/32); for a time-varying θ, normalization "paper" (frames of different lengths
    // weigh alike in the entropy) and θ ≥ nFft/8 (see the VI-C experiment); flags and --config override them
    const nFft: number = opts.nFft ?? ctx.config.transform.nFft ?? base.nFft ?? 1024;
    const defaults: Partial<DstftOptions> = {
      ...base,
      ...(isExample ? { theta: 731 } : { hop: Math.max(1, Math.round(nFft / 32)) }),
      ...(mode === 'time' ? { normalization: 'paper' as const, thetaMin: Math.max(base.thetaMin ?? 0, nFft / 8) } : {}),
    };
    const options: DstftOptions = buildOptions(defaults, ctx.config, opts, signal, { windowMode: 'constant' });
    const band: [number, number] | undefined = opts.band ?? (isExample && opts.order === undefined ? [950, 2100] : undefined);
    const order: number = opts.order ?? 1;
    const trackOptions = {
      sampleRate: signal.sampleRate,
      nFft: options.nFft,
      order,
      jumpPenalty: opts.jumpPenalty ?? 1e-3,
      ...(band ? { band } : {}),
      ...(opts.maxJump !== undefined ? { maxJump: opts.maxJump } : {}),
    };
    let dstft = makeDstft(ctx, options);
    assertFits(dstft.freqs, dstft.frames, 'the transform for tracking');
    // check the band before any long work
    asUsage(() => trackRidge({ data: new Float64Array(dstft.freqs).fill(1), batch: 1, freqs: dstft.freqs, frames: 1 }, trackOptions), '--band / --order / --jump-penalty');
    const dir = openOutputDir(opts.out ?? freshOutputPath('track'), { force: ctx.flags.force });
    ctx.log(`dstft track: ${input === undefined ? 'the built-in example (VI-A)' : show(input)}, ${signal.samples.length} samples at ${signal.sampleRate} Hz; harmonic ${order}${band ? ` in ${band[0]}-${band[1]} Hz` : ''}`);

    const x = signal.samples;
    const settings: Record<string, unknown> = { optimize: mode };
    if (mode !== 'none') {
      const p = ctx.progress('entropy-optimal constant θ', 1);
      const c = optimizeConstantTheta(dstft, x, { signal: ctx.signal });
      p.done();
      settings['constant'] = { theta: round(c.theta, 8), entropy: round(c.loss, 10), forward: c.forward, backward: c.backward };
      ctx.log(`  entropy-optimal constant θ = ${round(c.theta, 7)} (${c.forward} forward + ${c.backward} backward transforms)`);
      if (mode === 'time') {
        const varying = asUsage(() => createDstft({ ...options, windowMode: 'time', theta: c.theta }, { registry: ctx.registry }), 'options');
        const iterations: number = opts.iterations ?? 60;
        const bar = ctx.progress('time-varying θ', iterations);
        const run = optimize(varying, x, { loss: 'shannon', optimizer: 'lbfgs', maxIterations: iterations, signal: ctx.signal, onProgress: (q) => bar.update(q.iteration) });
        bar.done();
        ctx.checkAborted();
        settings['timeVarying'] = { entropy: round(run.loss, 10), initialEntropy: round(run.initialLoss, 10), iterations: run.iterations, stopReason: run.stopReason };
        ctx.log(`  time-varying θ: entropy ${round(run.initialLoss, 8)} → ${round(run.loss, 8)} (${run.iterations} L-BFGS iterations)`);
        dstft = varying;
      }
    }
    const r = dstft.forward(x);
    const ridge = trackRidge({ data: r.spec, batch: 1, freqs: r.freqs, frames: r.frames }, trackOptions);
    const truthHz = truth ? truthAt(truth, r.times) : null;
    const mse = truthHz ? trackingMse(ridge.frequency, truthHz) : null;
    if (mse !== null) ctx.log(`  MSE against the truth: ${round(mse, 6)} Hz² (RMS ${round(Math.sqrt(mse), 4)} Hz) over ${r.frames} frames`);

    const stem = input === undefined ? 'example' : basename(input, extname(input));
    const csv = dir.stream('track.csv');
    csv.write(`time_s,frequency_hz${truthHz ? ',truth_hz' : ''}\n`);
    for (let n = 0; n < r.frames; n++) csv.write(`${r.times[n]},${ridge.frequency[n]}${truthHz ? `,${truthHz[n]}` : ''}\n`);
    csv.commit();
    const theta = dstft.params.theta;
    const summary = {
      ok: true,
      command: 'track',
      input: describeSource(signal),
      transform: dstft.toJSON(),
      tracking: { order, band: band ?? null, jumpPenalty: trackOptions.jumpPenalty, maxJump: opts.maxJump ?? null, ...settings },
      frames: r.frames,
      mse: mse === null ? null : round(mse, 10),
      times: Array.from(r.times, (t) => round(t, 10)),
      frequency: Array.from(ridge.frequency, (f) => round(f, 10)),
      ...(truthHz ? { truth: Array.from(truthHz, (f) => round(f, 10)) } : {}),
    };
    dir.json('track.json', summary);
    const title = `${stem}: harmonic ${order} ridge${mse !== null ? `, MSE ${round(mse, 4)} Hz²` : ''} (${mode === 'time' ? 'time-varying θ' : `θ = ${round(theta[0]!, 6)}`})`;
    const fig = spectrogramFigure(r.spec, { freqs: r.freqs, frames: r.frames, times: r.times, frequencies: r.frequencies, power: dstft.options.power === 2 ? 2 : 1, title, maxWidth: 1200, maxHeight: 500 });
    overlayLine(fig, r.times, Array.from(ridge.frequency, (f) => f * order), { color: '#00e5ff' });
    const panels = [fig];
    if (truthHz || mode === 'time') {
      const series = [{ x: Array.from(r.times), y: Array.from(ridge.frequency), label: `ridge / ${order}` }];
      if (truthHz) series.push({ x: Array.from(r.times), y: Array.from(truthHz), label: 'truth' });
      panels.push(lineFigure(series, { title: 'Tracked frequency', xLabel: 'Time (s)', yLabel: 'Hz' }));
    }
    dir.png('track.png', panels.length > 1 ? hstack(panels) : fig);
    ctx.log(`wrote ${show(dir.path)}/ (${dir.files.join(', ')})`);
    ctx.result({ ok: true, command: 'track', out: dir.path, files: dir.files, frames: r.frames, mse: summary.mse, tracking: summary.tracking });
  },
};
