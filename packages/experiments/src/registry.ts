import { throwIfAborted, type AbortSignalLike } from '@dstft/dstft';
import { openOutputDir } from '@dstft/node-io';
import { runViA, VI_A_FULL, VI_A_QUICK, type ExperimentOutput } from './vi-a.js';
import { runViB, VI_B_FULL, VI_B_QUICK } from './vi-b.js';
import { runViC, VI_C_FULL, VI_C_QUICK } from './vi-c.js';
import { runViiA, VII_A_FULL, VII_A_QUICK } from './vii-a.js';

/** Where an experiment writes its progress lines (e.g. `console.log`). */
export type Log = (line: string) => void;
type Run = (quick: boolean, log: Log, signal?: AbortSignalLike) => ExperimentOutput;

/** The runnable experiments, by id: full size (the paper's setting) or quick (reduced, for tests). */
export const EXPERIMENTS = {
  'vi-a': { title: 'VI-A: entropy-optimal constant θ (grid vs gradient), then TF-varying θ', run: (quick, log, signal) => runViA(quick ? VI_A_QUICK : VI_A_FULL, log, signal) },
  'vi-b': { title: 'VI-B: shocks in noise, time-varying θ and positions, kurtosis + coverage', run: (quick, log, signal) => runViB(quick ? VI_B_QUICK : VI_B_FULL, log, signal) },
  'vi-c': { title: 'VI-C: vibration signal, entropy-optimal constant vs time-varying θ, ridge tracking of the 10th harmonic', run: (quick, log, signal) => runViC(quick ? VI_C_QUICK : VI_C_FULL, log, signal) },
  'vii-a': { title: 'VII-A: one θ learned over noisy variable-period sines by the tracking MSE (task-driven)', run: (quick, log, signal) => runViiA(quick ? VII_A_QUICK : VII_A_FULL, log, signal) },
} as const satisfies Record<string, { title: string; run: Run }>;

/** The id of a runnable experiment: `vi-a`, `vi-b`, `vi-c` or `vii-a` (the paper's sections). */
export type ExperimentId = keyof typeof EXPERIMENTS;

/**
 * Runs one experiment and writes `summary.json` and its PNG figures into `out` (a new or empty folder; a non-empty one
 * needs `force`), each file atomically and never over an existing one without `force`. `command` is recorded in the
 * summary as the command that regenerates it. Returns the folder, the written file names and the summary.
 */
export function runExperiment(
  id: ExperimentId,
  out: string,
  { quick = false, force = false, log = () => {}, command, signal }: { quick?: boolean; force?: boolean; log?: Log; command?: string; signal?: AbortSignalLike } = {},
): { dir: string; files: string[]; summary: Record<string, unknown> } {
  const dir = openOutputDir(out, { force });
  const started = Date.now();
  const { summary, figures } = EXPERIMENTS[id].run(quick, log, signal);
  throwIfAborted(signal, id);
  const full = { ...summary, quick, wallTimeMs: Date.now() - started, command: command ?? `npm run experiment -- ${id}${quick ? ' --quick' : ''}`, date: new Date().toISOString() };
  for (const [name, image] of Object.entries(figures)) dir.png(name, image);
  dir.json('summary.json', full);
  return { dir: dir.path, files: dir.files, summary: full };
}
