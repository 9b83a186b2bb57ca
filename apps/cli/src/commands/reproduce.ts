import { EXPERIMENTS, runExperiment, type ExperimentId } from '@dstft/experiments';
import { freshOutputPath } from '@dstft/node-io';
import { UsageError } from '../errors.js';
import { show } from './common.js';
import { checkOutputFolder } from '../outputs.js';
import type { CommandSpec } from './types.js';

/**
 * The paper's experiments come from @dstft/experiments: its EXPERIMENTS table (id → title, run) is the list, so a
 * new experiment there (one entry) is a new `dstft reproduce <id>` without touching the CLI.
 */
export const reproduce: CommandSpec = {
  name: 'reproduce',
  args: '<experiment>',
  summary: `run a paper experiment: ${Object.keys(EXPERIMENTS).join(', ')} → summary.json and PNG figures in a fresh folder`,
  examples: [
    ['dstft reproduce vi-a', 'VI-A: grid of 901 θ vs the gradient route, then TF-varying θ (≈ 2 min)'],
    ['dstft reproduce vi-b --out vib', 'VI-B: shocks in noise, θ_n and positions (≈ 10 s)'],
    ['dstft reproduce vi-a --quick', 'a reduced size, in seconds'],
  ],
  notes: `Experiments:\n${Object.entries(EXPERIMENTS)
    .map(([id, e]) => `  ${id.padEnd(6)} ${e.title}`)
    .join('\n')}`,
  define(cmd) {
    return cmd.option('--quick', 'reduced size (seconds instead of minutes)').option('-o, --out <dir>', 'output folder (default ./dstft-out/<experiment>-<time>); must be new or empty unless --force');
  },
  async run(ctx, [id], opts) {
    if (!id || !(id in EXPERIMENTS)) throw new UsageError(`reproduce: unknown experiment "${id}". Fix: use one of ${Object.keys(EXPERIMENTS).join(', ')}`);
    if (opts.out !== undefined) checkOutputFolder(opts.out, '-o/--out', 'reproduce', 'summary.json and figures');
    const quick = Boolean(opts.quick);
    const { dir, files, summary } = runExperiment(id as ExperimentId, opts.out ?? freshOutputPath(id), {
      quick,
      force: ctx.flags.force,
      log: (line: string) => ctx.log(line),
      command: `dstft reproduce ${id}${quick ? ' --quick' : ''}`,
      signal: ctx.signal,
    });
    ctx.log(`wrote ${show(dir)}/ (${files.join(', ')})`);
    ctx.result({ ok: true, command: 'reproduce', experiment: id, out: dir, files, summary });
  },
};
