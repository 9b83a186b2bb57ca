import { basename, extname } from 'node:path';
import { encodePng } from '@dstft/plot';
import { addInputOptions, addTransformOptions, buildOptions, numberArg } from '../options.js';
import { checkOutputFile, openAtomicStream, writeFileAtomic, type AtomicStream } from '@dstft/node-io';
import { writeTransformFile } from '../io/transform-file.js';
import { UsageError } from '../errors.js';
import { checkOutputExtension } from '../outputs.js';
import { displayFigure, longSpectrogram } from '../spectro.js';
import { VI_A_TRANSFORM, describeSource, transformDefaults, loadSignal, makeDstft, round, show } from './common.js';
import type { CommandSpec } from './types.js';

export const spectrogram: CommandSpec = {
  name: 'spectrogram',
  args: '[input]',
  summary: 'a DSTFT spectrogram with given parameters → PNG (and optionally the magnitudes as CSV / JSON, the complex transform for `inverse`)',
  examples: [
    ['dstft spectrogram my.wav', 'writes my.spectrogram.png (nFft 1024, hop 256, Hann, θ = nFft)'],
    ['dstft spectrogram my.wav --theta 731 --hop 64 -o sharp.png', 'a given window length and hop'],
    ['dstft spectrogram data.csv --sample-rate 8000 --magnitudes mags.csv', 'a sample list; full-resolution magnitudes too'],
    ['dstft spectrogram my.wav --save-transform my.dstft', 'keep the complex transform for `dstft inverse my.dstft`'],
    ['dstft spectrogram --config settings.json in.wav', 'the umbrella package\'s options from a JSON file'],
  ],
  notes: `Without an input: the built-in example signal (VI-A: chirp + tone + burst, 1 s at 8 kHz, nFft 1024, hop 64).
Long inputs are computed in chunks of frames (constant θ, integer hop) and aggregated for display (the maximum over
groups of frames), so memory stays bounded; --magnitudes streams every frame.
Magnitudes: CSV has one row per frame (time in s, then one column per bin, header with the bin frequencies);
JSON is {"sampleRate", "hop", "frequencies", "times", "magnitudes": [[per frame]]}.`,
  define(cmd) {
    addInputOptions(cmd);
    addTransformOptions(cmd);
    return cmd
      .option('-o, --out <file.png>', 'PNG to write, named .png (default: <input name>.spectrogram.png in the current folder)')
      .option('--magnitudes <file>', 'also write S = |X|^power at full resolution as .csv or .json')
      .option('--save-transform <file.dstft>', 'also save the complex transform (read by `dstft inverse`)')
      .option('--title <text>', 'figure title')
      .option('--dynamic-range <dB>', 'colour scale range below the maximum (default 80)', numberArg('--dynamic-range', { positive: true }))
      .option('--width <px>', 'maximum figure width (default 1200)', numberArg('--width', { integer: true, min: 200 }))
      .option('--height <px>', 'maximum figure height (default 600)', numberArg('--height', { integer: true, min: 150 }));
  },
  async run(ctx, [input], opts) {
    if (opts.out !== undefined) checkOutputExtension(opts.out, '-o/--out', ['.png'], 'the spectrogram');
    if (opts.magnitudes !== undefined) checkOutputExtension(opts.magnitudes, '--magnitudes', ['.csv', '.json'], 'the magnitudes');
    if (opts.saveTransform !== undefined) checkOutputExtension(opts.saveTransform, '--save-transform', ['.dstft'], 'the transform');
    const signal = loadSignal(ctx, input, opts);
    const base = transformDefaults(input, opts, ctx.config);
    // the built-in example at its entropy-optimal window length (flags and config override it)
    const defaults = base === VI_A_TRANSFORM ? { ...base, theta: 731 } : base;
    const options = buildOptions(defaults, ctx.config, opts, signal);
    const dstft = makeDstft(ctx, options); // validates every option now, with the library's messages
    const stem = input === undefined ? 'example' : basename(input, extname(input));
    const out = checkOutputFile(opts.out ?? `${stem}.spectrogram.png`, ctx.flags.force);
    let magFormat: 'csv' | 'json' | null = null;
    if (opts.magnitudes) {
      const ext = extname(opts.magnitudes).toLowerCase();
      if (ext !== '.csv' && ext !== '.json') throw new UsageError(`--magnitudes = "${opts.magnitudes}": unknown format "${ext}". Fix: name the file .csv or .json`);
      magFormat = ext === '.csv' ? 'csv' : 'json';
      checkOutputFile(opts.magnitudes, ctx.flags.force, '--magnitudes');
    }
    if (opts.saveTransform) checkOutputFile(opts.saveTransform, ctx.flags.force, '--save-transform');

    const fs = signal.sampleRate;
    const hop = dstft.options.hop;
    let stream: AtomicStream | null = null;
    let firstRow = true;
    if (magFormat) {
      stream = openAtomicStream(opts.magnitudes, { force: ctx.flags.force, option: '--magnitudes' });
      const freqs = Array.from({ length: dstft.freqs }, (_, m) => round((m * fs) / options.nFft, 10));
      if (magFormat === 'csv') stream.write(`time_s,${freqs.map((f) => `${f}Hz`).join(',')}\n`);
      else stream.write(`{"sampleRate":${fs},"hop":${hop},"power":${dstft.options.power},"frequencies":${JSON.stringify(freqs)},"magnitudes":[\n`);
    }
    const times: number[] = [];
    const progress = ctx.progress('spectrogram', 1);
    let display;
    let result;
    try {
      ({ display, result } = await longSpectrogram(options, signal.samples, {
        signal: ctx.signal,
        registry: ctx.registry,
        keepResult: Boolean(opts.saveTransform),
        ...(opts.width ? { maxColumns: Math.max(opts.width * 2, 400) } : {}),
        onProgress: (d, t) => progress.update(d / t, `${d}/${t}`),
        ...(stream
          ? {
              onChunk: ({ count, spec, stride, offset, freqs, times: ts }) => {
                let text = '';
                for (let j = 0; j < count; j++) {
                  const row: string[] = [];
                  for (let k = 0; k < freqs; k++) row.push(String(spec[k * stride + offset + j]));
                  if (magFormat === 'csv') text += `${ts[j]},${row.join(',')}\n`;
                  else {
                    text += `${firstRow ? '' : ',\n'}[${row.join(',')}]`;
                    times.push(ts[j]!);
                    firstRow = false;
                  }
                  if (text.length > 1 << 20) {
                    stream!.write(text);
                    text = '';
                  }
                }
                stream!.write(text);
              },
            }
          : {}),
      }));
    } catch (e) {
      stream?.abort();
      throw e;
    } finally {
      progress.done();
    }
    if (stream) {
      if (magFormat === 'json') stream.write(`\n],"times":${JSON.stringify(times)}}\n`);
      stream.commit();
    }
    if (opts.saveTransform) {
      if (!result) throw new UsageError(`--save-transform: the input is too long to keep the whole complex transform (${display.frames} frames). Fix: cut the input, or raise --hop`);
      writeTransformFile(opts.saveTransform, { transform: dstft.toJSON(), batch: 1, freqs: result.freqs, frames: result.frames, source: describeSource(signal), createdBy: 'dstft spectrogram' }, result.X, ctx.flags.force, '--save-transform');
    }
    const theta = dstft.params.theta[0]!;
    const title = opts.title ?? `${input === undefined ? 'built-in example' : basename(input)}: θ = ${round(theta, 6)}, nFft ${options.nFft}, hop ${round(hop, 6)}`;
    const fig = displayFigure(display, title, {
      ...(opts.dynamicRange !== undefined ? { dynamicRange: opts.dynamicRange } : {}),
      ...(opts.width !== undefined ? { maxWidth: opts.width } : {}),
      ...(opts.height !== undefined ? { maxHeight: opts.height } : {}),
    });
    writeFileAtomic(out, encodePng(fig), { force: ctx.flags.force });
    const files = [out, ...(opts.magnitudes ? [stream!.path] : []), ...(opts.saveTransform ? [opts.saveTransform] : [])];
    ctx.log(`spectrogram: ${display.freqs} bins × ${display.frames} frames${display.framesPerColumn > 1 ? ` (shown as ${display.columns} columns, max of ${display.framesPerColumn} frames each)` : ''}, θ = ${round(theta, 6)}`);
    for (const f of files) ctx.log(`wrote ${show(f)}`);
    ctx.result({
      ok: true,
      command: 'spectrogram',
      input: describeSource(signal),
      transform: dstft.toJSON(),
      freqs: display.freqs,
      frames: display.frames,
      display: { columns: display.columns, framesPerColumn: display.framesPerColumn, width: fig.width, height: fig.height },
      files: files.map((f) => show(f)),
    });
  },
};
