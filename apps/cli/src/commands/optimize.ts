import {
  createDstft,
  createObjective,
  createOptimization,
  optimizeConstantTheta,
  type ConstantThetaResult,
  type DstftOptions,
  type OptimizeResult,
  type PluginRef,
  type RegularizerRef,
  type StftResult,
} from '@dstft/dstft';
import { hstack, lineFigure, mapFigure, vstack, type Image } from '@dstft/plot';
import { InvalidArgumentError } from 'commander';
import { UsageError } from '../errors.js';
import { freshOutputPath, openOutputDir } from '@dstft/node-io';
import { encodeTransformFile } from '../io/transform-file.js';
import { addInputOptions, addTransformOptions, buildOptions, jsonArg, numberArg } from '../options.js';
import { assertFits, longSpectrogram, sharedScaleFigures } from '../spectro.js';
import { minMax } from '../arrays.js';
import { checkOutputFolder } from '../outputs.js';
import { analysisExcerpts, transformDefaults, checkPluginIds, describeSource, loadSignal, makeDstft, round, show } from './common.js';
import type { CommandSpec } from './types.js';
import type { Context } from '../context.js';
import { VERSION } from '../version.js';

const MODES = ['constant', 'time', 'frequency', 'time-frequency'] as const;
const POSITIONS = ['fixed', 'constant', 'time', 'free'] as const;

/** `--regularizer id:weight[:json]` → { id, weight, options }. */
export function parseRegularizer(value: string): RegularizerRef {
  const m = /^([^:]+):([^:]+)(?::(.*))?$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError(`--regularizer expects id:weight[:{json options}], e.g. tf-smoothness:1e-7, got "${value}".`);
  const weight = Number(m[2]);
  if (!Number.isFinite(weight) || weight < 0) throw new InvalidArgumentError(`--regularizer ${m[1]}: the weight "${m[2]}" is not a number ≥ 0.`);
  let options: Record<string, unknown> | undefined;
  if (m[3] !== undefined) options = jsonArg(`--regularizer ${m[1]}`)(m[3]);
  return { id: m[1]!, weight, ...(options ? { options } : {}) };
}

interface OptimizeSettings {
  loss: PluginRef;
  regularizers: RegularizerRef[];
  optimizer?: PluginRef;
  maxIterations?: number;
  lr?: { theta?: number; positions?: number };
  scan?: number;
  starts?: number;
  tolerance?: { loss?: number; grad?: number };
  patience?: number;
}

function settingsFrom(ctx: Context, opts: Record<string, unknown>): OptimizeSettings {
  const cfg = ctx.config.optimize as Record<string, unknown>;
  const known = ['loss', 'regularizers', 'optimizer', 'maxIterations', 'lr', 'scan', 'starts', 'tolerance', 'patience', 'mode', 'positions', 'warmStart', 'analysisSeconds'];
  for (const k of Object.keys(cfg)) {
    if (!known.includes(k)) throw new UsageError(`${ctx.config.path}: "optimize.${k}" is not a setting. Fix: use ${known.map((x) => `"${x}"`).join(', ')}`);
  }
  const lossId = (opts['loss'] as string | undefined) ?? undefined;
  const loss: PluginRef = lossId !== undefined ? (opts['lossOptions'] ? { id: lossId, options: opts['lossOptions'] as Record<string, unknown> } : lossId) : ((cfg['loss'] as PluginRef | undefined) ?? 'shannon');
  const regularizers = (opts['regularizer'] as RegularizerRef[] | undefined) ?? (cfg['regularizers'] as RegularizerRef[] | undefined) ?? [];
  const optId = opts['optimizer'] as string | undefined;
  const optimizer: PluginRef | undefined = optId !== undefined ? (opts['optimizerOptions'] ? { id: optId, options: opts['optimizerOptions'] as Record<string, unknown> } : optId) : (cfg['optimizer'] as PluginRef | undefined);
  const lr = opts['lr'] !== undefined || opts['lrPositions'] !== undefined
    ? { ...(opts['lr'] !== undefined ? { theta: opts['lr'] as number } : {}), ...(opts['lrPositions'] !== undefined ? { positions: opts['lrPositions'] as number } : {}) }
    : (cfg['lr'] as OptimizeSettings['lr']);
  const pick = <T>(flag: string, key: string): T | undefined => (opts[flag] !== undefined ? (opts[flag] as T) : (cfg[key] as T | undefined));
  const s: OptimizeSettings = { loss, regularizers };
  if (optimizer !== undefined) s.optimizer = optimizer;
  const it = pick<number>('iterations', 'maxIterations');
  if (it !== undefined) s.maxIterations = it;
  if (lr !== undefined) s.lr = lr;
  const scan = pick<number>('scan', 'scan');
  if (scan !== undefined) s.scan = scan;
  const starts = pick<number>('starts', 'starts');
  if (starts !== undefined) s.starts = starts;
  if (cfg['tolerance'] !== undefined) s.tolerance = cfg['tolerance'] as OptimizeSettings['tolerance'];
  if (cfg['patience'] !== undefined) s.patience = cfg['patience'] as number;
  return s;
}

export const optimize: CommandSpec = {
  name: 'optimize',
  args: '[input]',
  summary: 'tune the window lengths (constant / time / frequency / time-frequency θ) and optionally the frame positions for a loss → PNG + JSON in a fresh folder',
  examples: [
    ['dstft optimize', 'the built-in example (VI-A signal): entropy-optimal constant θ, writes ./dstft-out/optimize-<time>/'],
    ['dstft optimize my.wav', 'entropy-optimal constant window length of your recording'],
    ['dstft optimize my.wav --mode time --iterations 60', 'one θ per frame, warm-started at the constant optimum'],
    ['dstft optimize --mode time-frequency --regularizer tf-smoothness:1e-7 --lr 10 --iterations 60', 'the paper\'s VI-A TF-varying θ'],
    ['dstft optimize shocks.wav --mode time --positions time --loss kurtosis --regularizer \'coverage:1:{"ratio":0.5}\' --power 2', 'VI-B: θ_n and hops, kurtosis + coverage'],
    ['dstft optimize my.wav --config dstft-out/optimize-20261122-101500/result.json', 'rerun with the settings of an earlier run'],
  ],
  notes: `Outputs (in --out, default ./dstft-out/optimize-<YYYYMMDD-HHMMSS>/): optimize.png (the fixed-parameter and the
optimized spectrograms side by side, and below them the θ map, or for a constant θ the loss against θ), loss.png
(iterative modes), result.json (input, initial and optimized parameters, loss history, settings; its "config"
member reruns the same settings with --config), and with --save-transform transform.dstft.
A constant θ uses a forward-only scan then bounded L-BFGS in the best basins (the loss has local minima).
Inputs longer than --analysis-seconds (60) optimize a constant θ on 12 evenly spaced excerpts (mean loss over them)
and draw the whole signal in chunks; varying θ needs the whole transform in memory.`,
  define(cmd) {
    addInputOptions(cmd);
    addTransformOptions(cmd);
    return cmd
      .option('--mode <mode>', `what varies: ${MODES.join(' | ')} (default constant)`)
      .option('--positions <mode>', `frame positions: ${POSITIONS.join(' | ')} (learned unless fixed; default fixed)`)
      .option('--loss <id>', 'loss plugin id (default shannon: the entropy)')
      .option('--loss-options <json>', 'options of the loss', jsonArg('--loss-options'))
      .option('--regularizer <id:weight[:json]>', 'a weighted regularizer, e.g. tf-smoothness:1e-7; repeatable', (v: string, prev: RegularizerRef[] = []) => [...prev, parseRegularizer(v)])
      .option('--optimizer <id>', 'optimizer plugin id (default lbfgs for a constant θ, adam otherwise)')
      .option('--optimizer-options <json>', 'options of the optimizer, e.g. \'{"lr": 10}\'', jsonArg('--optimizer-options'))
      .option('--lr <samples>', 'learning rate of θ, in samples per step (Adam / SGD)', numberArg('--lr', { positive: true }))
      .option('--lr-positions <samples>', 'learning rate of the positions', numberArg('--lr-positions', { positive: true }))
      .option('--iterations <n>', 'maximum iterations (default 100; per refinement start for a constant θ: 30)', numberArg('--iterations', { integer: true, min: 0 }))
      .option('--scan <n>', 'constant θ: values in the forward-only scan (default 24)', numberArg('--scan', { integer: true, min: 3 }))
      .option('--starts <n>', 'constant θ: scan minima refined (default 3)', numberArg('--starts', { integer: true, min: 1 }))
      .option('--no-warm-start', 'varying θ: start from --theta instead of the constant optimum')
      .option('--analysis-seconds <s>', 'longer inputs optimize a constant θ on excerpts totalling this (default 60)', numberArg('--analysis-seconds', { positive: true }))
      .option('-o, --out <dir>', 'output folder (default ./dstft-out/optimize-<time>); must be new or empty unless --force')
      .option('--save-transform', 'also save the optimized complex transform as transform.dstft (for `dstft inverse`)');
  },
  async run(ctx, [input], opts) {
    const cfg = ctx.config.optimize as Record<string, unknown>;
    const mode = (opts.mode ?? cfg['mode'] ?? 'constant') as string;
    if (!(MODES as readonly string[]).includes(mode)) throw new UsageError(`--mode = "${mode}": unknown mode. Fix: use one of ${MODES.join(', ')}`);
    const positionsMode = (opts.positions ?? cfg['positions'] ?? 'fixed') as string;
    if (!(POSITIONS as readonly string[]).includes(positionsMode)) throw new UsageError(`--positions = "${positionsMode}": unknown positions mode. Fix: use one of ${POSITIONS.join(', ')}`);
    if (opts.out !== undefined) checkOutputFolder(opts.out, '-o/--out', 'optimize', 'optimize.png, loss.png, result.json');
    const settings = settingsFrom(ctx, opts);
    checkPluginIds(ctx, [
      { kind: 'loss', ref: settings.loss, flag: '--loss' },
      { kind: 'optimizer', ref: settings.optimizer, flag: '--optimizer' },
      ...settings.regularizers.map((r) => ({ kind: 'regularizer' as const, ref: r, flag: '--regularizer' })),
    ]);
    const signal = loadSignal(ctx, input, opts);
    const base = buildOptions(transformDefaults(input, opts, ctx.config), ctx.config, opts, signal, { windowMode: 'constant' });
    const initialOptions: DstftOptions = { ...base, windowMode: mode as DstftOptions['windowMode'], positionsMode: positionsMode as DstftOptions['positionsMode'] };
    const initial = makeDstft(ctx, initialOptions); // validates every option now
    const dir = openOutputDir(opts.out ?? freshOutputPath('optimize'), { force: ctx.flags.force });
    const analysisSeconds = (opts.analysisSeconds ?? cfg['analysisSeconds'] ?? 60) as number;
    const warmStart = (opts.warmStart ?? cfg['warmStart'] ?? true) as boolean;
    const learnPositions = positionsMode !== 'fixed';
    const what = `${mode} θ${learnPositions ? ` and ${positionsMode} positions` : ''}`;
    ctx.log(`dstft optimize: ${what} for ${typeof settings.loss === 'string' ? settings.loss : settings.loss.id} on ${input === undefined ? 'the built-in example (VI-A: chirp 1→2 kHz + 900 Hz tone + 3 kHz burst, 1 s at 8 kHz)' : show(input)}`);
    ctx.log(`  ${signal.samples.length} samples at ${signal.sampleRate} Hz, nFft ${base.nFft}, hop ${initial.options.hop}, θ in [${initial.options.thetaMin}, ${initial.options.thetaMax}]`);
    const started = performance.now();

    // 1. constant θ: a scan, then bounded refinement (on excerpts for long inputs); the warm start of varying modes
    let constant: ConstantThetaResult | null = null;
    let constantInitialLoss = NaN;
    let excerpts: ReturnType<typeof analysisExcerpts> = null;
    const needConstant = mode === 'constant' || warmStart;
    if (needConstant) {
      const cOpts: DstftOptions = { ...base, windowMode: 'constant', positionsMode: 'fixed' };
      if (learnPositions) delete (cOpts as { frames?: number }).frames;
      excerpts = mode === 'constant' && !learnPositions ? analysisExcerpts(signal, analysisSeconds, base.nFft) : null;
      const x = excerpts ? excerpts.batch : signal.samples;
      const cd = makeDstft(ctx, excerpts ? { ...cOpts, signalLength: excerpts.length } : cOpts);
      if (!excerpts) assertFits(cd.freqs, cd.frames, 'optimize');
      if (excerpts) ctx.log(`  long input: θ is optimized on ${excerpts.starts.length} excerpts of ${round(excerpts.length / signal.sampleRate, 4)} s (--analysis-seconds ${analysisSeconds})`);
      const obj = createObjective(cd, x, { loss: settings.loss, regularizers: mode === 'constant' ? settings.regularizers : [], learn: { theta: true, positions: false } });
      constantInitialLoss = obj.value();
      const p = ctx.progress('optimizing constant θ', 1);
      try {
        constant = optimizeConstantTheta(cd, x, {
          loss: settings.loss,
          signal: ctx.signal,
          ...(mode === 'constant' ? { regularizers: settings.regularizers } : {}),
          ...(settings.scan !== undefined ? { scan: settings.scan } : {}),
          ...(settings.starts !== undefined ? { starts: settings.starts } : {}),
          ...(mode === 'constant' && settings.optimizer !== undefined ? { optimizer: settings.optimizer } : {}),
          ...(mode === 'constant' && settings.maxIterations !== undefined ? { maxIterations: settings.maxIterations } : {}),
          ...(mode === 'constant' && settings.tolerance !== undefined ? { tolerance: settings.tolerance } : {}),
        });
      } finally {
        p.done();
      }
      ctx.log(`  constant θ: ${round(constant.theta, 7)} (loss ${round(constant.loss, 8)}, from ${round(constantInitialLoss, 8)} at θ = ${round(initial.params.theta[0]!, 6)}; ${constant.forward} forward + ${constant.backward} backward transforms, ${Math.round(constant.wallTimeMs)} ms)`);
      await ctx.checkpoint();
    }

    // 2. varying θ (and positions): gradient descent on the whole signal
    let run: OptimizeResult | null = null;
    let finalDstft = createDstft({ ...base, windowMode: 'constant', positionsMode: 'fixed', theta: constant?.theta ?? initial.params.theta[0] }, { registry: ctx.registry });
    if (mode !== 'constant' || learnPositions) {
      const start = warmStart && constant ? constant.theta : undefined;
      const d = makeDstft(ctx, { ...initialOptions, ...(start !== undefined ? { theta: start } : {}) });
      assertFits(d.freqs, d.frames, `optimize --mode ${mode}`);
      const o = createOptimization(d, signal.samples, {
        loss: settings.loss,
        signal: ctx.signal,
        regularizers: settings.regularizers,
        ...(settings.optimizer !== undefined ? { optimizer: settings.optimizer } : {}),
        ...(settings.lr !== undefined ? { lr: settings.lr } : {}),
        ...(settings.tolerance !== undefined ? { tolerance: settings.tolerance } : {}),
        ...(settings.patience !== undefined ? { patience: settings.patience } : {}),
        maxIterations: settings.maxIterations ?? 100,
      });
      const total = settings.maxIterations ?? 100;
      const p = ctx.progress(`optimizing ${what}`, total);
      try {
        for (let step = o.next(); step !== null; step = o.next()) {
          p.update(step.iteration, `loss ${step.loss.toPrecision(6)}`);
          if (ctx.flags.verbose) ctx.debug(`  iteration ${step.iteration}: loss ${step.loss}, |g| ${step.gradNorm}`);
          await ctx.checkpoint();
        }
      } finally {
        p.done();
      }
      ctx.checkAborted();
      run = o.result!;
      finalDstft = d;
      ctx.log(`  ${what}: loss ${round(run.loss, 8)} (from ${round(run.initialLoss, 8)}), ${run.iterations} iterations (${run.stopReason}), ${Math.round(run.wallTimeMs)} ms`);
    }
    let initialLoss = constantInitialLoss;
    if (!constant) {
      const obj = createObjective(initial, signal.samples, { loss: settings.loss, learn: { theta: true, positions: false } });
      initialLoss = obj.value();
    }
    // the loss term alone (without λR), comparable with the loss at the fixed parameters
    const finalLoss = run ? run.terms.loss : constant!.loss;

    // 3. figures: fixed-parameter vs optimized spectrograms, θ map (or loss vs θ), loss history
    const progress = ctx.progress('drawing', 2);
    const fixedOpts: DstftOptions = { ...base, windowMode: 'constant', positionsMode: 'fixed', theta: initial.params.theta[0] };
    const before = await longSpectrogram(fixedOpts, signal.samples, { registry: ctx.registry, signal: ctx.signal });
    progress.update(1);
    let after;
    let finalResult: StftResult | null = null;
    let runResult: StftResult | null = null;
    if (!run) {
      after = await longSpectrogram({ ...fixedOpts, theta: constant!.theta }, signal.samples, { registry: ctx.registry, keepResult: Boolean(opts.saveTransform), signal: ctx.signal });
      finalResult = after.result;
    } else {
      runResult = finalDstft.forward(signal.samples);
      finalResult = runResult;
      after = await longSpectrogram(finalDstft.toJSON(), signal.samples, { registry: ctx.registry, signal: ctx.signal });
    }
    progress.done();
    const lossName = typeof settings.loss === 'string' ? settings.loss : settings.loss.id;
    // one colour scale for both panels (dB re the largest value of both), so that their colours compare
    const panels = sharedScaleFigures([
      { display: before.display, title: `Fixed: θ = ${round(initial.params.theta[0]!, 6)}, hop ${round(initial.options.hop, 6)} (${lossName} ${initialLoss.toPrecision(6)})` },
      { display: after.display, title: `Optimized ${what} (${lossName} ${finalLoss.toPrecision(6)})` },
    ]);
    const top = hstack(panels.figures);
    let bottom: Image;
    const figures: Record<string, Image> = {};
    if (!run) {
      const c = constant!;
      bottom = lineFigure(
        [
          { x: Array.from(c.scan.thetas), y: Array.from(c.scan.losses), label: `scan (${c.scan.thetas.length} forward transforms)`, marker: 'circle' },
          { x: c.refinements.map((r) => r.theta), y: c.refinements.map((r) => r.loss), label: 'refined (L-BFGS)', line: false, marker: 'diamond' },
        ],
        { title: `${lossName} against the window length θ: optimum θ = ${round(c.theta, 6)}`, xLabel: 'θ (samples)', yLabel: lossName, width: Math.min(top.width, 1600), height: 420 },
      );
    } else {
      const theta = finalDstft.params.theta;
      const F = finalDstft.freqs;
      const T = finalDstft.frames;
      const res = runResult!;
      const times = res.times;
      const rows = mode === 'frequency' || mode === 'time-frequency' ? F : 1;
      const cols = mode === 'time' || mode === 'time-frequency' ? T : 1;
      bottom =
        rows === 1 && cols === 1
          ? lineFigure([{ x: [0, signal.samples.length / signal.sampleRate], y: [theta[0]!, theta[0]!], label: 'θ' }], { title: 'θ', xLabel: 'Time (s)', yLabel: 'θ (samples)' })
          : mapFigure(theta, rows, cols, {
              ...(cols > 1 ? { times } : {}),
              ...(rows > 1 ? { frequencies: res.frequencies } : {}),
              title: `Optimized θ (${mode})${learnPositions ? ', at the learned frame positions' : ''}`,
              colorbarLabel: 'θ (samples)',
              ...(cols === 1 ? { xLabel: '' } : {}),
            });
      figures['loss.png'] = lineFigure([{ x: run.history.map((h) => h.iteration), y: run.history.map((h) => h.loss), label: 'loss + Σ λR' }], {
        title: `${what}: loss per iteration`,
        xLabel: 'iteration',
        yLabel: 'loss',
      });
    }
    figures['optimize.png'] = vstack([top, bottom], { align: 'center' });

    const wallTimeMs = performance.now() - started;
    const config = {
      transform: { ...initialOptions } as Partial<DstftOptions>,
      optimize: {
        mode,
        positions: positionsMode,
        loss: settings.loss,
        regularizers: settings.regularizers,
        ...(settings.optimizer !== undefined ? { optimizer: settings.optimizer } : {}),
        ...(settings.maxIterations !== undefined ? { maxIterations: settings.maxIterations } : {}),
        ...(settings.lr !== undefined ? { lr: settings.lr } : {}),
        ...(settings.scan !== undefined ? { scan: settings.scan } : {}),
        ...(settings.starts !== undefined ? { starts: settings.starts } : {}),
        warmStart,
        analysisSeconds,
      },
    };
    // the config reruns on any input: the input's own length and rate are taken from it
    delete (config.transform as Partial<DstftOptions>).signalLength;
    delete (config.transform as Partial<DstftOptions>).sampleRate;
    const finalJson = finalDstft.toJSON();
    const summary = {
      ok: true,
      command: 'optimize',
      input: describeSource(signal),
      mode,
      positions: positionsMode,
      loss: { id: lossName, initial: initialLoss, optimized: finalLoss, ...(run ? { total: run.loss, regularizers: run.terms.regularizers } : {}), note: 'initial: at the fixed (initial) parameters; optimized: the loss term at the optimized ones' },
      theta: mode === 'constant' ? finalDstft.params.theta[0] : { shape: thetaShapeOf(mode, finalDstft.freqs, finalDstft.frames), ...minMax(finalDstft.params.theta) },
      ...(constant
        ? {
            constant: {
              theta: constant.theta,
              loss: constant.loss,
              initialLoss: constantInitialLoss,
              forward: constant.forward,
              backward: constant.backward,
              wallTimeMs: round(constant.wallTimeMs, 6),
              scan: Array.from(constant.scan.thetas, (t, k) => ({ theta: round(t, 8), loss: constant!.scan.losses[k] })),
              refinements: constant.refinements,
            },
          }
        : {}),
      ...(run
        ? {
            iterative: {
              initialLoss: run.initialLoss,
              loss: run.loss,
              terms: run.terms,
              iterations: run.iterations,
              stopReason: run.stopReason,
              forward: run.forward,
              backward: run.backward,
              wallTimeMs: round(run.wallTimeMs, 6),
              settings: run.settings,
              history: run.history.map((h) => ({ iteration: h.iteration, loss: h.loss, gradNorm: h.gradNorm })),
            },
          }
        : {}),
      ...(excerpts
        ? { analysis: { excerpts: excerpts.starts.map((s) => [s, s + excerpts!.length]), excerptSeconds: excerpts.length / signal.sampleRate, note: 'θ optimized on these excerpts (mean loss); figures cover the whole input' } }
        : {}),
      transform: { ...finalJson, signalLength: signal.samples.length },
      config,
      display: {
        framesPerColumn: after.display.framesPerColumn,
        frames: after.display.frames,
        colourScale: { vmin: panels.scale.vmin, vmax: panels.scale.vmax, label: panels.scale.label, reference: panels.scale.reference, panels: panels.figures.map((f) => (f.colorbar ? { vmin: f.colorbar.vmin, vmax: f.colorbar.vmax } : null)) },
      },
      wallTimeMs: round(wallTimeMs, 6),
      version: VERSION,
      date: new Date().toISOString(),
    };
    for (const [name, img] of Object.entries(figures)) dir.png(name, img);
    if (opts.saveTransform) {
      if (!finalResult) throw new UsageError('--save-transform: the input is too long to keep the whole complex transform. Fix: cut the input, or raise --hop');
      dir.bytes('transform.dstft', encodeTransformFile({ transform: finalJson, batch: 1, freqs: finalResult.freqs, frames: finalResult.frames, source: describeSource(signal), createdBy: 'dstft optimize' }, finalResult.X));
    }
    dir.json('result.json', { ...summary, files: [...dir.files, 'result.json'] });
    ctx.log(`  ${lossName}: ${initialLoss.toPrecision(8)} → ${finalLoss.toPrecision(8)}; ${(wallTimeMs / 1000).toFixed(2)} s`);
    ctx.log(`wrote ${show(dir.path)}/ (${dir.files.join(', ')})`);
    ctx.result({ ...summary, out: dir.path, files: dir.files });
  },
};

function thetaShapeOf(mode: string, F: number, T: number): [number, number] {
  return mode === 'time' ? [1, T] : mode === 'frequency' ? [F, 1] : mode === 'time-frequency' ? [F, T] : [1, 1];
}
