import { basename, dirname, extname, join } from 'node:path';
import { UsageError } from '../errors.js';
import { checkOutputFile, writeFileAtomic } from '@dstft/node-io';
import { WAV_FORMATS, encodeWavFile } from '../io/wav.js';
import { numberArg } from '../options.js';
import { checkOutputExtension } from '../outputs.js';
import { EXAMPLE_SIGNALS as SIGNALS } from '@dstft/dstft';
import { memoryBudget } from '../spectro.js';
import { show } from './common.js';
import type { CommandSpec } from './types.js';

export const synth: CommandSpec = {
  name: 'synth',
  args: '<name>',
  summary: `write a built-in example signal as WAV, with its ground truth as JSON (${SIGNALS.map((s) => s.id).join(', ')})`,
  examples: [
    ['dstft synth vi-a', 'vi-a.wav + vi-a.truth.json (1 s at 8 kHz)'],
    ['dstft synth vi-b --snr 10 --seed 3 -o shocks.wav', 'the shocks in more noise'],
    ['dstft synth chirp --duration 600 --sample-rate 44100 -o long.wav', 'a 10-minute recording for scale tests'],
    ['dstft synth vi-a --format float32', '32-bit float samples instead of 16-bit PCM'],
  ],
  notes: `Signals:\n${SIGNALS.map((s) => `  ${s.id.padEnd(18)} ${s.description}`).join('\n')}
The samples are scaled to a peak of 0.9 (the truth JSON gives the gain); formats: ${WAV_FORMATS.join(', ')}.`,
  define(cmd) {
    return cmd
      .option('-o, --out <file.wav>', 'WAV file (default <name>.wav); the truth goes to <file>.truth.json')
      .option('--duration <s>', 'seconds', numberArg('--duration', { positive: true }))
      .option('--sample-rate <hz>', 'Hz', numberArg('--sample-rate', { positive: true, integer: true }))
      .option('--snr <dB>', 'signal-to-noise ratio of the noise, where the signal has noise (vi-b)', numberArg('--snr'))
      .option('--seed <n>', 'noise seed (vi-b)', numberArg('--seed', { integer: true }))
      .option('--format <format>', `sample format: ${WAV_FORMATS.join(' | ')} (default pcm16)`);
  },
  async run(ctx, [name], opts) {
    const sig = SIGNALS.find((s) => s.id === name);
    if (!sig) throw new UsageError(`synth: unknown signal "${name}". Fix: use one of ${SIGNALS.map((s) => s.id).join(', ')}`);
    for (const [flag, key] of [['--snr', 'snr'], ['--seed', 'seed']] as const) {
      if (opts[key] !== undefined && !sig.accepts.includes(key === 'snr' ? 'snrDb' : 'seed')) throw new UsageError(`${flag}: the signal "${name}" has no noise. Fix: drop ${flag}`);
    }
    if (opts.out !== undefined) checkOutputExtension(opts.out, '-o/--out', ['.wav'], 'the signal');
    const format = (opts.format ?? 'pcm16') as string;
    if (!(WAV_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format = "${format}": unknown sample format. Fix: use one of ${WAV_FORMATS.join(', ')}`);
    const out = checkOutputFile(opts.out ?? `${name}.wav`, ctx.flags.force);
    const truthPath = join(dirname(out), `${basename(out, extname(out))}.truth.json`);
    checkOutputFile(truthPath, ctx.flags.force);
    const rate: number = opts.sampleRate ?? sig.defaults.sampleRate;
    const duration: number = opts.duration ?? sig.defaults.duration;
    // a signal too short for one frame of the smallest useful transform is a mistake, not a WAV file
    if (duration * rate < 16) {
      throw new UsageError(`--duration = ${duration}: ${Math.round(duration * rate)} sample(s) at ${rate} Hz, too short to analyse. Fix: use --duration ≥ ${Number((16 / rate).toPrecision(3))} (16 samples), e.g. --duration ${sig.defaults.duration}`);
    }
    // 3 float64 copies of the samples (the signal, its parts, the WAV) must fit: refuse before generating
    const bytes = duration * rate * 24;
    if (bytes > memoryBudget()) {
      throw new UsageError(`--duration = ${duration}, --sample-rate = ${rate}: ${Math.round(duration * rate)} samples would need about ${(bytes / 2 ** 30).toFixed(1)} GB, over the budget of ${(memoryBudget() / 2 ** 30).toFixed(1)} GB. Fix: lower --duration or --sample-rate`);
    }
    const r = sig.generate({
      sampleRate: rate,
      duration,
      ...(opts.snr !== undefined ? { snrDb: opts.snr } : {}),
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    });
    let peak = 0;
    for (let p = 0; p < r.samples.length; p++) peak = Math.max(peak, Math.abs(r.samples[p]!));
    const gain = peak > 0 ? 0.9 / peak : 1;
    for (let p = 0; p < r.samples.length; p++) r.samples[p]! *= gain;
    const wav = encodeWavFile([r.samples], r.sampleRate, format);
    const truth = { signal: name, description: sig.description, sampleRate: r.sampleRate, samples: r.samples.length, duration: r.samples.length / r.sampleRate, gain, format, note: 'WAV samples = gain × the definition', ...r.truth };
    writeFileAtomic(out, wav, { force: ctx.flags.force });
    writeFileAtomic(truthPath, `${JSON.stringify(truth, null, 2)}\n`, { force: ctx.flags.force });
    ctx.log(`${name}: ${r.samples.length} samples at ${r.sampleRate} Hz (${format}), gain ${gain.toPrecision(6)}`);
    ctx.log(`wrote ${show(out)}, ${show(truthPath)}`);
    ctx.result({ ok: true, command: 'synth', signal: name, sampleRate: r.sampleRate, samples: r.samples.length, format, gain, files: [show(out), show(truthPath)] });
  },
};
