import { gridSearch } from '@dstft/dstft';
import { lineFigure } from '@dstft/plot';
import { UsageError } from '../errors.js';
import { freshOutputPath, openOutputDir } from '@dstft/node-io';
import { addInputOptions, addTransformOptions, buildOptions, jsonArg, numberArg } from '../options.js';
import { assertFits } from '../spectro.js';
import { checkOutputFolder } from '../outputs.js';
import { analysisExcerpts, transformDefaults, checkPluginIds, describeSource, loadSignal, makeDstft, round, show } from './common.js';
import type { CommandSpec } from './types.js';

/** Most candidates of one grid (one forward transform each; the paper's VI-A grid has 901). */
const MAX_CANDIDATES = 100_000;

export const grid: CommandSpec = {
  name: 'grid',
  args: '[input]',
  summary: 'the grid-search baseline: the loss at every constant θ of a grid (forward only), for comparison with `optimize`',
  examples: [
    ['dstft grid', 'the paper\'s VI-A baseline: θ = 100…1000 step 1 (901 transforms) on the built-in example'],
    ['dstft grid my.wav --from 64 --to 1024 --step 8', 'a coarser grid on your recording'],
    ['dstft grid my.wav --loss renyi --loss-options \'{"alpha":3}\'', 'another loss'],
  ],
  notes: 'Writes grid.png (loss against θ) and result.json (every θ and loss, the best, timing) into -o/--out (default ./dstft-out/grid-<time>/).',
  define(cmd) {
    addInputOptions(cmd);
    addTransformOptions(cmd);
    return cmd
      .option('--from <samples>', 'first θ (default: thetaMin, or 100 for the built-in example)', numberArg('--from', { positive: true }))
      .option('--to <samples>', 'last θ (default: thetaMax)', numberArg('--to', { positive: true }))
      .option('--step <samples>', 'step (default: 1 for the built-in example, else (to − from)/100)', numberArg('--step', { positive: true }))
      .option('--loss <id>', 'loss plugin id (default shannon)')
      .option('--loss-options <json>', 'options of the loss', jsonArg('--loss-options'))
      .option('--analysis-seconds <s>', 'longer inputs are evaluated on excerpts totalling this (default 60)', numberArg('--analysis-seconds', { positive: true }))
      .option('-o, --out <dir>', 'output folder (default ./dstft-out/grid-<time>); must be new or empty unless --force');
  },
  async run(ctx, [input], opts) {
    if (opts.out !== undefined) checkOutputFolder(opts.out, '-o/--out', 'grid', 'grid.png, result.json');
    const loss = opts.loss ? (opts.lossOptions ? { id: opts.loss as string, options: opts.lossOptions as Record<string, unknown> } : (opts.loss as string)) : 'shannon';
    checkPluginIds(ctx, [{ kind: 'loss', ref: loss, flag: '--loss' }]);
    const signal = loadSignal(ctx, input, opts);
    const useViA = input === undefined;
    const options = buildOptions(transformDefaults(input, opts, ctx.config), ctx.config, opts, signal, { windowMode: 'constant', positionsMode: 'fixed' });
    const full = makeDstft(ctx, options);
    const from = (opts.from as number | undefined) ?? full.options.thetaMin;
    const to = (opts.to as number | undefined) ?? full.options.thetaMax;
    if (!(from < to)) throw new UsageError(`--from = ${from}, --to = ${to}: expected from < to. Fix: pass a range inside [${full.options.thetaMin}, ${full.options.thetaMax}]`);
    const step = (opts.step as number | undefined) ?? (useViA ? 1 : Math.max(1, round((to - from) / 100, 3)));
    const dir = openOutputDir(opts.out ?? freshOutputPath('grid'), { force: ctx.flags.force });
    const excerpts = analysisExcerpts(signal, (opts.analysisSeconds as number | undefined) ?? 60, options.nFft);
    const d = excerpts ? makeDstft(ctx, { ...options, signalLength: excerpts.length }) : full;
    if (!excerpts) assertFits(d.freqs, d.frames, 'grid');
    const x = excerpts ? excerpts.batch : signal.samples;
    const n = Math.floor((to - from) / step + 1e-9) + 1;
    if (n > MAX_CANDIDATES) throw new UsageError(`--step = ${step}: ${n} values of θ from ${from} to ${to}, more than ${MAX_CANDIDATES}. Fix: raise --step (e.g. --step ${round((to - from) / 1000, 3)}) or narrow --from / --to`);
    const thetas = Array.from({ length: n }, (_, k) => round(from + k * step, 12));
    ctx.log(`dstft grid: ${n} values of θ from ${from} to ${thetas[n - 1]} (step ${step}), loss ${typeof loss === 'string' ? loss : loss.id}${excerpts ? `, on ${excerpts.starts.length} excerpts` : ''}`);
    const losses: number[] = [];
    const progress = ctx.progress('grid', n);
    let forward = 0;
    let wallTimeMs = 0;
    try {
      // in batches, so that Ctrl-C is handled between them
      for (let k = 0; k < n; k += 16) {
        const r = asUsageGrid(() => gridSearch(d, x, { thetas: thetas.slice(k, k + 16), loss, signal: ctx.signal }));
        losses.push(...r.losses);
        forward += r.forward;
        wallTimeMs += r.wallTimeMs;
        progress.update(Math.min(n, k + 16), `${Math.min(n, k + 16)}/${n}`);
        await ctx.checkpoint();
      }
    } finally {
      progress.done();
    }
    let best = 0;
    for (let k = 1; k < n; k++) if (losses[k]! < losses[best]!) best = k;
    const localMinima = thetas.filter((_, k) => k > 0 && k + 1 < n && losses[k]! < losses[k - 1]! && losses[k]! <= losses[k + 1]!);
    const lossName = typeof loss === 'string' ? loss : loss.id;
    dir.png('grid.png', lineFigure([{ x: thetas, y: losses, label: `${n} forward transforms` }, { x: [thetas[best]!], y: [losses[best]!], label: `best θ = ${thetas[best]}`, line: false, marker: 'diamond' }], {
      title: `Grid search: ${lossName} against θ`,
      xLabel: 'θ (samples)',
      yLabel: lossName,
    }));
    const summary = {
      ok: true,
      command: 'grid',
      input: describeSource(signal),
      transform: { ...options, theta: thetas[best] },
      loss,
      grid: { from, to: thetas[n - 1], step, candidates: n },
      best: { theta: thetas[best], loss: losses[best] },
      localMinima,
      forward,
      wallTimeMs: round(wallTimeMs, 6),
      ...(excerpts ? { analysis: { excerpts: excerpts.starts.map((s) => [s, s + excerpts.length]) } } : {}),
      thetas,
      losses,
    };
    dir.json('result.json', summary);
    ctx.log(`  best θ = ${thetas[best]} (${lossName} ${losses[best]!.toPrecision(8)}); local minima at ${localMinima.slice(0, 8).join(', ')}${localMinima.length > 8 ? ', …' : ''}; ${n} transforms, ${(wallTimeMs / 1000).toFixed(2)} s`);
    ctx.log(`wrote ${show(dir.path)}/ (${dir.files.join(', ')})`);
    ctx.result({ ...summary, out: dir.path, files: dir.files });
  },
};

function asUsageGrid<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if ((e as { parameter?: string }).parameter === 'thetas') throw new UsageError(`--from / --to / --step: ${(e as Error).message}`);
    throw e;
  }
}
