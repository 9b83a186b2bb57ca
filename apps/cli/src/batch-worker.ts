/**
 * A worker of `dstft batch` (started by `runCorpus` of @dstft/node-io): builds the registry (built-ins, `--plugin`
 * packages, the pffft backend when asked for) and reads the config once, then runs the command on file after file,
 * each into its own output folder.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createDefaultRegistry } from '@dstft/dstft';
import { serveCorpus, wavDuration, type CorpusValues } from '@dstft/node-io';
import { loadConfig } from './config.js';
import { createContext, type GlobalFlags } from './context.js';
import { loadPlugins } from './plugins.js';
import { setMemoryShare } from './spectro.js';
import { BATCH_COMMANDS, type BatchOptions } from './batch/spec.js';

serveCorpus(async (raw) => {
  const { command, opts, flags, jobs } = raw as BatchOptions;
  setMemoryShare(jobs);
  const spec = BATCH_COMMANDS.find((c) => c.name === command)!;
  const registry = createDefaultRegistry();
  await loadPlugins(flags.plugin, registry);
  if (opts['fft'] === 'pffft' && !registry.has('fft', 'pffft')) registry.use(await (await import('@dstft/fft-pffft')).loadPffftPlugin());
  const frozen = registry.freeze();
  const config = loadConfig(flags.config);
  const terminal = { stdoutIsTTY: false, stderrIsTTY: false, columns: undefined };
  return async (job) => {
    const f: GlobalFlags = { ...flags, json: false, quiet: true, verbose: false, force: job.force };
    let result: Record<string, unknown> = {};
    const ctx = { ...createContext(f, frozen, config, { terminal }), result: (v: Record<string, unknown>) => void (result = v) };
    const out = job.out ?? undefined;
    const fileOpts: Record<string, unknown> = { ...opts };
    if (out !== undefined) {
      if (command === 'spectrogram') {
        mkdirSync(out, { recursive: true });
        fileOpts['out'] = join(out, 'spectrogram.png');
        if (typeof opts['magnitudes'] === 'string') fileOpts['magnitudes'] = join(out, `magnitudes${opts['magnitudes'].toLowerCase().endsWith('.json') ? '.json' : '.csv'}`);
        if (opts['saveTransform'] !== undefined) fileOpts['saveTransform'] = join(out, 'transform.dstft');
      } else fileOpts['out'] = out;
    }
    await spec.run(ctx, [job.path], fileOpts);
    return valuesOf(command, result, job.path);
  };
});

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The summary columns from a command's `--json` result. */
function valuesOf(command: string, r: Record<string, unknown>, path: string): CorpusValues {
  const input = (r['input'] ?? {}) as { seconds?: number; sampleRate?: number };
  const transform = (r['transform'] ?? {}) as { theta?: unknown; sampleRate?: number };
  const thetaOf = (t: unknown) => (Array.isArray(t) && t.length === 1 ? num(t[0]) : num(t));
  const base = { durationSec: num(input.seconds) ?? wavDuration(path), sampleRate: num(input.sampleRate) ?? num(transform.sampleRate) };
  if (command === 'optimize') {
    const loss = (r['loss'] ?? {}) as { initial?: number; optimized?: number };
    return { ...base, theta: num(r['theta']), lossBefore: num(loss.initial), lossAfter: num(loss.optimized) };
  }
  if (command === 'grid') {
    const best = (r['best'] ?? {}) as { theta?: number; loss?: number };
    return { ...base, theta: num(best.theta), lossBefore: null, lossAfter: num(best.loss) };
  }
  if (command === 'track') return { ...base, theta: thetaOf(transform.theta), lossBefore: null, lossAfter: num(r['mse']) };
  return { ...base, theta: thetaOf(transform.theta), lossBefore: null, lossAfter: null };
}
