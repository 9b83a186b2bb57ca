/**
 * Strict options of the umbrella's long-running functions (`optimize`, `createOptimization`, `gridSearch`,
 * `optimizeConstantTheta`, `trainTask`, `evaluateTask`, `createObjective`): unknown keys (also in the nested objects
 * `learn`, `lr`, `bounds`, `tolerance`, plugin references and regularizers) are typed errors with a "did you mean",
 * through the one helper of @dstft/core (`checkKnownKeys`); the types of the callback, signal and plugin-reference
 * fields are checked here too. Numeric ranges are checked where the values are used (the minimizer, the optimizers,
 * the objective), each naming the parameter. Called once per call, before any transform runs.
 */
import { ParameterError, checkAbortSignal, checkKnownKeys } from '@dstft/core';

const OBJECTIVE_KEYS = ['loss', 'regularizers', 'learn', 'lr', 'bounds'] as const;
const CONSTANT_OBJECTIVE_KEYS = ['loss', 'regularizers'] as const;

/** Known keys of each entry point's options (exported for tests and tools that list them). */
export const OPTION_KEYS = Object.freeze({
  createObjective: OBJECTIVE_KEYS,
  optimize: [...OBJECTIVE_KEYS, 'optimizer', 'maxIterations', 'tolerance', 'patience', 'minDelta', 'onProgress', 'signal'],
  gridSearch: [...CONSTANT_OBJECTIVE_KEYS, 'thetas', 'onProgress', 'signal'],
  optimizeConstantTheta: [...CONSTANT_OBJECTIVE_KEYS, 'scan', 'spacing', 'lower', 'upper', 'starts', 'optimizer', 'maxIterations', 'tolerance', 'signal'],
  trainTask: ['task', 'train', 'validation', 'batchSize', 'epochs', 'optimizer', 'seed', 'onEpoch', 'onStep', 'signal'],
  evaluateTask: ['batchSize'],
} as const satisfies Readonly<Record<string, readonly string[]>>);

export type StrictEntry = keyof typeof OPTION_KEYS;

/** Spellings users bring from PyTorch / SciPy / other optimizers (lowercase, no `_` / `-`). */
const ALIASES: Readonly<Record<string, string>> = {
  optimiser: 'optimizer',
  maxiter: 'maxIterations',
  maxiters: 'maxIterations',
  iterations: 'maxIterations',
  epoch: 'epochs',
  tol: 'tolerance',
  learningrate: 'lr',
  batch: 'batchSize',
  callback: 'onProgress',
  abortsignal: 'signal',
};

function checkFunction(name: string, v: unknown): void {
  if (v !== undefined && typeof v !== 'function') throw new ParameterError(name, v, 'expected a function', `pass a callback, or leave ${name} out`);
}

/** A plugin reference: an id string, or `{ id, options? }` with only those keys. */
export function checkPluginRef(name: string, ref: unknown, example: string): void {
  if (ref === undefined || typeof ref === 'string') return;
  const r = checkKnownKeys(ref, ['id', 'options'], { owner: 'a plugin reference', prefix: name, optional: false, example: `'${example}' or { id: '${example}', options: {} }` });
  if (typeof r['id'] !== 'string') throw new ParameterError(`${name}.id`, r['id'], 'expected a plugin id (a string)', `pass e.g. { id: '${example}' }`);
  const o = r['options'];
  if (o !== undefined && (o === null || typeof o !== 'object' || Array.isArray(o))) {
    throw new ParameterError(`${name}.options`, o, 'expected an object of plugin options', `pass e.g. { id: '${example}', options: {} }, or leave options out for the defaults`);
  }
}

function checkFlags(name: string, v: unknown, keys: readonly string[], kind: 'boolean' | 'number'): void {
  const rec = checkKnownKeys(v, keys, { owner: `the ${name} option`, prefix: name, example: `{ ${keys[0]}: ${kind === 'boolean' ? 'true' : '1'} }` });
  for (const k of keys) {
    const x = rec[k];
    if (x === undefined) continue;
    if (kind === 'boolean' ? typeof x !== 'boolean' : typeof x !== 'number' || !Number.isFinite(x) || !(x > 0)) {
      throw new ParameterError(`${name}.${k}`, x, kind === 'boolean' ? 'expected true or false' : 'expected a finite number > 0', kind === 'boolean' ? `pass ${name}.${k} as a boolean` : `pass a learning rate in samples, e.g. ${name}.${k}: 1`);
    }
  }
}

/**
 * Checks the options object of `entry` (see `OPTION_KEYS`): no unknown keys anywhere (with "did you mean"), callbacks
 * are functions, `signal` is an AbortSignal-like object, plugin references are `id` strings or `{ id, options }`.
 */
export function checkStrictOptions(entry: StrictEntry, options: unknown): void {
  const owner = `${entry}()`;
  const rec = checkKnownKeys(options, OPTION_KEYS[entry], { owner, aliases: ALIASES, example: entry === 'gridSearch' ? '{ thetas: { from: 100, to: 1000, step: 10 } }' : entry === 'trainTask' ? "{ task: 'frequency-tracking', train }" : '{}' });
  for (const k of ['onProgress', 'onEpoch', 'onStep']) checkFunction(`options.${k}`, rec[k]);
  if ('signal' in rec) checkAbortSignal(rec['signal'], 'options.signal');
  if (rec['seed'] !== undefined && !(typeof rec['seed'] === 'number' && Number.isSafeInteger(rec['seed']))) {
    throw new ParameterError('options.seed', rec['seed'], 'expected an integer', 'pass e.g. seed: 1');
  }
  checkPluginRef('options.loss', rec['loss'], 'shannon');
  checkPluginRef('options.optimizer', rec['optimizer'], 'adam');
  if (entry === 'trainTask') {
    if (rec['task'] === undefined) throw new ParameterError('options.task', undefined, 'is required', "pass the task by id, e.g. { task: 'frequency-tracking', train }");
    checkPluginRef('options.task', rec['task'], 'frequency-tracking');
  }
  if (rec['learn'] !== undefined) checkFlags('options.learn', rec['learn'], ['theta', 'positions'], 'boolean');
  if (rec['lr'] !== undefined) checkFlags('options.lr', rec['lr'], ['theta', 'positions'], 'number');
  if (rec['bounds'] !== undefined) checkKnownKeys(rec['bounds'], ['hop', 't0', 'positions'], { owner: 'the bounds option', prefix: 'options.bounds', example: '{ hop: [1, 512] }' });
  if (rec['tolerance'] !== undefined) checkKnownKeys(rec['tolerance'], ['loss', 'grad'], { owner: 'the tolerance option', prefix: 'options.tolerance', example: '{ loss: 1e-9, grad: 1e-7 }' });
  const regs = rec['regularizers'];
  if (regs !== undefined) {
    if (!Array.isArray(regs)) throw new ParameterError('options.regularizers', regs, 'expected an array of { id, weight, options? }', "pass e.g. [{ id: 'tf-smoothness', weight: 0.01 }]");
    regs.forEach((r: unknown, k) => {
      const o = checkKnownKeys(r, ['id', 'weight', 'options'], { owner: 'a regularizer reference', prefix: `options.regularizers[${k}]`, optional: false, example: "{ id: 'tf-smoothness', weight: 0.01 }" });
      if (typeof o['id'] !== 'string') throw new ParameterError(`options.regularizers[${k}].id`, o['id'], 'expected a regularizer id (a string)', "pass e.g. { id: 'tf-smoothness', weight: 0.01 }");
      const opt = o['options'];
      if (opt !== undefined && (opt === null || typeof opt !== 'object' || Array.isArray(opt))) {
        throw new ParameterError(`options.regularizers[${k}].options`, opt, 'expected an object of plugin options', 'pass an object, or leave options out for the defaults');
      }
    });
  }
}

/** The objective's part of a larger options object (what `createObjective` is given by the entry points). */
export function objectiveOptionsOf<T extends object>(options: T): Pick<T, Extract<keyof T, (typeof OBJECTIVE_KEYS)[number]>> {
  const out: Record<string, unknown> = {};
  for (const k of OBJECTIVE_KEYS) if ((options as Record<string, unknown>)[k] !== undefined) out[k] = (options as Record<string, unknown>)[k];
  return out as Pick<T, Extract<keyof T, (typeof OBJECTIVE_KEYS)[number]>>;
}
